// The one report-once rule of the OpenTelemetry integrations: each reporter (an integration
// instance; logFields, activeContextStore, takeOverContextManager and the split check have one
// each) reports a problem once per kind and subject (a var's name), and its memory is bounded.
// Real logs SDK (2.x line) and real propagators; the reporter itself for the bound.
import { ROOT_CONTEXT, defaultTextMapGetter, diag } from '@opentelemetry/api';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { Context, ContextVar, ContextVarLogRecordProcessor, ContextVarPropagator, logFields } from '../../src/index';
import { MAX_REMEMBERED_PROBLEMS, OnceReporter, newReportMemory } from '../../src/otel/report-once';
import { recordingDiag } from '../support/diag';

const payload = new ContextVar<unknown>('payload');
const attempt = new ContextVar<unknown>('attempt');

afterEach(() => {
  diag.disable();
});

describe('a second identical problem is not reported again; a problem of another kind is', () => {
  test('log record processor: an invalid value and a throwing getter of one var are two kinds, each said once', () => {
    const lines = recordingDiag();
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      processors: [new ContextVarLogRecordProcessor({ vars: [payload] }), new SimpleLogRecordProcessor({ exporter })],
    });
    const logger = provider.getLogger('report-once');
    const throwing = {
      get boom(): never {
        throw new Error('getter');
      },
    };
    for (let i = 0; i < 5; i++) logger.emit({ body: 'bigint', context: payload.setIn(ROOT_CONTEXT, 10n) });
    expect(lines).toHaveLength(1);
    for (let i = 0; i < 5; i++) logger.emit({ body: 'getter', context: payload.setIn(ROOT_CONTEXT, throwing) });
    expect(lines).toEqual([
      "otel-contextvars ContextVarLogRecordProcessor: skipped 'payload': 10n is not a valid log attribute value",
      "otel-contextvars ContextVarLogRecordProcessor: could not record 'payload': Error: getter",
    ]);
    expect(exporter.getFinishedLogRecords().map((r) => r.attributes)).toEqual(Array.from({ length: 10 }, () => ({})));
  });

  test('log record processor: each instance is its own reporter', () => {
    const lines = recordingDiag();
    const make = (): ContextVarLogRecordProcessor => new ContextVarLogRecordProcessor({ vars: [payload] });
    const first = make();
    const second = make();
    const ctx = payload.setIn(ROOT_CONTEXT, 10n);
    for (const p of [first, second, first, second]) p.onEmit({ setAttribute: () => undefined }, ctx);
    expect(lines).toHaveLength(2);
  });

  test('propagator: a decode that throws is said once per var, an encode that throws once more', () => {
    const lines = recordingDiag();
    const failing = {
      encode: (): never => {
        throw new Error('encode');
      },
      decode: (): never => {
        throw new Error('decode');
      },
    };
    const p = new ContextVarPropagator({ vars: [attempt, payload], codecs: { attempt: failing, payload: failing } });
    for (let i = 0; i < 20; i++) p.extract(ROOT_CONTEXT, { contextvars: 'attempt=1' }, defaultTextMapGetter);
    expect(lines).toHaveLength(1);
    p.extract(ROOT_CONTEXT, { contextvars: 'payload=1' }, defaultTextMapGetter);
    expect(lines).toHaveLength(2);
    for (let i = 0; i < 20; i++) p.inject(attempt.setIn(ROOT_CONTEXT, 1), {});
    expect(lines).toEqual([
      "otel-contextvars ContextVarPropagator: dropped an inbound 'attempt': its codec's decode threw Error: decode",
      "otel-contextvars ContextVarPropagator: dropped an inbound 'payload': its codec's decode threw Error: decode",
      "otel-contextvars ContextVarPropagator: skipped 'attempt': its codec's encode threw Error: encode",
    ]);
  });

  test('propagator: oversized inbound headers, whatever their text, share one report', () => {
    const lines = recordingDiag();
    const p = new ContextVarPropagator({ vars: [attempt] });
    for (let i = 0; i < 1000; i++) {
      p.extract(ROOT_CONTEXT, { contextvars: `k${i}=${'x'.repeat(9000)}` }, defaultTextMapGetter);
    }
    expect(lines).toEqual([
      'otel-contextvars ContextVarPropagator: ignored an inbound contextvars header over 8192 characters or 64 entries',
    ]);
  });
});

describe('the memory of one reporter is bounded', () => {
  test(`100,000 distinct subjects: ${MAX_REMEMBERED_PROBLEMS} reports, one note that the rest are not, then silence; in under a second`, () => {
    const lines = recordingDiag();
    const memory = newReportMemory();
    const reporter = new OnceReporter('hostile', memory);
    let rendered = 0;
    const start = performance.now();
    for (let i = 0; i < 100_000; i++) {
      reporter.report('bad key', `key ${i}`, () => `problem ${++rendered}`);
    }
    for (let i = 0; i < 100_000; i++) {
      reporter.report('bad key', `key ${i}`, () => `problem ${++rendered}`);
    }
    const elapsed = performance.now() - start;
    expect(lines).toHaveLength(MAX_REMEMBERED_PROBLEMS + 1);
    expect(rendered).toBe(MAX_REMEMBERED_PROBLEMS + 1);
    expect(lines.at(-1)).toBe(
      `hostile: problem ${MAX_REMEMBERED_PROBLEMS + 1}; ${MAX_REMEMBERED_PROBLEMS} problems were reported, so further ones of this kind are not`,
    );
    let remembered = 0;
    for (const subjects of memory.byKind.values()) remembered += subjects.size;
    expect(remembered).toBe(MAX_REMEMBERED_PROBLEMS);
    expect(memory.size).toBe(MAX_REMEMBERED_PROBLEMS);
    expect(elapsed).toBeLessThan(1000);
  });

  test('past the bound, a problem of a new kind is still said once, with the note; a remembered one is not', () => {
    const lines = recordingDiag();
    const reporter = new OnceReporter('full', newReportMemory());
    for (let i = 0; i < MAX_REMEMBERED_PROBLEMS; i++) reporter.report('first kind', String(i), 'old');
    expect(lines).toHaveLength(MAX_REMEMBERED_PROBLEMS);
    reporter.report('first kind', '0', 'old');
    reporter.report('second kind', 'a', 'new kind');
    reporter.report('second kind', 'b', 'new kind again');
    expect(lines.slice(MAX_REMEMBERED_PROBLEMS)).toEqual([
      `full: new kind; ${MAX_REMEMBERED_PROBLEMS} problems were reported, so further ones of this kind are not`,
    ]);
  });

  test('a message that throws while it is built is reported as such, once', () => {
    const lines = recordingDiag();
    const reporter = new OnceReporter('broken');
    for (let i = 0; i < 3; i++) {
      reporter.report('kind', '', () => {
        throw new Error('render');
      });
    }
    expect(lines).toEqual(['broken: a problem whose description failed: Error: render']);
  });

  // logFields has one reporter for the whole file's module registry: this test fills its memory.
  test('logFields given 100,000 vars of distinct names with no JSON form: the bound holds, a second call adds nothing, under 50 µs a var', () => {
    const lines = recordingDiag();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const vars = Array.from({ length: 100_000 }, (_, i) => new ContextVar<unknown>(`hostile ${i}`));
    new Context().run(() => {
      for (const v of vars) v.set(cyclic);
      const start = performance.now();
      expect(logFields({ vars })).toEqual({});
      expect(logFields({ vars })).toEqual({});
      // Most of it is JSON.stringify finding each cycle (about 7 µs on 2 loaded cores, Node 20).
      expect((performance.now() - start) / (2 * vars.length)).toBeLessThan(0.05);
    });
    expect(lines).toHaveLength(MAX_REMEMBERED_PROBLEMS + 1);
    expect(lines.at(-1)).toMatch(/left out 'hostile 1000': .*; 1000 problems were reported, so further ones/s);
  });
});
