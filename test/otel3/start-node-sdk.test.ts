// On the 3.x line: startNodeSdk() (@opentelemetry/sdk-node 0.30x) has no
// contextManager option and registers the stock AsyncLocalStorageContextManager. Until ours takes
// over, spans and log records miss the vars, and one process warning names the fix; after
// takeOverContextManager(), spans and log records carry them. Its own file: the reports are once
// per process.
import { context, diag, logs, propagation, trace } from '@opentelemetry/api';
import { InMemoryLogRecordExporter, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { startNodeSdk } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import {
  Context,
  ContextVar,
  ContextVarLogRecordProcessor,
  ContextVarSpanProcessor,
  ContextVarsContextManager,
  takeOverContextManager,
} from '../../src/index';
import { splitWarnings, varInsideActiveSpan } from '../support/split';

const tenant = new ContextVar<string>('tenant');
const spans = new InMemorySpanExporter();
const records = new InMemoryLogRecordExporter();
let sdk: { shutdown(): Promise<void> };

beforeAll(() => {
  sdk = startNodeSdk({
    logLevel: 'none',
    resourceDetectors: [],
    metricReaders: [],
    propagators: [],
    spanProcessors: [new ContextVarSpanProcessor({ vars: [tenant] }), new SimpleSpanProcessor({ exporter: spans })],
    logRecordProcessors: [
      new ContextVarLogRecordProcessor({ vars: [tenant] }),
      new SimpleLogRecordProcessor({ exporter: records }),
    ],
  });
});

afterAll(async () => {
  await sdk.shutdown();
  for (const api of [context, trace, logs, propagation, diag]) api.disable();
});

function logInside(): void {
  new Context().run(() => {
    tenant.set('acme');
    logs.getLogger('start-node-sdk').emit({ body: 'hello' });
  });
}

test('right after startNodeSdk(), spans and log records miss the vars, and one process warning names the fix', async () => {
  const warnings = splitWarnings();
  expect(await varInsideActiveSpan(tenant)).toBe('unset inside the span');
  logInside();
  expect(spans.getFinishedSpans()[0].attributes).toEqual({});
  expect(records.getFinishedLogRecords()[0].attributes).toEqual({});
  expect(warnings.calls()).toHaveLength(1);
  expect(warnings.calls()[0]).toMatch(
    /context manager is AsyncLocalStorageContextManager.*takeOverContextManager\(\) right after an SDK that registers its own \(startNodeSdk\(\)/,
  );
  warnings.restore();
});

test('startNodeSdk() then takeOverContextManager(): spans and log records carry the vars, with no further warning', async () => {
  const warnings = splitWarnings();
  spans.reset();
  records.reset();
  const manager = takeOverContextManager();
  expect(manager).toBeInstanceOf(ContextVarsContextManager);
  expect(takeOverContextManager()).toBe(manager);
  expect(await varInsideActiveSpan(tenant)).toBe('acme');
  logInside();
  expect(spans.getFinishedSpans()[0].attributes).toEqual({ 'contextvar.tenant': 'acme' });
  expect(records.getFinishedLogRecords()[0].attributes).toEqual({ 'contextvar.tenant': 'acme' });
  expect(warnings.calls()).toEqual([]);
  warnings.restore();
});
