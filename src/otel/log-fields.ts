import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import { reprValue } from '../internal/repr';
import type { ContextVar } from '../var';
import { jsonValue } from './json-value';
import { OnceReporter, errorText } from './report-once';
import { NO_VALUE } from '../internal/var-context';
import { isContextVar } from './var-shape';

// One reporter for every call: logFields runs on every log line, each problem is said once.
const reporter = new OnceReporter('otel-contextvars logFields');

/** Options of {@link logFields}. */
export interface LogFieldsOptions {
  /** Vars to add, each under its name, when bound in the current context. */
  vars?: ContextVar<unknown>[];
}

/**
 * Fields that correlate a log line with the current trace and request: `trace_id`, `span_id` and
 * `trace_flags` (`'01'` sampled, `'00'` not: two hex digits) of the active span, when there is a
 * valid one, plus each listed var bound in the current context, under its name. The field names
 * are those of OpenTelemetry's pino and winston instrumentations; the trace fields win over a var
 * of the same name. Python's equivalent is a `logging.Filter` that adds `ContextVar.get()` and
 * the OTel logging instrumentation's `otelTraceID` / `otelSpanID`.
 *
 * pino: `pino({ mixin: () => logFields({ vars }) })`.
 * winston: `format((info) => Object.assign(info, logFields({ vars })))()`.
 *
 * The fields are JSON-safe, so `JSON.stringify` of a pino or winston line never throws because of
 * them: a bigint becomes its decimal string, an object or array its JSON copy taken now, and a
 * value with no JSON form (a cycle, a throwing getter or `toJSON`) is left out and reported once
 * per var through `diag`.
 *
 * Never throws: bad options or an unreadable var yield fewer fields, each kind of problem reported
 * once (per var, where it concerns one) through `diag`.
 */
export function logFields(options?: LogFieldsOptions): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  try {
    const vars = options?.vars;
    if (vars !== undefined && !Array.isArray(vars)) {
      reporter.report('vars not an array', '', () => `vars must be an array of ContextVars, got ${reprValue(vars)}`);
    } else if (vars !== undefined) {
      for (const v of vars) addVar(fields, v);
    }
  } catch (error) {
    reporter.report('unreadable options', '', () => `could not read the options: ${errorText(error)}`);
  }
  try {
    const spanContext = trace.getSpanContext(context.active());
    if (spanContext !== undefined && isSpanContextValid(spanContext)) {
      fields.trace_id = spanContext.traceId;
      fields.span_id = spanContext.spanId;
      fields.trace_flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
    }
  } catch (error) {
    reporter.report('unreadable span', '', () => `could not read the active span: ${errorText(error)}`);
  }
  return fields;
}

function addVar(fields: Record<string, unknown>, v: ContextVar<unknown>): void {
  if (!isContextVar(v)) {
    reporter.report('not a var', '', () => `a ContextVar was expected in vars, got ${reprValue(v)}`);
    return;
  }
  try {
    // get(), not getIn(context.active()): vars work with no context manager registered at all.
    const value = v.get(NO_VALUE);
    if (value === NO_VALUE) return;
    const json = jsonValue(value);
    if (!json.ok) {
      // A var keeps its unserializable value for many lines: rendered for the first one only.
      reporter.report(
        'no JSON form',
        v.name,
        () => `left out ${reprValue(v.name)}: its value has no JSON form (${errorText(json.error)})`,
      );
      return;
    }
    // defineProperty: a var named '__proto__' becomes a plain field, not the object's prototype.
    Object.defineProperty(fields, v.name, { value: json.value, enumerable: true, writable: true, configurable: true });
  } catch (error) {
    reporter.report('unreadable var', v.name, () => `skipped ${reprValue(v)}: ${errorText(error)}`);
  }
}
