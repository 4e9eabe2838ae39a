import type { AttributeValue, Attributes, Context as OtelContext } from '@opentelemetry/api';
import { reprValue } from '../internal/repr';
import type { ContextVar } from '../var';
import { OnceReporter, errorText } from './report-once';
import { readVarAttributeOptions } from './processor-options';
import type { VarAttributeOptions } from './processor-options';
import { UNBOUND } from './var-shape';
import { checkSplitFromTelemetry } from '../internal/split-check';

/** Options of the ContextVarSpanProcessor constructor: the vars to record on every span whose parent context binds them. */
export type ContextVarSpanProcessorOptions = VarAttributeOptions;

/**
 * What the processor needs of a span: the SDK's `Span` has both members. Declared here rather
 * than imported, so this package's types do not require `@opentelemetry/sdk-trace-base` to be
 * installed; the class still satisfies the SDK's `SpanProcessor` interface structurally.
 */
export interface AttributeSettable {
  setAttribute(key: string, value: AttributeValue): unknown;
  readonly attributes?: Attributes;
}

const PRIMITIVE_TYPES = new Set(['string', 'number', 'boolean']);

/** OTel's rule: a string, number or boolean, or an array of one of those types (nulls allowed). */
function isAttributeValue(value: unknown): value is AttributeValue {
  if (!Array.isArray(value)) return PRIMITIVE_TYPES.has(typeof value);
  let type: string | undefined;
  for (const item of value) {
    if (item === null || item === undefined) continue;
    const t = typeof item;
    if (type === undefined && PRIMITIVE_TYPES.has(t)) type = t;
    else if (t !== type) return false;
  }
  return true;
}

/**
 * An OpenTelemetry `SpanProcessor` that records ContextVars on spans: when a span starts, each
 * listed var bound in the span's parent context becomes an attribute `prefix + var.name`. Request
 * metadata set once (tenant, request id) then shows on every span of the request, including those
 * of auto-instrumentation. The OpenTelemetry counterpart is a baggage span processor; Python's
 * equivalent is an `opentelemetry.sdk.trace.SpanProcessor` that reads `ContextVar.get()`.
 *
 * Register it with `new BasicTracerProvider({ spanProcessors: [...] })`, a NodeTracerProvider or
 * `new NodeSDK({ spanProcessors: [...] })`, before the exporting processor. It needs no SDK at
 * run time. Values that are not valid attribute values (objects, mixed arrays, null, undefined,
 * bigint) are skipped and reported once per var through `diag`; an attribute given to `startSpan`
 * is not overwritten. It never throws into the tracer.
 */
export class ContextVarSpanProcessor {
  readonly #vars: ReadonlyArray<ContextVar<unknown>>;
  readonly #keys: ReadonlyArray<string>;
  readonly #reporter = new OnceReporter('otel-contextvars ContextVarSpanProcessor');

  /**
   * @param options `{ vars, attributePrefix? }`.
   * @throws TypeError when `vars` is not an array of ContextVars (two with one name included) or
   * `attributePrefix` is not a string.
   */
  constructor(options: ContextVarSpanProcessorOptions) {
    const { vars, keys } = readVarAttributeOptions('ContextVarSpanProcessor', options);
    this.#vars = vars;
    this.#keys = keys;
  }

  /**
   * Copies the listed vars bound in `parentContext` (the context the span was started in) onto
   * `span`. Called by the SDK; never throws.
   */
  onStart(span: AttributeSettable, parentContext: OtelContext): void {
    checkSplitFromTelemetry();
    for (let i = 0; i < this.#vars.length; i++) {
      const v = this.#vars[i]!;
      try {
        const value = v.getIn(parentContext, UNBOUND);
        if (value === UNBOUND) continue;
        const key = this.#keys[i]!;
        if (!isAttributeValue(value)) {
          this.#reporter.report(v.name, `skipped ${reprValue(v.name)}: ${reprValue(value)} is not a valid span attribute value`);
          continue;
        }
        if (span.attributes !== undefined && Object.hasOwn(span.attributes, key)) continue;
        // A copy: mutating the var's array later must not change a recorded span.
        span.setAttribute(key, Array.isArray(value) ? (value.slice() as AttributeValue) : value);
      } catch (error) {
        this.#reporter.report(v.name, `could not record ${reprValue(v.name)}: ${errorText(error)}`);
      }
    }
  }

  /** Nothing to do when a span ends. */
  onEnd(): void {}

  /** Nothing to release. */
  async shutdown(): Promise<void> {}

  /** Nothing is buffered. */
  async forceFlush(): Promise<void> {}

}
