import type { Context as OtelContext, TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import type { ContextVar } from '../var';

/** What a wire format needs of ContextVarPropagator: per-var codecs and its once-only reporter. */
export interface VarText {
  /** The var's value as text (codec or string), or undefined when it cannot be sent (reported). */
  textOf(v: ContextVar<unknown>, value: unknown): string | undefined;
  /** The var's value from text (codec or string), or NO_VALUE when it is refused (reported). */
  decode(v: ContextVar<unknown>, text: string): unknown;
  /**
   * Reports `message` once for this kind and subject (a var's name, or '' for a problem with
   * inbound text, whose keys must not grow the memory); a function is called only when new.
   */
  report(kind: string, subject: string, message: string | (() => string)): void;
}

/** One way of carrying vars in a carrier: ContextVarPropagator's format 'header' or 'baggage'. */
export interface WireFormat {
  /** The one carrier key the format reads and writes. */
  readonly field: string;
  inject(context: OtelContext, carrier: unknown, setter: TextMapSetter): void;
  extract(context: OtelContext, carrier: unknown, getter: TextMapGetter): OtelContext;
}

/** `decodeURIComponent`, with undefined for malformed percent-encoding instead of a throw. */
export function percentDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** `name=value`, both percent-encoded; undefined for a lone surrogate, which has no UTF-8 form to send. */
export function percentPair(name: string, value: string): string | undefined {
  try {
    return `${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
  } catch {
    return undefined;
  }
}
