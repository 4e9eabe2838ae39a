import type { Context as OtelContext, TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import { reprValue } from '../internal/repr';
import type { ContextVar } from '../var';
import { NO_VALUE } from '../internal/var-context';
import { percentDecode, percentPair } from './wire-format';
import type { VarText, WireFormat } from './wire-format';

// Bounds on what extract will look at, and what inject will write (so it never writes a header
// the other side refuses). The same order as W3C baggage's limits (8192 bytes, 180 entries).
const MAX_HEADER_LENGTH = 8192;
const MAX_ENTRIES = 64;

/**
 * ContextVarPropagator's own header (format 'header'): `name=value` entries separated by commas,
 * name and value percent-encoded, so every well-formed string round-trips. Extract ignores a
 * header over 8192 characters or 64 entries as a whole, malformed entries and unknown names, and
 * keeps the first of repeated names; inject never writes what extract would refuse.
 */
export class HeaderFormat implements WireFormat {
  readonly field: string;
  readonly #vars: readonly ContextVar<unknown>[];
  readonly #byName: ReadonlyMap<string, ContextVar<unknown>>;
  readonly #io: VarText;

  constructor(
    header: string,
    vars: readonly ContextVar<unknown>[],
    byName: ReadonlyMap<string, ContextVar<unknown>>,
    io: VarText,
  ) {
    this.field = header;
    this.#vars = vars;
    this.#byName = byName;
    this.#io = io;
  }

  inject(context: OtelContext, carrier: unknown, setter: TextMapSetter): void {
    const entries: string[] = [];
    let length = 0;
    for (const v of this.#vars) {
      const entry = this.#encodeEntry(v, v.getIn(context, NO_VALUE));
      if (entry === undefined) continue;
      const added = (entries.length > 0 ? 1 : 0) + entry.length;
      if (entries.length >= MAX_ENTRIES || length + added > MAX_HEADER_LENGTH) {
        this.#io.report(
          'too large',
          v.name,
          `skipped ${reprValue(v.name)}: the ${this.field} header would exceed ${MAX_HEADER_LENGTH} characters or ${MAX_ENTRIES} entries`,
        );
        continue;
      }
      entries.push(entry);
      length += added;
    }
    if (entries.length > 0) setter.set(carrier, this.field, entries.join(','));
  }

  extract(context: OtelContext, carrier: unknown, getter: TextMapGetter): OtelContext {
    const text = this.#readHeader(getter.get(carrier, this.field));
    if (text === undefined) return context;
    let ctx = context;
    const seen = new Set<string>();
    const entries = text.split(',', MAX_ENTRIES + 1);
    if (entries.length > MAX_ENTRIES) {
      this.#oversized();
      return context;
    }
    for (const raw of entries) {
      const entry = raw.trim();
      const eq = entry.indexOf('=');
      if (eq <= 0) continue;
      const name = percentDecode(entry.slice(0, eq));
      const v = name === undefined ? undefined : this.#byName.get(name);
      if (v === undefined || seen.has(v.name)) continue;
      seen.add(v.name);
      const valueText = percentDecode(entry.slice(eq + 1));
      const value = valueText === undefined ? NO_VALUE : this.#io.decode(v, valueText);
      if (value !== NO_VALUE) ctx = v.setIn(ctx, value);
    }
    return ctx;
  }

  #encodeEntry(v: ContextVar<unknown>, value: unknown): string | undefined {
    if (value === NO_VALUE) return undefined;
    const text = this.#io.textOf(v, value);
    if (text === undefined) return undefined;
    const entry = percentPair(v.name, text);
    if (entry === undefined) {
      this.#io.report(
        'lone surrogate',
        v.name,
        `skipped ${reprValue(v.name)}: its text has a lone surrogate, which has no UTF-8 form`,
      );
    }
    return entry;
  }

  #readHeader(value: unknown): string | undefined {
    // Node joins repeated unknown headers with ', ' but other carriers hand over an array:
    // both are one list of entries. Sizes are checked before any joining or splitting.
    if (typeof value === 'string') {
      if (value.length <= MAX_HEADER_LENGTH) return value;
      this.#oversized();
      return undefined;
    }
    if (!Array.isArray(value)) return undefined;
    if (value.length > MAX_ENTRIES) {
      this.#oversized();
      return undefined;
    }
    let length = 0;
    for (const part of value) {
      if (typeof part !== 'string') return undefined;
      length += part.length + 1;
      if (length > MAX_HEADER_LENGTH + 1) {
        this.#oversized();
        return undefined;
      }
    }
    return value.join(',');
  }

  #oversized(): void {
    this.#io.report(
      'oversized',
      '',
      `ignored an inbound ${this.field} header over ${MAX_HEADER_LENGTH} characters or ${MAX_ENTRIES} entries`,
    );
  }
}
