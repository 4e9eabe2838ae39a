import { context as otelContext } from '@opentelemetry/api';
import type { Context as OtelContext } from '@opentelemetry/api';
import type { AttributeSettable } from './attribute-target';
import type { VarAttributeOptions } from './processor-options';
import { isLogAttributeValue } from './log-attribute-value';
import type { LogAttributeValue } from './log-attribute-value';
import { errorText } from './report-once';
import { VarRecorder } from './var-recorder';

/** Options of the ContextVarLogRecordProcessor constructor: the vars to record on every log record whose context binds them. */
export type ContextVarLogRecordProcessorOptions = VarAttributeOptions;

/**
 * What the processor needs of a log record: the attribute target of both processors, whose
 * `setAttribute` takes any value here (the logs SDKs' `ReadWriteLogRecord` of 3.x and 0.2xx type
 * it as `AnyValue`); the processor passes only values both lines accept.
 */
export type LogAttributeSettable = AttributeSettable<unknown>;

/**
 * An OpenTelemetry `LogRecordProcessor` (`@opentelemetry/sdk-logs`) that records ContextVars on
 * log records: each listed var bound in the record's context becomes an attribute
 * `prefix + var.name` (default prefix `contextvar.`, as ContextVarSpanProcessor's). Logs sent
 * through OpenTelemetry (the pino and winston instrumentations' log sending, or
 * `logs.getLogger(...).emit`) then carry the request's vars next to its trace ids. Python's
 * equivalent is a `logging.Filter` reading `ContextVar.get()` under OpenTelemetry's LoggingHandler.
 *
 * Register it before the exporting processor:
 * `new LoggerProvider({ processors: [new ContextVarLogRecordProcessor({ vars }), new SimpleLogRecordProcessor({ exporter })] })`
 * or `new NodeSDK({ logRecordProcessors: [...] })`. It needs no SDK at run time. Values the logs
 * SDK would refuse are skipped and reported once per var through `diag` (the value is rendered for
 * that one report only), and so are values with a shared or cyclic object, more than 64 levels of
 * nesting or more than 10,000 values in all; an attribute the record already has is not
 * overwritten. It never throws into the logger.
 */
export class ContextVarLogRecordProcessor {
  readonly #recorder: VarRecorder<LogAttributeValue>;

  /**
   * @param options `{ vars, attributePrefix? }`.
   * @throws TypeError when `vars` is not an array of ContextVars (two with one name included) or
   * `attributePrefix` is not a string.
   */
  constructor(options: ContextVarLogRecordProcessorOptions) {
    // No copy: the logs SDK copies arrays and maps as it stores them (both lines).
    this.#recorder = new VarRecorder(
      'ContextVarLogRecordProcessor',
      options,
      'log attribute',
      isLogAttributeValue,
      (value) => value,
    );
  }

  /**
   * Copies the listed vars bound in `context` (the record's context, which the SDK passes; the
   * active one when it does not) onto `logRecord`. Called by the SDK; never throws.
   */
  onEmit(logRecord: LogAttributeSettable, context?: OtelContext): void {
    let ctx: OtelContext;
    try {
      ctx = context ?? otelContext.active();
    } catch (error) {
      this.#recorder.report('no active context', '', `could not read the active context: ${errorText(error)}`);
      return;
    }
    this.#recorder.record(ctx, logRecord);
  }

  /** Nothing to release. */
  async shutdown(): Promise<void> {
    // This processor holds no resources.
  }

  /** Nothing is buffered. */
  async forceFlush(): Promise<void> {
    // This processor buffers nothing.
  }
}
