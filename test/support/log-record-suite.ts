// The behaviours of ContextVarLogRecordProcessor, run against a real LoggerProvider and
// InMemoryLogRecordExporter of each OpenTelemetry JS line: test/otel/log-record-processor.test.ts
// passes sdk-logs 0.2xx (2.x line), test/otel3/log-record-processor.test.ts sdk-logs 3.x.
import { ROOT_CONTEXT, context, trace } from '@opentelemetry/api';
import type { Context as OtelContext } from '@opentelemetry/api';
import { Context, ContextVar, ContextVarLogRecordProcessor } from '../../src/index';
import { recordingDiag } from './diag';
import { withGlobalManager } from './global-manager';

interface FinishedRecord {
  readonly attributes: Record<string, unknown>;
  readonly body?: unknown;
  readonly spanContext?: { traceId: string; spanId: string };
}
/** The part of `@opentelemetry/sdk-logs` (either line) the suite uses. */
export interface SdkLogs {
  LoggerProvider: new (config: { processors: unknown[] }) => {
    getLogger(name: string): {
      emit(record: { body?: string; context?: OtelContext; attributes?: Record<string, never> }): void;
    };
    shutdown(): Promise<void>;
  };
  InMemoryLogRecordExporter: new () => { getFinishedLogRecords(): FinishedRecord[] };
  SimpleLogRecordProcessor: new (options: { exporter: never }) => unknown;
}

const tenant = new ContextVar<string>('tenant');
const attempt = new ContextVar<number>('attempt');
const payload = new ContextVar<unknown>('payload');
const region = new ContextVar<string>('region', { default: 'eu-west' });
const someSpan = trace.wrapSpanContext({
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: 1,
});

class NotPlain {
  readonly x = 1;
}
const cyclic: Record<string, unknown> = { a: 1 };
cyclic.self = cyclic;

/** Values the OTel logs data model accepts (AnyValue), and what span attributes would refuse. */
const ACCEPTED: [string, unknown][] = [
  ['a string', 'acme'],
  ['a number', 2.5],
  ['a boolean', false],
  ['null', null],
  ['a mixed array', [1, 'two', true, null]],
  ['a nested plain object', { user: { id: 7, tags: ['a'] } }],
  ['a Uint8Array', new Uint8Array([1, 2, 3])],
  ['an object without prototype', Object.assign(Object.create(null) as object, { k: 'v' })],
];
/** Values both logs SDKs refuse. */
const REFUSED: [string, unknown][] = [
  ['a bigint', 10n],
  ['a symbol', Symbol('s')],
  ['a function', () => 1],
  ['a Date', new Date(0)],
  ['a Map', new Map([['k', 'v']])],
  ['a class instance', new NotPlain()],
  ['an array holding a Date', [new Date(0)]],
  ['a cyclic object', cyclic],
];

const sharedChild = { x: 1 };
/** Values at the edge of what the logs SDKs take: the 2.x line refuses sharing, both an own `constructor`. */
const SDK_EDGES: [string, unknown][] = [
  ['an object sharing a child', { a: sharedChild, b: sharedChild }],
  ['an array sharing a child', [sharedChild, sharedChild]],
  ['a JSON.parse object with a constructor key', JSON.parse('{"constructor":"x","k":1}') as unknown],
  ['a JSON.parse object with a constructor object', JSON.parse('{"constructor":{"name":"x"}}') as unknown],
  ['a nested constructor key', { outer: JSON.parse('{"constructor":"x"}') as unknown }],
  [
    'an object without prototype with a constructor key',
    Object.assign(Object.create(null) as object, { constructor: 1 }),
  ],
  ['an object whose constructor is Object, own', { constructor: Object, k: 1 }],
];

/** Declares the processor's behaviours for one logs SDK line. */
export function logRecordProcessorSuite(sdk: SdkLogs): void {
  function setup(options: ConstructorParameters<typeof ContextVarLogRecordProcessor>[0]) {
    const exporter = new sdk.InMemoryLogRecordExporter();
    const provider = new sdk.LoggerProvider({
      processors: [
        new ContextVarLogRecordProcessor(options),
        new sdk.SimpleLogRecordProcessor({ exporter: exporter as never }),
      ],
    });
    return { logger: provider.getLogger('log-record-processor-test'), records: () => exporter.getFinishedLogRecords() };
  }

  withGlobalManager();

  test('vars bound where the record is emitted become attributes under the default prefix contextvar.', async () => {
    const { logger, records } = setup({ vars: [tenant, attempt] });
    await new Context().run(async () => {
      tenant.set('acme');
      await null;
      attempt.set(3);
      context.with(trace.setSpan(context.active(), someSpan), () => logger.emit({ body: 'charged' }));
    });
    const [record] = records();
    expect(record.attributes).toEqual({ 'contextvar.tenant': 'acme', 'contextvar.attempt': 3 });
    expect(record.spanContext?.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  test("the record's own context (emit({ context })) is the one read, not the active one", () => {
    const { logger, records } = setup({ vars: [tenant] });
    new Context().run(() => {
      tenant.set('active-tenant');
      logger.emit({ body: 'explicit', context: tenant.setIn(ROOT_CONTEXT, 'record-tenant') });
      logger.emit({ body: 'explicit root', context: ROOT_CONTEXT });
    });
    expect(records().map((r) => r.attributes)).toEqual([{ 'contextvar.tenant': 'record-tenant' }, {}]);
  });

  test('attributePrefix replaces the default, an empty one uses the bare name; unbound vars and defaults add nothing', () => {
    const custom = setup({ vars: [tenant, region], attributePrefix: 'app.' });
    const bare = setup({ vars: [tenant, region], attributePrefix: '' });
    new Context().run(() => {
      tenant.set('acme');
      custom.logger.emit({ body: 'a' });
      bare.logger.emit({ body: 'b' });
    });
    expect(custom.records()[0].attributes).toEqual({ 'app.tenant': 'acme' });
    expect(bare.records()[0].attributes).toEqual({ tenant: 'acme' });
  });

  test('an attribute the record was emitted with is not overwritten by a var', () => {
    const { logger, records } = setup({ vars: [tenant] });
    new Context().run(() => {
      tenant.set('from-var');
      logger.emit({ body: 'x', attributes: { 'contextvar.tenant': 'from-call' as never } });
    });
    expect(records()[0].attributes).toEqual({ 'contextvar.tenant': 'from-call' });
  });

  test.each(ACCEPTED)(
    '%s, which the logs SDK accepts, is recorded (more than span attributes take)',
    (_name, value) => {
      const { logger, records } = setup({ vars: [payload] });
      new Context().run(() => {
        payload.set(value);
        logger.emit({ body: 'x' });
      });
      // The SDK's own check of the same value, for comparison (outside, where payload is unbound).
      logger.emit({ body: 'direct', attributes: { direct: value as never } });
      const [ours, direct] = records();
      expect(Object.keys(direct.attributes)).toEqual(['direct']);
      expect(ours.attributes['contextvar.payload']).toEqual(direct.attributes.direct);
    },
  );

  test.each(REFUSED)('%s, which the logs SDK refuses, is skipped, never thrown, and reported once', (_name, value) => {
    const lines = recordingDiag();
    const { logger, records } = setup({ vars: [payload] });
    new Context().run(() => {
      payload.set(value);
      expect(() => logger.emit({ body: 'one' })).not.toThrow();
      logger.emit({ body: 'two' });
    });
    expect(records().map((r) => r.attributes)).toEqual([{}, {}]);
    const ours = lines.filter((l) => l.includes('ContextVarLogRecordProcessor'));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatch(/skipped 'payload': .* is not a valid log attribute value/);
    // The SDK itself drops the same value (and says so through diag, not to us).
    lines.length = 0;
    logger.emit({ body: 'direct', attributes: { direct: value as never } });
    expect(records()[2].attributes).toEqual({});
  });

  test.each(SDK_EDGES)(
    '%s: 50 records give no warning of the logs SDK; what is recorded is what the SDK takes itself',
    (_name, value) => {
      const lines = recordingDiag();
      const { logger, records } = setup({ vars: [payload] });
      const ctx = payload.setIn(ROOT_CONTEXT, value);
      for (let i = 0; i < 50; i++) logger.emit({ body: 'x', context: ctx });
      expect(lines.filter((l) => !l.includes('ContextVarLogRecordProcessor'))).toEqual([]);
      expect(lines.filter((l) => l.includes('ContextVarLogRecordProcessor')).length).toBeLessThanOrEqual(1);
      const recorded = Object.hasOwn(records()[0].attributes, 'contextvar.payload');
      // The SDK's own verdict on the same value, as a direct attribute.
      lines.length = 0;
      logger.emit({ body: 'direct', attributes: { direct: value as never } });
      const sdkTakes = lines.length === 0 && Object.hasOwn(records()[50].attributes, 'direct');
      if (recorded) expect(sdkTakes).toBe(true);
      else expect(records()[0].attributes).toEqual({});
    },
  );

  test('21 arrays sharing their children (2^20 paths) are skipped fast, with no warning of the logs SDK', () => {
    const lines = recordingDiag();
    let dag: unknown[] = ['leaf'];
    for (let i = 0; i < 20; i++) dag = [dag, dag];
    const { logger, records } = setup({ vars: [payload] });
    const ctx = payload.setIn(ROOT_CONTEXT, dag);
    const start = performance.now();
    for (let i = 0; i < 50; i++) logger.emit({ body: 'x', context: ctx });
    expect(performance.now() - start).toBeLessThan(1000);
    expect(records().every((r) => !Object.hasOwn(r.attributes, 'contextvar.payload'))).toBe(true);
    expect(lines.filter((l) => !l.includes('ContextVarLogRecordProcessor'))).toEqual([]);
  });

  test('a var bound to undefined is skipped: the logs data model has no undefined', () => {
    const { logger, records } = setup({ vars: [payload, tenant] });
    new Context().run(() => {
      payload.set(undefined);
      tenant.set('acme');
      logger.emit({ body: 'x' });
    });
    expect(records()[0].attributes).toEqual({ 'contextvar.tenant': 'acme' });
  });

  test('a value whose getter throws is skipped and reported; the other vars still arrive', () => {
    const lines = recordingDiag();
    const { logger, records } = setup({ vars: [payload, tenant] });
    new Context().run(() => {
      payload.set({
        get boom(): never {
          throw new Error('getter exploded');
        },
      });
      tenant.set('acme');
      expect(() => logger.emit({ body: 'x' })).not.toThrow();
    });
    expect(records()[0].attributes).toEqual({ 'contextvar.tenant': 'acme' });
    expect(lines.some((l) => l.includes("could not record 'payload'") && l.includes('getter exploded'))).toBe(true);
  });

  test('changing an array after emit does not change the emitted record', () => {
    const { logger, records } = setup({ vars: [payload] });
    const list = ['a'];
    new Context().run(() => {
      payload.set(list);
      logger.emit({ body: 'x' });
    });
    list.push('b');
    expect(records()[0].attributes).toEqual({ 'contextvar.payload': ['a'] });
  });

  test('bad options are a TypeError naming the processor', () => {
    expect(() => new ContextVarLogRecordProcessor(undefined as never)).toThrow(
      /ContextVarLogRecordProcessor: an options object/,
    );
    expect(() => new ContextVarLogRecordProcessor({ vars: [{}] as never })).toThrow(TypeError);
    expect(() => new ContextVarLogRecordProcessor({ vars: [tenant, new ContextVar('tenant')] })).toThrow(
      /two vars are named 'tenant'/,
    );
    expect(() => new ContextVarLogRecordProcessor({ vars: [tenant], attributePrefix: 1 as never })).toThrow(
      /attributePrefix must be a string/,
    );
  });
}
