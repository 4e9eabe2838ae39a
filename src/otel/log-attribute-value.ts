/** Log attribute values nest at most this many arrays and objects deep (30 levels pass easily). */
export const MAX_LOG_VALUE_DEPTH = 64;
/** A log attribute value holds at most this many values in all, itself and every nested one. */
export const MAX_LOG_VALUE_COUNT = 10_000;

/**
 * A value the logs SDKs take as a log attribute: the OpenTelemetry logs data model's `AnyValue`
 * (`@opentelemetry/api-logs`), declared here so that this package does not depend on it.
 */
export type LogAttributeValue =
  | string
  | number
  | boolean
  | Uint8Array
  | null
  | undefined
  | readonly LogAttributeValue[]
  | { readonly [key: string]: LogAttributeValue };

/**
 * Whether both logs SDK lines take `value` as a log attribute (the OpenTelemetry logs data model's
 * `AnyValue`), checked the way they check it: sdk-logs 0.2xx's `isLogAttributeValue` and core 3.x's
 * `isAnyValue`. A string, number, boolean, null or Uint8Array; an array of such values; an object
 * whose `constructor` is `Object` or undefined (so an own `constructor` key, as `JSON.parse` can
 * make, is refused as the SDKs refuse it) with such values under its own enumerable keys. Nested
 * undefined is allowed; a top-level undefined is not a value (3.x drops it).
 *
 * Stricter than either SDK where one of them would refuse or explode: an object or array reached
 * twice, by a cycle or by sharing, is refused (0.2xx refuses sharing outright; 3.x would walk and
 * copy it once per path, 2^20 times for 21 arrays that share their children). Each object is
 * visited once, and the walk stops past {@link MAX_LOG_VALUE_DEPTH} levels or
 * {@link MAX_LOG_VALUE_COUNT} values, so one check costs at most that much and never overflows the
 * stack (the SDKs recurse). A value refused for its size is remembered (weakly) as refused, so it
 * costs a lookup from then on. Getters run, as they do in the SDKs; a throwing one propagates.
 */
export function isLogAttributeValue(value: unknown): value is LogAttributeValue {
  if (value === undefined) return false;
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  const depths: number[] = [0];
  let count = 0;
  while (stack.length > 0) {
    const item = stack.pop();
    const depth = depths.pop() ?? 0;
    if (++count > MAX_LOG_VALUE_COUNT) return false;
    switch (typeof item) {
      case 'string':
      case 'number':
      case 'boolean':
      case 'undefined':
        continue;
      case 'object':
        break;
      default:
        return false;
    }
    if (item === null || item instanceof Uint8Array) continue;
    if (seen.has(item) || depth >= MAX_LOG_VALUE_DEPTH || TOO_BIG.has(item)) return false;
    seen.add(item);
    const children = childrenOf(item);
    if (children === undefined) return false;
    if (children === TOO_MANY) {
      TOO_BIG.add(item);
      return false;
    }
    if (count + stack.length + children.length > MAX_LOG_VALUE_COUNT) return false;
    for (const child of children) {
      stack.push(child);
      depths.push(depth + 1);
    }
  }
  return true;
}

// Values refused for their size, so that the next record pays a lookup instead of listing
// 100,000 keys again (Object.keys of such an object takes tens of milliseconds). A WeakSet keeps
// nothing alive. The one verdict cached is a refusal: if the object shrinks later it stays
// skipped, but nothing the SDKs refuse can pass through the cache.
const TOO_BIG = new WeakSet<object>();
const TOO_MANY = 'too many';

/**
 * An array's items or a plain object's own enumerable values ({@link TOO_MANY} past the bound,
 * without reading them); undefined for any other object.
 */
function childrenOf(item: object): readonly unknown[] | typeof TOO_MANY | undefined {
  if (Array.isArray(item)) {
    // for...of, as the SDKs iterate arrays (holes read as undefined).
    return item.length > MAX_LOG_VALUE_COUNT ? TOO_MANY : [...(item as unknown[])];
  }
  const ctor: unknown = (item as { constructor?: unknown }).constructor;
  if (ctor !== Object && ctor !== undefined) return undefined;
  const keys = Object.keys(item);
  if (keys.length > MAX_LOG_VALUE_COUNT) return TOO_MANY;
  return keys.map((key) => (item as Record<string, unknown>)[key]);
}
