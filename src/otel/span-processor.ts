import type { AttributeValue, Context as OtelContext } from '@opentelemetry/api';
import type { AttributeSettable } from './attribute-target';
import type { VarAttributeOptions } from './processor-options';
import { VarRecorder } from './var-recorder';

export type { AttributeSettable } from './attribute-target';

/** Options of the ContextVarSpanProcessor constructor: the vars to record on every span whose parent context binds them. */
export type ContextVarSpanProcessorOptions = VarAttributeOptions;

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
 * Register it with `new TracerProvider({ spanProcessors: [...] })` (3.x; BasicTracerProvider or
 * NodeTracerProvider in 2.x) or
 * `new NodeSDK({ spanProcessors: [...] })`, before the exporting processor. It needs no SDK at
 * run time. Values that are not valid attribute values (objects, mixed arrays, null, undefined,
 * bigint) are skipped and reported once per var through `diag`; an attribute given to `startSpan`
 * is not overwritten. It never throws into the tracer.
 */
export class ContextVarSpanProcessor {
  readonly #recorder: VarRecorder<AttributeValue>;

  /**
   * @param options `{ vars, attributePrefix? }`.
   * @throws TypeError when `vars` is not an array of ContextVars (two with one name included) or
   * `attributePrefix` is not a string.
   */
  constructor(options: ContextVarSpanProcessorOptions) {
    // A copy of an array: mutating the var's array later must not change a recorded span.
    this.#recorder = new VarRecorder('ContextVarSpanProcessor', options, 'span attribute', isAttributeValue, (value) =>
      Array.isArray(value) ? value.slice() : value,
    );
  }

  /**
   * Copies the listed vars bound in `parentContext` (the context the span was started in) onto
   * `span`. Called by the SDK; never throws.
   */
  onStart(span: AttributeSettable, parentContext: OtelContext): void {
    this.#recorder.record(parentContext, span);
  }

  /** Nothing to do when a span ends. */
  onEnd(): void {
    // The vars were copied when the span started.
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
