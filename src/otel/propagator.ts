import { defaultTextMapGetter, defaultTextMapSetter } from '@opentelemetry/api';
import type { Context as OtelContext, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { reprValue } from '../internal/repr';
import type { ContextVar } from '../var';
import { OnceReporter, errorText } from './report-once';
import { BaggageFormat, isBaggageKey } from './baggage-format';
import { HeaderFormat } from './header-format';
import { NO_VALUE } from '../internal/var-context';
import { readVarList, requireOptionsObject } from './processor-options';
import type { VarText, WireFormat } from './wire-format';

/**
 * Turns a var's value into header text and back. `decode` receives text from the other side of a
 * process boundary: treat it as untrusted input, validate it, and throw to drop the entry.
 */
export interface ContextVarCodec<T> {
  /** The value as text (any string; the propagator percent-encodes it). Throw to skip the value. */
  encode(value: T): string;
  /** The value back from text; runs on inbound, attacker-controlled text. Throw to drop it. */
  decode(text: string): T;
}

/** Options of the ContextVarPropagator constructor. */
export interface ContextVarPropagatorOptions {
  /** The vars to carry. Their names are the keys on the wire, so they must be distinct. */
  vars: ContextVar<unknown>[];
  /** The header (carrier key) of format `'header'`; lowercased. Default `'contextvars'`. */
  header?: string;
  /**
   * `'header'` (default): the package's own header, which carries any string exactly.
   * `'baggage'`: standard W3C Baggage entries (key = var name), readable by every OpenTelemetry
   * SDK; this propagator then replaces W3CBaggagePropagator in a composite.
   */
  format?: 'header' | 'baggage';
  /**
   * A codec per var name, for values that are not strings. A var without a codec carries strings
   * only: the receiver, not the sender, decides what type a value gets.
   */
  codecs?: Record<string, ContextVarCodec<unknown>>;
}

/** Default carrier key: our own header, so the W3C `traceparent` and `baggage` stay untouched. */
const DEFAULT_HEADER = 'contextvars';
// An HTTP header name is an RFC 9110 token; lowercase, since HTTP/2 and Node lowercase names.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const RESERVED_HEADERS = new Set(['traceparent', 'tracestate', 'baggage']);
// Names that are tokens but no place for a value of ours: the carrier is a plain object, where
// `__proto__` sets the prototype (nothing is written) and `constructor` is read from it on
// extract; HTTP/1 framing and routing headers that Node's http acts on; and the connection-specific
// headers Node's http2 refuses (ERR_HTTP2_INVALID_CONNECTION_HEADERS).
const UNUSABLE_HEADERS = new Set([
  '__proto__',
  'constructor',
  'connection',
  'content-length',
  'expect',
  'host',
  'http2-settings',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function isCodec(c: unknown): c is ContextVarCodec<unknown> {
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof (c as ContextVarCodec<unknown>).encode === 'function' &&
    typeof (c as ContextVarCodec<unknown>).decode === 'function'
  );
}

/**
 * Carries ContextVars across process boundaries (HTTP headers, worker and child-process messages)
 * in one header of its own: `name=value` entries separated by commas, name and value
 * percent-encoded, so every well-formed string round-trips (commas, `=`, spaces, `%`, unicode).
 * Composes with `W3CTraceContextPropagator` and `W3CBaggagePropagator` in a `CompositePropagator`.
 * The OpenTelemetry counterpart is `W3CBaggagePropagator`; Python has none (contextvars stop at
 * the process).
 *
 * With `format: 'baggage'` the vars travel as W3C Baggage entries instead, so services in any
 * language read them as baggage: inject writes the context's Baggage plus the listed vars,
 * extract sets the Baggage as W3CBaggagePropagator does and binds the listed vars found in it.
 * Use it in place of W3CBaggagePropagator (both write the one `baggage` header). Var names must
 * be W3C baggage keys (tokens); limits are that propagator's (180 entries, 4096 characters an
 * entry, 8192 a header). A `+` is read as a plus, as W3C says: a space that passed through
 * OpenTelemetry Python (which writes it as `+`) arrives as `+` unless the var's codec maps it back.
 *
 * Security: whatever you list here leaves the process, in clear text, to every service the call
 * reaches (and their logs and proxies). Do not propagate secrets, tokens or personal data. On the
 * receiving side every value is attacker-controlled input: validate it before you trust it (a
 * codec's `decode` is a good place), and list only vars that are meant to cross the boundary.
 *
 * Never throws into the host: values that cannot be encoded are skipped and reported once (per
 * kind of problem and var) through `diag`; malformed, oversized or hostile input is ignored at a
 * cost bounded by the format's limits (its own header: 8192 characters and 64 entries, ignored
 * whole past them; baggage: the W3C limits above, past which members are left out); unknown
 * names are ignored; of repeated names in its own header the first wins.
 */
export class ContextVarPropagator implements TextMapPropagator {
  readonly #format: WireFormat;
  readonly #codecs: Map<string, ContextVarCodec<unknown>>;
  // Once per kind and var: inbound traffic must not be able to flood the diag logger.
  readonly #reporter = new OnceReporter('otel-contextvars ContextVarPropagator');

  /**
   * @param options `{ vars, header?, format?, codecs? }`.
   * @throws TypeError when the options are malformed: not ContextVars, two vars with one name, a
   * header that is not an HTTP token, is a W3C header or one a carrier object or Node's http treats
   * specially (`__proto__`, `constructor`, `host`, `connection`, `transfer-encoding`...), a codec that is not one or names no listed
   * var, an unknown format, and for format `'baggage'` a header option or a var name that is not a
   * W3C baggage key.
   */
  constructor(options: ContextVarPropagatorOptions) {
    requireOptionsObject('ContextVarPropagator', options);
    const { vars, header = DEFAULT_HEADER, codecs = {}, format = 'header' } = options;
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JavaScript callers can pass anything: a clear TypeError, not a crash further in
    if (format !== 'header' && format !== 'baggage') {
      throw new TypeError(`ContextVarPropagator: format must be 'header' or 'baggage', got ${reprValue(format)}`);
    }
    const baggage = format === 'baggage';
    if (baggage && options.header !== undefined) {
      throw new TypeError(
        "ContextVarPropagator: format 'baggage' writes the W3C baggage header; the header option is for format 'header'",
      );
    }
    const byName = new Map<string, ContextVar<unknown>>();
    for (const v of readVarList('ContextVarPropagator', vars, 'names are the keys on the wire')) {
      if (baggage && !isBaggageKey(v.name)) {
        throw new TypeError(
          `ContextVarPropagator: ${reprValue(v.name)} is not a W3C baggage key (an HTTP token), so it cannot be a baggage entry's key`,
        );
      }
      byName.set(v.name, v);
    }
    if (typeof header !== 'string' || !HEADER_NAME.test(header.toLowerCase())) {
      throw new TypeError(`ContextVarPropagator: header must be an HTTP header name, got ${reprValue(header)}`);
    }
    if (UNUSABLE_HEADERS.has(header.toLowerCase())) {
      throw new TypeError(
        `ContextVarPropagator: header ${reprValue(header.toLowerCase())} cannot carry vars: a carrier object or Node's http treats it specially`,
      );
    }
    if (!baggage && RESERVED_HEADERS.has(header.toLowerCase())) {
      throw new TypeError(
        `ContextVarPropagator: header ${reprValue(header.toLowerCase())} belongs to a W3C propagator`,
      );
    }
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JavaScript callers can pass anything: a clear TypeError, not a crash further in
    if (typeof codecs !== 'object' || codecs === null) {
      throw new TypeError(`ContextVarPropagator: codecs must be an object keyed by var name, got ${reprValue(codecs)}`);
    }
    this.#codecs = new Map();
    for (const name of Object.keys(codecs)) {
      const codec: unknown = codecs[name];
      if (!byName.has(name))
        throw new TypeError(`ContextVarPropagator: codec for ${reprValue(name)}, which is not in vars`);
      if (!isCodec(codec))
        throw new TypeError(`ContextVarPropagator: the codec for ${reprValue(name)} needs encode and decode functions`);
      this.#codecs.set(name, codec);
    }
    const io: VarText = {
      textOf: (v, value) => this.#textOf(v, value),
      decode: (v, text) => this.#decode(v, text),
      report: (kind, subject, message) => this.#reporter.report(kind, subject, message),
    };
    this.#format = baggage
      ? new BaggageFormat([...vars], byName, io)
      : new HeaderFormat(header.toLowerCase(), [...vars], byName, io);
  }

  /**
   * Writes the listed vars bound in `context` into the carrier's header; writes nothing when none
   * is bound. Format `'baggage'`: writes the `baggage` header with the context's Baggage entries
   * and the listed vars. Never throws.
   */
  inject(context: OtelContext, carrier: unknown, setter: TextMapSetter = defaultTextMapSetter): void {
    try {
      this.#format.inject(context, carrier, setter);
    } catch (error) {
      this.#reporter.report('inject failed', '', () => `inject failed and was skipped: ${errorText(error)}`);
    }
  }

  /**
   * Returns `context` with the vars found in the carrier's header bound in it (via `setIn`), so
   * that inside `context.with(extracted, fn)` their `get()` returns the sender's values. Returns
   * `context` itself when there is nothing usable. Format `'baggage'`: also sets the Baggage
   * found in the header, as W3CBaggagePropagator does. Never throws.
   */
  extract(context: OtelContext, carrier: unknown, getter: TextMapGetter = defaultTextMapGetter): OtelContext {
    try {
      return this.#format.extract(context, carrier, getter);
    } catch (error) {
      this.#reporter.report('extract failed', '', () => `extract failed and was ignored: ${errorText(error)}`);
      return context;
    }
  }

  /** The one carrier key this propagator reads and writes: `[header]`, or `['baggage']`. */
  fields(): string[] {
    return [this.#format.field];
  }

  /** The var's value as text, through its codec; undefined (reported once) when it has none. */
  #textOf(v: ContextVar<unknown>, value: unknown): string | undefined {
    const codec = this.#codecs.get(v.name);
    let text: unknown = value;
    if (codec !== undefined) {
      try {
        text = codec.encode(value);
      } catch (error) {
        this.#reporter.report(
          'encode threw',
          v.name,
          () => `skipped ${reprValue(v.name)}: its codec's encode threw ${errorText(error)}`,
        );
        return undefined;
      }
    }
    if (typeof text !== 'string') {
      this.#reporter.report(
        'not a string',
        v.name,
        codec === undefined
          ? `skipped ${reprValue(v.name)}: a var without a codec carries strings only, got ${typeof value}`
          : `skipped ${reprValue(v.name)}: its codec's encode returned ${typeof text}, not a string`,
      );
      return undefined;
    }
    return text;
  }

  /** The var's value from received text, through its codec; NO_VALUE (reported once) when refused. */
  #decode(v: ContextVar<unknown>, text: string): unknown {
    const codec = this.#codecs.get(v.name);
    if (codec === undefined) return text;
    try {
      return codec.decode(text);
    } catch (error) {
      this.#reporter.report(
        'decode threw',
        v.name,
        () => `dropped an inbound ${reprValue(v.name)}: its codec's decode threw ${errorText(error)}`,
      );
      return NO_VALUE;
    }
  }
}
