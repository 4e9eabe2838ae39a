// Which OpenTelemetry JS line the demo runs on, chosen before anything loads OpenTelemetry: the
// current one (api 1.10, SDK 3.x) where Node can run it, else (or with DEMO_OTEL_LINE=2.x) the 2.x
// line. Each service imports this module first, so its telemetry is set up before the service
// loads `http` or pino; the backend inherits the environment, so both run the same line.
//
// This repository holds both lines: its root node_modules has the 2.x line with api 1.9, and the
// nested install test/otel3 has the 3.x line with api 1.10. An application has one of them; the
// demo must load exactly one `@opentelemetry/api` too, or the SDK and this package would register
// into two separate globals. So on the 3.x line every package the demo or this package's build
// imports resolves from test/otel3 (a resolve hook), and the 2.x line resolves as usual. The hook
// can go when this repository keeps one OpenTelemetry line.
import { execFileSync } from 'node:child_process';
import nodeModule from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TelemetryLine } from './records';

const ROOT = path.resolve(__dirname, '../..');
const NESTED = path.join(ROOT, 'test/otel3');

/** Node's synchronous module hooks (22.15+), absent from the typings of the oldest supported Node. */
type RegisterHooks = (hooks: {
  resolve(
    specifier: string,
    context: { parentURL?: string | undefined; conditions?: string[] },
    nextResolve: (specifier: string, context?: object) => { url: string },
  ): { url: string; shortCircuit?: boolean };
}) => unknown;
const registerHooks = (nodeModule as unknown as { registerHooks?: RegisterHooks }).registerHooks;

/**
 * Makes every bare import of this repository's own files (the demo, this package's build) resolve
 * from test/otel3, as if they lived there; packages resolve their own imports as usual, and so
 * does `otel-contextvars`, which is this repository's build by self-reference.
 */
function resolveFromNestedInstall(register: RegisterHooks): void {
  const ours = pathToFileURL(`${ROOT}/`).href;
  const nestedUrl = pathToFileURL(`${NESTED}/`).href;
  // Resolving from a file inside test/otel3 finds its node_modules first, as Node would for it.
  const nested = nodeModule.createRequire(path.join(NESTED, 'package.json'));
  register({
    resolve(specifier, context, nextResolve) {
      const parent = context.parentURL ?? '';
      const bare = !/^(?:\.|\/|[a-z]+:)/i.test(specifier) && !nodeModule.isBuiltin(specifier);
      if (
        !bare ||
        specifier === 'otel-contextvars' ||
        !parent.startsWith(ours) ||
        // test/otel3's own files, and `nested.resolve` below, which runs these hooks again on Node 24.
        parent.startsWith(nestedUrl) ||
        parent.includes('/node_modules/')
      ) {
        return nextResolve(specifier, context);
      }
      // The demo and this package's build are CommonJS here, as is everything they require.
      return { url: pathToFileURL(nested.resolve(specifier)).href, shortCircuit: true };
    },
  });
}

function load2x(reason: string): { line: TelemetryLine; reason: string } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- chosen at run time
  return { line: (require('./telemetry') as { line: TelemetryLine }).line, reason };
}

function loadLine(): { line: TelemetryLine; reason: string } {
  const node = `Node ${process.versions.node}`;
  // The 3.x packages' engines field asks for Node 22.15, the version that brought registerHooks.
  if (registerHooks === undefined) return load2x(`${node} is older than the 3.x line's 22.15`);
  if (process.env.DEMO_OTEL_LINE === '2.x') return load2x(`DEMO_OTEL_LINE=2.x on ${node}`);
  // The entry process installs test/otel3 when missing or stale (as `npm test` does), the backend
  // it forks finds it there. Its output goes to stderr: stdout is the demo's.
  if (process.send === undefined) {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/test-deps.mjs'), '--otel3'], {
      stdio: ['ignore', 2, 2],
    });
  }
  resolveFromNestedInstall(registerHooks);
  return {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- chosen at run time, after the hook
    line: (require('./otel3/telemetry') as { line: TelemetryLine }).line,
    reason: node,
  };
}

const chosen = loadLine();

/** The OpenTelemetry JS line this process runs on, its telemetry module loaded. */
export const line: TelemetryLine = chosen.line;

/** The demo's first output line: the line it runs on, and why that one. */
export const lineSummary = `${line.description}; ${chosen.reason}`;
