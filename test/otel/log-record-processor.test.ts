// ContextVarLogRecordProcessor on the 2.x line's logs SDK
// (@opentelemetry/sdk-logs 0.2xx, api 1.9). The same behaviours run on sdk-logs 3.x in
// test/otel3/log-record-processor.test.ts.
import * as sdkLogs from '@opentelemetry/sdk-logs';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { ContextVar, ContextVarLogRecordProcessor } from '../../src/index';
import { logRecordProcessorSuite } from '../support/log-record-suite';
import type { SdkLogs } from '../support/log-record-suite';

test("the class satisfies sdk-logs 0.2xx's LogRecordProcessor interface (checked by the compiler)", () => {
  const processor: LogRecordProcessor = new ContextVarLogRecordProcessor({ vars: [new ContextVar('x')] });
  expect(typeof processor.onEmit).toBe('function');
});

logRecordProcessorSuite(sdkLogs as unknown as SdkLogs);
