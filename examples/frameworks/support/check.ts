// The self-check every framework example ends with: drive the server, then compare what each
// request saw, every span and every log line with the values that request sent. Any value from
// another request, or a missing own value, fails the example (exit code 1).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { setTimeout as sleep } from 'node:timers/promises';
import { headersFor, keepAliveClients, pipelinedClients } from './clients';
import type { Answer } from './clients';
import type { OrderAnswer, Seen } from './orders';
import { logLines, spans } from './telemetry';

export interface ExampleServer {
  port: number;
  close(): Promise<void>;
}

/** A listening node:http server as an ExampleServer: close() also ends the keep-alive sockets. */
export function httpExampleServer(server: Server): ExampleServer {
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface CheckOptions {
  /** Shown in the report, e.g. 'fastify 5 + @fastify/otel'. */
  name: string;
  /**
   * Spans made by the framework's own instrumentation that start after the request's vars are
   * set (handler and route spans): each request must have at least one, carrying its vars.
   * Left out for a framework without an instrumentation of its own (Hono).
   */
  frameworkSpan?: (span: ReadableSpan) => boolean;
  /** How many keep-alive clients, and requests each; pipelined sockets x batches x batch. */
  load?: { clients: number; perClient: number; sockets: number; batches: number; batch: number };
}

const LOAD = { clients: 50, perClient: 10, sockets: 10, batches: 4, batch: 10 };

/** Drives `server`, checks, prints a report, closes the server and sets the exit code. */
export async function driveAndCheck(server: ExampleServer, options: CheckOptions): Promise<void> {
  const load = options.load ?? LOAD;
  const started = Date.now();
  const problems: string[] = [];
  let answers: Answer[] = [];
  try {
    answers = [
      ...(await keepAliveClients(server.port, load.clients, load.perClient)),
      ...(await pipelinedClients(server.port, load.sockets, load.batches, load.batch)),
    ];
    // Server spans end when the response is finished, which can be just after the client read it.
    for (let i = 0; i < 100 && serverSpans() < answers.length; i++) await sleep(20);
  } catch (error) {
    problems.push(`load failed: ${String(error)}`);
  } finally {
    await server.close();
  }
  const keys = answers.map((a) => a.key);
  problems.push(...checkAnswers(answers), ...checkSpans(keys, options.frameworkSpan), ...checkLogs(keys));
  const finished = spans.getFinishedSpans();
  const framework = options.frameworkSpan ? finished.filter(options.frameworkSpan) : [];
  console.log(
    `${options.name}: ${answers.length} requests (${load.clients} keep-alive clients x ${load.perClient}, ` +
      `${load.sockets} sockets x ${load.batches} pipelined batches of ${load.batch}) in ${Date.now() - started} ms`,
  );
  console.log(
    `  spans: ${finished.length}, of them framework spans: ${framework.length} ` +
      `(${[...new Set(framework.map((s) => s.name))].slice(0, 3).join(', ') || 'none required'})`,
  );
  const scopes = new Map<string, number>();
  for (const span of finished)
    scopes.set(span.instrumentationScope.name, (scopes.get(span.instrumentationScope.name) ?? 0) + 1);
  console.log(`  spans by instrumentation: ${[...scopes].map(([name, n]) => `${name} ${n}`).join(', ')}`);
  console.log(`  log lines: ${logLines.length}`);
  if (problems.length === 0) {
    console.log("  OK: every request, span and log line carried its own request's vars and no other");
  } else {
    // To stderr as well as the verdict on stdout, so a test runner that shows stderr shows them.
    console.log(`  FAILED: ${problems.length} problems`);
    console.error(`${options.name}: ${problems.length} problems; the first ones:`);
    for (const p of problems.slice(0, 10)) console.error(`  ${p}`);
    process.exitCode = 1;
  }
}

function serverSpans(): number {
  return spans.getFinishedSpans().filter((s) => s.name === 'load order').length;
}

function own(key: string): Seen {
  const h = headersFor(key);
  return [h['x-request-id'], h['x-user'] ?? '<unset>', 'en'];
}

/** What a span attribute or log field holds for a var: nothing when the request left it unset. */
function recorded(value: string): string | undefined {
  return value === '<unset>' ? undefined : value;
}

function same(a: unknown, b: Seen): boolean {
  return Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);
}

function checkAnswers(answers: Answer[]): string[] {
  const problems: string[] = [];
  for (const { key, status, body } of answers) {
    const answer = body as Partial<OrderAnswer>;
    const mine = own(key);
    if (status !== 200 || answer.order?.id !== key) {
      problems.push(`${key}: answered ${status} ${JSON.stringify(body).slice(0, 120)}`);
      continue;
    }
    for (const [where, value] of [
      ['handler entry', answer.entry],
      ['handler after awaits', answer.afterAwait],
      ['service after awaits', answer.order.seen],
    ] as const) {
      if (!same(value, mine))
        problems.push(`${key}: ${where} saw ${JSON.stringify(value)}, sent ${JSON.stringify(mine)}`);
    }
  }
  return problems;
}

function checkSpans(keys: string[], frameworkSpan: ((span: ReadableSpan) => boolean) | undefined): string[] {
  const problems: string[] = [];
  const byTrace = new Map<string, ReadableSpan[]>();
  for (const span of spans.getFinishedSpans()) {
    const id = span.spanContext().traceId;
    byTrace.set(id, [...(byTrace.get(id) ?? []), span]);
  }
  const loadSpans = new Map(
    spans
      .getFinishedSpans()
      .filter((s) => s.name === 'load order')
      .map((s) => [String(s.attributes['order.id']), s]),
  );
  for (const key of keys) {
    const [rid, usr] = own(key);
    const load = loadSpans.get(key);
    if (!load) {
      problems.push(`${key}: no 'load order' span`);
      continue;
    }
    const trace = byTrace.get(load.spanContext().traceId) ?? [];
    // The http instrumentation's server span starts before any framework code, so it has no vars.
    if (
      !trace.some(
        (s) => s.kind === SpanKind.SERVER && s.instrumentationScope.name === '@opentelemetry/instrumentation-http',
      )
    ) {
      problems.push(`${key}: no server span of the http instrumentation in its trace`);
    }
    const framework = frameworkSpan ? trace.filter(frameworkSpan) : [];
    if (frameworkSpan && framework.length === 0)
      problems.push(`${key}: no span of the framework's instrumentation in its trace`);
    for (const span of [load, ...framework]) {
      if (span.attributes['contextvar.request.id'] !== rid || span.attributes['contextvar.user.id'] !== recorded(usr)) {
        problems.push(`${key}: span '${span.name}' lacks its vars: ${JSON.stringify(span.attributes)}`);
      }
    }
    for (const span of trace) {
      const seenId = span.attributes['contextvar.request.id'];
      const seenUser = span.attributes['contextvar.user.id'];
      if ((seenId !== undefined && seenId !== rid) || (seenUser !== undefined && seenUser !== usr)) {
        problems.push(`${key}: span '${span.name}' carries ${String(seenId)} / ${String(seenUser)}`);
      }
    }
  }
  return problems;
}

function checkLogs(keys: string[]): string[] {
  const problems: string[] = [];
  const traceOf = new Map(
    spans
      .getFinishedSpans()
      .filter((s) => s.name === 'load order')
      .map((s) => [String(s.attributes['order.id']), s.spanContext().traceId]),
  );
  const linesOf = new Map<string, Record<string, unknown>[]>();
  for (const line of logLines) {
    const key = String(line.order);
    linesOf.set(key, [...(linesOf.get(key) ?? []), line]);
  }
  for (const key of keys) {
    const [rid, usr] = own(key);
    const lines = linesOf.get(key) ?? [];
    if (lines.length !== 2) problems.push(`${key}: ${lines.length} log lines, expected 2 (service and handler)`);
    for (const line of lines) {
      if (line['request.id'] !== rid || line['user.id'] !== recorded(usr) || line.trace_id !== traceOf.get(key)) {
        problems.push(`${key}: log line lacks its vars or trace: ${JSON.stringify(line)}`);
      }
    }
  }
  return problems;
}
