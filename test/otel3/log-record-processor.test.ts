// Issue 9 item 4 on the OpenTelemetry JS 3.x line: ContextVarLogRecordProcessor with
// @opentelemetry/sdk-logs 3.x and api 1.10 (the behaviours of test/support/log-record-suite.ts).
import * as sdkLogs from '@opentelemetry/sdk-logs';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { diag } from '@opentelemetry/api';
import { ContextVar, ContextVarLogRecordProcessor } from '../../src/index';
import { logRecordProcessorSuite } from '../support/log-record-suite';
import type { SdkLogs } from '../support/log-record-suite';

test("every module here, this package's included, runs on test/otel3's @opentelemetry/api 1.10", () => {
  // jest.config.ts maps every import of the api (src's too) to this one path.
  expect(require.resolve('@opentelemetry/api')).toContain('test/otel3/node_modules/@opentelemetry/api/');
  diag.setLogger({ error() {}, warn() {}, info() {}, debug() {}, verbose() {} });
  const globals = (globalThis as Record<symbol, { version?: string }>)[Symbol.for('opentelemetry.js.api.1')];
  expect(globals?.version).toBe('1.10.0');
  diag.disable();
});

test("the class satisfies sdk-logs 3.x's LogRecordProcessor interface (checked by the compiler)", () => {
  const processor: LogRecordProcessor = new ContextVarLogRecordProcessor({ vars: [new ContextVar('x')] });
  expect(typeof processor.onEmit).toBe('function');
});

logRecordProcessorSuite(sdkLogs as unknown as SdkLogs);
