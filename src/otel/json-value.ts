/** What {@link jsonValue} made of a value: the JSON-safe value, or why there is none. */
export type JsonValueResult =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

// BigInt has no JSON form (JSON.stringify throws on it); its decimal digits keep the exact value,
// which a number could not.
const bigintAsText = (_key: string, v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v);

/**
 * A value that `JSON.stringify` takes without throwing, however the logger serializes it later:
 * strings, numbers, booleans, null, undefined, symbols and functions as they are (JSON writes or
 * drops them without throwing), a bigint as its decimal string, and an object or array as the
 * JSON copy of it (Dates become ISO strings, `toJSON` applies, bigints inside become strings),
 * taken now so that a later change or a hostile getter cannot break the log line. `ok: false` when
 * the object has no JSON form: a cycle, or a getter or `toJSON` that throws.
 */
export function jsonValue(value: unknown): JsonValueResult {
  if (typeof value === 'bigint') return { ok: true, value: value.toString() };
  if (typeof value !== 'object' || value === null) return { ok: true, value };
  try {
    const text = JSON.stringify(value, bigintAsText) as string | undefined;
    return { ok: true, value: text === undefined ? undefined : JSON.parse(text) };
  } catch (error) {
    return { ok: false, error };
  }
}
