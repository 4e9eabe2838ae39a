// A small renderer in the shape of Node's util.inspect (depth 1, one line), for runtimes that have
// no node:util (browsers, Cloudflare workerd without nodejs_compat). It reads own data properties
// only and shows accessors as [Getter]/[Setter], as util.inspect does by default, so printing a
// value never runs its getters. Callers catch whatever a hook or a proxy trap still throws.

/** Node's util.inspect hook key (a registered symbol, so no import of node:util is needed). */
const inspectHookKey = Symbol.for('nodejs.util.inspect.custom');
const MAX_ITEMS = 100;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

type Hook = (depth: number, options: object, inspect: (v: unknown) => string) => unknown;

/** util.inspect's quoting: single quotes, else double, else backticks, else escaped single quotes. */
function quote(text: string): string {
  const escaped = text.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c]);
  if (!text.includes("'")) return `'${escaped}'`;
  if (!text.includes('"')) return `"${escaped}"`;
  if (!text.includes('`') && !text.includes('${')) return `\`${escaped}\``;
  return `'${escaped.replaceAll("'", "\\'")}'`;
}

function key(k: string | symbol): string {
  // Node 24 and later print symbol keys bare (`Symbol(k): 1`); before, in brackets.
  if (typeof k === 'symbol') return k.toString();
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k);
}

function braces(prefix: string, open: string, items: string[], close: string): string {
  const head = prefix === '' ? '' : `${prefix} `;
  return items.length === 0 ? `${head}${open}${close}` : `${head}${open} ${items.join(', ')} ${close}`;
}

function properties(value: object, depth: number, skipIndices: boolean): string[] {
  const items: string[] = [];
  for (const k of Reflect.ownKeys(value)) {
    if (skipIndices && typeof k === 'string' && /^\d+$/.test(k)) continue;
    const d = Object.getOwnPropertyDescriptor(value, k);
    if (!d?.enumerable) continue;
    if (items.length === MAX_ITEMS) return [...items, '...'];
    const shown =
      'value' in d ? render(d.value, depth + 1) : d.set ? (d.get ? '[Getter/Setter]' : '[Setter]') : '[Getter]';
    items.push(`${key(k)}: ${shown}`);
  }
  return items;
}

function renderObject(value: object, depth: number): string {
  const hook = (value as Record<symbol, unknown>)[inspectHookKey];
  if (typeof hook === 'function') {
    const out = (hook as Hook).call(value, 1 - depth, { depth: 1 - depth }, (v) => render(v, depth + 1));
    return typeof out === 'string' ? out : out === value ? '[Circular]' : render(out, depth);
  }
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null;
  const name = proto?.constructor?.name;
  const ctor = proto === null ? '[Object: null prototype]' : typeof name === 'string' ? name : '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof RegExp) return String(value);
  if (value instanceof Error) return `[${value.name}: ${value.message}]`;
  // Past the depth limit util.inspect names a non-empty container instead of opening it.
  if (depth > 1 && !isEmpty(value)) return proto === null ? '[Object: null prototype]' : `[${ctor || 'Object'}]`;
  if (Array.isArray(value)) {
    const shown = value.slice(0, MAX_ITEMS).map((v) => render(v, depth + 1));
    if (value.length > MAX_ITEMS) shown.push(`... ${value.length - MAX_ITEMS} more items`);
    return braces(ctor === 'Array' ? '' : ctor, '[', [...shown, ...properties(value, depth, true)], ']');
  }
  if (value instanceof Map || value instanceof Set) {
    // A Set's entries() are [value, value] pairs, so one walk serves both.
    const pairs: [unknown, unknown][] = [...(value as Map<unknown, unknown>).entries()].slice(0, MAX_ITEMS);
    const isMap = value instanceof Map;
    const shown = pairs.map(([k, v]) => (isMap ? `${render(k, depth + 1)} => ` : '') + render(v, depth + 1));
    return braces(`${ctor}(${value.size})`, '{', shown, '}');
  }
  return braces(ctor === 'Object' ? '' : ctor, '{', properties(value, depth, false), '}');
}

function isEmpty(value: object): boolean {
  if (value instanceof Map || value instanceof Set) return value.size === 0;
  if (Array.isArray(value) && value.length > 0) return false;
  return !Reflect.ownKeys(value).some((k) => k !== 'length' && Object.getOwnPropertyDescriptor(value, k)?.enumerable);
}

/**
 * Renders `value` as util.inspect(value, { depth: 1, breakLength: Infinity }) does for the common
 * cases: primitives exactly, objects and arrays one level deep, functions and classes by name.
 */
export function render(value: unknown, depth = 0): string {
  switch (typeof value) {
    case 'string':
      return depth === 0 || value.length < 10_000 ? quote(value) : `${quote(value.slice(0, 10_000))}...`;
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return String(value);
    case 'function': {
      const named = typeof value.name === 'string' && value.name !== '';
      if (/^class\b/.test(Function.prototype.toString.call(value)))
        return `[class ${named ? value.name : '(anonymous)'}]`;
      return named ? `[Function: ${value.name}]` : '[Function (anonymous)]';
    }
    default:
      return value === null ? 'null' : renderObject(value as object, depth);
  }
}
