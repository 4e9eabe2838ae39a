// A minimal OTLP/HTTP receiver on 127.0.0.1 for the JSON encoding the `-otlp-http` exporters send:
// keeps every span and log record posted to /v1/traces and /v1/logs, flattened with the
// service.name of its resource.
import http from 'node:http';
import { listen } from '../../support/http';

interface KeyValue {
  key: string;
  value: Record<string, unknown>;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  kind: number;
  name: string;
  attributes?: KeyValue[];
}
interface OtlpRecord {
  traceId?: string;
  body?: { stringValue?: string };
  attributes?: KeyValue[];
}
interface Scoped<T> {
  scope?: { name?: string };
  spans?: T[];
  logRecords?: T[];
}
interface Resourced<T> {
  resource?: { attributes?: KeyValue[] };
  scopeSpans?: Scoped<T>[];
  scopeLogs?: Scoped<T>[];
}

/** A span as received, with plain attribute values. */
export interface ReceivedSpan {
  service: string;
  scope: string;
  traceId: string;
  kind: number;
  name: string;
  attributes: Record<string, unknown>;
}
/** A log record as received, with plain attribute values. */
export interface ReceivedRecord {
  service: string;
  traceId: string;
  body: string | undefined;
  attributes: Record<string, unknown>;
}
export interface OtlpReceiver {
  server: http.Server;
  port: number;
  spans: () => ReceivedSpan[];
  records: () => ReceivedRecord[];
}

function plain(attributes: KeyValue[] = []): Record<string, unknown> {
  return Object.fromEntries(attributes.map((a) => [a.key, Object.values(a.value)[0]]));
}

/** Starts a receiver on a free port of 127.0.0.1. */
export async function otlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const records: ReceivedRecord[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const payload = JSON.parse(body) as {
        resourceSpans?: Resourced<OtlpSpan>[];
        resourceLogs?: Resourced<OtlpRecord>[];
      };
      for (const resource of payload.resourceSpans ?? []) {
        const service = String(plain(resource.resource?.attributes)['service.name']);
        for (const scoped of resource.scopeSpans ?? [])
          for (const s of scoped.spans ?? [])
            spans.push({
              service,
              scope: scoped.scope?.name ?? '',
              traceId: s.traceId,
              kind: s.kind,
              name: s.name,
              attributes: plain(s.attributes),
            });
      }
      for (const resource of payload.resourceLogs ?? []) {
        const service = String(plain(resource.resource?.attributes)['service.name']);
        for (const scoped of resource.scopeLogs ?? [])
          for (const r of scoped.logRecords ?? [])
            records.push({
              service,
              traceId: r.traceId ?? '',
              body: r.body?.stringValue,
              attributes: plain(r.attributes),
            });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const port = await listen(server);
  return { server, port, spans: () => [...spans], records: () => [...records] };
}
