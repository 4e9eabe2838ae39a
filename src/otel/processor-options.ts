import { reprValue } from '../internal/repr';
import type { ContextVar } from '../var';
import { isContextVar } from './var-shape';

/**
 * Default attribute key prefix of the span and log record processors: a namespace of its own, so
 * a var named like a semantic convention (`http.method`) cannot overwrite what instrumentation records.
 */
export const DEFAULT_PREFIX = 'contextvar.';

/** Options shared by the processors that copy vars onto telemetry. */
export interface VarAttributeOptions {
  /** The vars to record when bound in the telemetry item's context. */
  vars: ContextVar<unknown>[];
  /** Put before each var's name to make the attribute key. Default `'contextvar.'`; `''` for none. */
  attributePrefix?: string;
}

/**
 * Checks a processor's `{ vars, attributePrefix? }` and returns the vars with their attribute keys.
 * @throws TypeError naming `who` when `vars` is not an array of distinctly named ContextVars or
 * `attributePrefix` is not a string.
 */
export function readVarAttributeOptions(
  who: string,
  options: unknown,
): { vars: ContextVar<unknown>[]; keys: string[] } {
  requireOptionsObject(who, options);
  const { vars, attributePrefix = DEFAULT_PREFIX } = options as Partial<VarAttributeOptions>;
  const list = readVarList(who, vars, 'they would share one attribute');
  if (typeof attributePrefix !== 'string') {
    throw new TypeError(`${who}: attributePrefix must be a string, got ${reprValue(attributePrefix)}`);
  }
  return { vars: list, keys: list.map((v) => attributePrefix + v.name) };
}

/** @throws TypeError naming `who` when `options` is not an object. */
export function requireOptionsObject(who: string, options: unknown): asserts options is object {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${who}: an options object was expected, got ${reprValue(options)}`);
  }
}

/**
 * The integrations' `vars` option checked, as a copy: an array of ContextVars with distinct names.
 * @param why what two vars of one name would break, for the error message.
 * @throws TypeError naming `who` otherwise.
 */
export function readVarList(who: string, vars: unknown, why: string): ContextVar<unknown>[] {
  if (!Array.isArray(vars)) throw new TypeError(`${who}: vars must be an array of ContextVars, got ${reprValue(vars)}`);
  const names = new Set<string>();
  for (const v of vars as unknown[]) {
    if (!isContextVar(v)) throw new TypeError(`${who}: a ContextVar was expected in vars, got ${reprValue(v)}`);
    if (names.has(v.name)) throw new TypeError(`${who}: two vars are named ${reprValue(v.name)}; ${why}`);
    names.add(v.name);
  }
  return [...(vars as ContextVar<unknown>[])];
}
