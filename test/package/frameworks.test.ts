// Every framework example (and mode) (examples/frameworks/) runs as its README recipe says, in a
// child process through tsx with its instrumentation registered first, drives 50 keep-alive
// clients and pipelined sockets at its own server and checks every answer, span and log line
// itself, exiting 1 on any value from another request or any missing own value. CI runs this file
// on every Node line (.ci/run runs `npm test` on 20, 22, 24 and 26).
import { runNode } from '../support/run-node';
import { expectBuiltPackage } from '../support/built';

beforeAll(expectBuiltPackage);

/**
 * Each example with the lowest Node major its framework supports (the packages' `engines`):
 * express 5 and koa 3 `>= 18`, @hono/node-server 2 and @nestjs/core 12 `>= 20`, fastify 5 Node 20+
 * (its documented LTS support), the 2.x OpenTelemetry instrumentations `^18.19.0 || >=20.6.0`.
 */
const EXAMPLES: { title: string; args: string[]; minNode: number; frameworkSpans: number }[] = [
  { title: 'express 5', args: ['examples/frameworks/express.ts'], minNode: 20, frameworkSpans: 900 },
  {
    title: 'fastify 5, vars hook before @fastify/otel plugin()',
    args: ['examples/frameworks/fastify.ts', 'hook'],
    minNode: 20,
    frameworkSpans: 900,
  },
  {
    title: 'fastify 5, registerOnInitialization + serverFactory',
    args: ['examples/frameworks/fastify.ts', 'server-factory'],
    minNode: 20,
    frameworkSpans: 900,
  },
  { title: 'koa 3', args: ['examples/frameworks/koa.ts'], minNode: 20, frameworkSpans: 900 },
  { title: 'hono 4 on @hono/node-server', args: ['examples/frameworks/hono.ts'], minNode: 20, frameworkSpans: 0 },
  {
    title: 'NestJS 12, express adapter, middleware',
    args: ['examples/frameworks/nest.ts', 'express', 'middleware'],
    minNode: 20,
    frameworkSpans: 900,
  },
  {
    title: 'NestJS 12, fastify adapter, middleware',
    args: ['examples/frameworks/nest.ts', 'fastify', 'middleware'],
    minNode: 20,
    frameworkSpans: 900,
  },
  // The interceptor runs after the framework's handler span started: no framework span is required.
  {
    title: 'NestJS 12, express adapter, interceptor',
    args: ['examples/frameworks/nest.ts', 'express', 'interceptor'],
    minNode: 20,
    frameworkSpans: 0,
  },
  {
    title: 'NestJS 12, fastify adapter, interceptor',
    args: ['examples/frameworks/nest.ts', 'fastify', 'interceptor'],
    minNode: 20,
    frameworkSpans: 0,
  },
];

const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

describe.each(EXAMPLES)('examples/frameworks: $title', ({ args, minNode, frameworkSpans }) => {
  const run = NODE_MAJOR >= minNode ? test : test.skip;
  run(
    '900 requests (500 keep-alive, 400 pipelined): each answer, span and log line carries its own vars and no other',
    async () => {
      // runNode rejects, with the example's stderr (its list of problems), when it exits non-zero.
      const out = await runNode(['--import', 'tsx', ...args], { timeoutMs: 90_000 });
      expect(out).toContain('900 requests (50 keep-alive clients x 10, 10 sockets x 4 pipelined batches of 10)');
      expect(out).toContain(`of them framework spans: ${frameworkSpans} `);
      expect(out).toContain('log lines: 1800');
      expect(out).toContain("OK: every request, span and log line carried its own request's vars and no other");
    },
    120_000,
  );
});
