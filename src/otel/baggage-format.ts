import { baggageEntryMetadataFromString, propagation } from '@opentelemetry/api';
import type {
  BaggageEntry,
  BaggageEntryMetadata,
  Context as OtelContext,
  TextMapGetter,
  TextMapSetter,
} from '@opentelemetry/api';
import { reprValue } from '../internal/repr';
import type { ContextVar } from '../var';
import { sendableProperties } from './baggage-properties';
import { errorText } from './report-once';
import { NO_VALUE } from '../internal/var-context';
import { percentDecode, percentPair } from './wire-format';
import type { VarText, WireFormat } from './wire-format';

/** The W3C Baggage header (https://www.w3.org/TR/baggage/). */
export const BAGGAGE_HEADER = 'baggage';
// OpenTelemetry JS's W3CBaggagePropagator limits (its constants.ts), within W3C's minimums:
// at most 180 entries, 4096 characters an entry and 8192 for the header. Inject never writes
// more; extract reads no more, so hostile input costs at most that much.
const MAX_ENTRIES = 180;
const MAX_ENTRY_LENGTH = 4096;
const MAX_TOTAL_LENGTH = 8192;
// @opentelemetry/core's suppressTracing key: createContextKey uses Symbol.for, so it is readable
// without depending on core. W3CBaggagePropagator writes nothing under it; neither do we.
const SUPPRESS_TRACING_KEY = Symbol.for('OpenTelemetry SDK Context Key SUPPRESS_TRACING');
// A W3C baggage key is an RFC 7230 token.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Whether `name` can be a W3C baggage key as it is (a var's name is its key on the wire). */
export function isBaggageKey(name: string): boolean {
  return TOKEN.test(name);
}

function pair(key: string, value: string, metadata: string): string | undefined {
  const entry = percentPair(key, value);
  return entry !== undefined && metadata ? `${entry};${metadata}` : entry;
}

/**
 * The entry's properties as they can be sent: encoded or dropped where Node's http or a W3C
 * parser would refuse them (reported once); '' when there are none or they cannot be read.
 */
function propertiesOf(key: string, metadata: BaggageEntryMetadata | undefined, io: VarText): string {
  if (metadata === undefined) return '';
  let raw: unknown;
  try {
    raw = metadata.toString();
  } catch (error) {
    io.report(
      'properties',
      '',
      () => `left out the properties of baggage entry ${reprValue(key)}: ${errorText(error)}`,
    );
    return '';
  }
  if (typeof raw !== 'string') return '';
  const { text, changed } = sendableProperties(raw);
  if (changed)
    io.report(
      'properties',
      '',
      () =>
        `percent-encoded or left out properties of baggage entry ${reprValue(key)} that an HTTP header cannot carry (CR, LF, NUL, non-ASCII, keys that are not tokens)`,
    );
  return text;
}

/**
 * Writes the `baggage` header: the listed vars bound in `context` (key = var name, value = the
 * var's text), then the context's other Baggage entries, as W3CBaggagePropagator writes them
 * (value percent-encoded with encodeURIComponent, metadata after `;`). A bound var replaces a
 * Baggage entry of the same key. Entries past the limits are left out, the vars' reported once.
 */
function injectBaggage(
  context: OtelContext,
  carrier: unknown,
  setter: TextMapSetter,
  vars: readonly ContextVar<unknown>[],
  io: VarText,
): void {
  if (context.getValue(SUPPRESS_TRACING_KEY) === true) return;
  const entries: string[] = [];
  const written = new Set<string>();
  let length = 0;
  const add = (key: string, entry: string | undefined, isVar: boolean): void => {
    // undefined: an entry of the context's Baggage with a lone surrogate, left out as unsendable.
    const added = (entries.length > 0 ? 1 : 0) + (entry?.length ?? 0);
    if (
      entry === undefined ||
      entry.length > MAX_ENTRY_LENGTH ||
      entries.length >= MAX_ENTRIES ||
      length + added > MAX_TOTAL_LENGTH
    ) {
      // A var's key is one of the listed names; other entries' keys come from inbound headers,
      // so they share one report rather than growing the set of reported keys.
      io.report(
        'too large',
        isVar ? key : '',
        () =>
          `${isVar ? `skipped ${reprValue(key)}` : 'left out baggage entries'}: W3C baggage allows ${MAX_ENTRY_LENGTH} characters an entry, ${MAX_TOTAL_LENGTH} a header and ${MAX_ENTRIES} entries`,
      );
      return;
    }
    entries.push(entry);
    written.add(key);
    length += added;
  };
  const baggage = propagation.getBaggage(context);
  for (const v of vars) {
    const value = v.getIn(context, NO_VALUE);
    if (value === NO_VALUE) continue;
    const text = io.textOf(v, value);
    // An unchanged value keeps the properties its entry arrived with.
    const received = baggage?.getEntry(v.name);
    if (text === undefined) continue;
    const entry = pair(v.name, text, received?.value === text ? propertiesOf(v.name, received.metadata, io) : '');
    if (entry === undefined)
      io.report(
        'lone surrogate',
        v.name,
        `skipped ${reprValue(v.name)}: its text has a lone surrogate, which has no UTF-8 form`,
      );
    else add(v.name, entry, true);
  }
  for (const [key, entry] of baggage?.getAllEntries() ?? []) {
    if (!written.has(key)) add(key, pair(key, entry.value, propertiesOf(key, entry.metadata, io)), false);
  }
  if (entries.length > 0) setter.set(carrier, BAGGAGE_HEADER, entries.join(','));
}

function readHeader(value: unknown, io: VarText): string | undefined {
  // Node joins repeated headers with ', '; other carriers hand over an array: one list either way.
  // Sizes are checked before any joining, so a huge array costs no more than the limit.
  let text: string;
  if (typeof value === 'string') text = value;
  else if (!Array.isArray(value)) return undefined;
  else {
    let length = -1;
    for (const part of value as unknown[]) {
      if (typeof part !== 'string') return undefined;
      length += part.length + 1;
      if (length > MAX_TOTAL_LENGTH) break;
    }
    if (length > MAX_TOTAL_LENGTH) {
      reportOversized(io);
      return undefined;
    }
    text = value.join(',');
  }
  if (text.length === 0) return undefined;
  if (text.length <= MAX_TOTAL_LENGTH) return text;
  reportOversized(io);
  return undefined;
}

function reportOversized(io: VarText): void {
  io.report('oversized', '', `ignored an inbound baggage header over ${MAX_TOTAL_LENGTH} characters`);
}

/**
 * Reads the `baggage` header as W3CBaggagePropagator does: `key=value` list members, key and
 * value percent-decoded (`+` stays a plus, as W3C and OpenTelemetry JS read it), properties after
 * `;` kept as metadata, a repeated key's last value wins, malformed members skipped. Sets the
 * Baggage in the context (replacing any, as that propagator does) and binds each listed var found
 * among the entries, through its codec. Returns `context` itself when nothing is usable.
 */
function extractBaggage(
  context: OtelContext,
  carrier: unknown,
  getter: TextMapGetter,
  byName: ReadonlyMap<string, ContextVar<unknown>>,
  io: VarText,
): OtelContext {
  const text = readHeader(getter.get(carrier, BAGGAGE_HEADER), io);
  if (text === undefined) return context;
  const entries: Record<string, BaggageEntry> = {};
  let count = 0;
  const members = text.split(',', MAX_ENTRIES + 1);
  if (members.length > MAX_ENTRIES) {
    members.length = MAX_ENTRIES;
    io.report(
      'too many members',
      '',
      `kept the first ${MAX_ENTRIES} members of an inbound baggage header, as W3C baggage allows`,
    );
  }
  for (const member of members) {
    if (member.length > MAX_ENTRY_LENGTH) continue;
    const [keyValue = '', ...properties] = member.split(';');
    const eq = keyValue.indexOf('=');
    if (eq <= 0) continue;
    const key = percentDecode(keyValue.slice(0, eq).trim());
    const value = percentDecode(keyValue.slice(eq + 1).trim());
    // Empty keys and values are skipped, as W3CBaggagePropagator skips them.
    if (!key || !value) continue;
    const entry: BaggageEntry = { value };
    if (properties.length > 0) entry.metadata = baggageEntryMetadataFromString(properties.join(';'));
    // defineProperty: a key named '__proto__' is an entry like any other.
    Object.defineProperty(entries, key, { value: entry, enumerable: true, writable: true, configurable: true });
    count++;
  }
  if (count === 0) return context;
  let ctx = propagation.setBaggage(context, propagation.createBaggage(entries));
  for (const [name, v] of byName) {
    if (!Object.hasOwn(entries, name)) continue;
    const value = io.decode(v, entries[name].value);
    if (value !== NO_VALUE) ctx = v.setIn(ctx, value);
  }
  return ctx;
}

/** ContextVarPropagator's format 'baggage': the W3C `baggage` header, read and written as above. */
export class BaggageFormat implements WireFormat {
  readonly field = BAGGAGE_HEADER;
  readonly #vars: readonly ContextVar<unknown>[];
  readonly #byName: ReadonlyMap<string, ContextVar<unknown>>;
  readonly #io: VarText;

  constructor(vars: readonly ContextVar<unknown>[], byName: ReadonlyMap<string, ContextVar<unknown>>, io: VarText) {
    this.#vars = vars;
    this.#byName = byName;
    this.#io = io;
  }

  inject(context: OtelContext, carrier: unknown, setter: TextMapSetter): void {
    injectBaggage(context, carrier, setter, this.#vars, this.#io);
  }

  extract(context: OtelContext, carrier: unknown, getter: TextMapGetter): OtelContext {
    return extractBaggage(context, carrier, getter, this.#byName, this.#io);
  }
}
