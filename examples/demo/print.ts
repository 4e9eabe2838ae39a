// Renders the demo's traces as trees and their log entries next to the trace they belong to.
// Spans come from two processes; a tree is rebuilt from parent span ids alone, so a backend span
// lands under the frontend's client span only if the traceparent header really carried it.
import { SpanKind } from '@opentelemetry/api';
import type { LogEntry, SpanRecord } from './records';

/** One request the demo sent, in the order it was sent. */
export interface SentRequest {
  traceId: string;
  headers: Record<string, string>;
}

const KIND = new Map<number, string>([
  [SpanKind.INTERNAL, 'internal'],
  [SpanKind.SERVER, 'server'],
  [SpanKind.CLIENT, 'client'],
  [SpanKind.PRODUCER, 'producer'],
  [SpanKind.CONSUMER, 'consumer'],
]);
// Written by ContextVarSpanProcessor: its default prefix, then the var's name.
const VAR_PREFIX = 'contextvar.';

interface Row {
  tree: string;
  kind: string;
  spanId: string;
  vars: Map<string, string>;
}

function label(span: SpanRecord): string {
  // HTTP spans are named by method only; the path makes the tree readable.
  const path = span.attributes['url.path'] ?? span.attributes['http.target'];
  if (typeof path === 'string') return `${span.name} ${path}`;
  const full = span.attributes['url.full'] ?? span.attributes['http.url'];
  return typeof full === 'string' ? `${span.name} ${new URL(full).pathname}` : span.name;
}

function rows(span: SpanRecord, children: Map<string | undefined, SpanRecord[]>, lead: string, branch: string): Row[] {
  const vars = new Map<string, string>();
  for (const [key, value] of Object.entries(span.attributes))
    if (key.startsWith(VAR_PREFIX)) vars.set(key, String(value));
  const row = {
    tree: `${lead}${branch}${span.service.padEnd(9)}${label(span)}`,
    kind: KIND.get(span.kind) ?? String(span.kind),
    spanId: span.spanId,
    vars,
  };
  const kids = children.get(span.spanId) ?? [];
  const nextLead = lead + (branch === '' ? '' : branch === '└─ ' ? '   ' : '│  ');
  return [row, ...kids.flatMap((kid, i) => rows(kid, children, nextLead, i === kids.length - 1 ? '└─ ' : '├─ '))];
}

/** The tree as a table: one column per var attribute, `-` where the span has none. */
function table(spanRows: Row[]): string[] {
  const keys = [...new Set(spanRows.flatMap((r) => [...r.vars.keys()]))].sort();
  const header = ['span', 'kind', 'span_id', ...keys];
  const cells = spanRows.map((r) => [r.tree, r.kind, r.spanId, ...keys.map((k) => r.vars.get(k) ?? '-')]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  return [header, ...cells].map(
    (c) =>
      `  ${c
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd()}`,
  );
}

function logLine(entry: LogEntry): string {
  // Trace fields first: they are what a log search joins on.
  const fields = [
    `trace_id=${entry.traceId ?? '-'}`,
    `span_id=${entry.spanId ?? '-'}`,
    `trace_flags=${entry.traceFlags ?? '-'}`,
    ...Object.entries(entry.fields).map(([key, value]) => `${key}=${value}`),
  ];
  return `    ${entry.service.padEnd(9)}${entry.message}\n      ${fields.join(' ')}`;
}

/**
 * Lines for each sent request: its trace as a tree (roots are spans whose parent is not in the
 * trace), then the log entries (of the kind `logKind` names) whose trace id is that trace's.
 * Siblings are in start order.
 */
export function formatTraces(
  requests: SentRequest[],
  spans: SpanRecord[],
  logs: LogEntry[],
  logKind: string,
): string[] {
  const lines: string[] = [];
  requests.forEach((request, i) => {
    const inTrace = spans.filter((s) => s.traceId === request.traceId).sort((a, b) => a.startNs - b.startNs);
    const ids = new Set(inTrace.map((s) => s.spanId));
    const children = new Map<string | undefined, SpanRecord[]>();
    for (const span of inTrace) {
      const parent = span.parentSpanId !== undefined && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
      children.set(parent, [...(children.get(parent) ?? []), span]);
    }
    const sent = Object.entries(request.headers)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ');
    const services = [...new Set(inTrace.map((s) => s.service))].join(' + ');
    lines.push(
      `Trace ${i + 1}/${requests.length}  trace_id=${request.traceId}  (${inTrace.length} spans: ${services})`,
    );
    lines.push(`  request headers: ${sent}`);
    lines.push(...table((children.get(undefined) ?? []).flatMap((root) => rows(root, children, '', ''))));
    const correlated = logs.filter((l) => l.traceId === request.traceId);
    lines.push(`  ${logKind} with this trace_id (${correlated.length}):`);
    lines.push(...correlated.map(logLine));
    lines.push('');
  });
  return lines;
}
