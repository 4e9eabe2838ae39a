// The error taxonomy of Python's contextvars. Each class sets `name` to its own class name so that
// `String(err)` and stack traces read like Python's tracebacks ("LookupError: <ContextVar ...>").

/**
 * Thrown by `ContextVar.get()` when the var has no value and no default.
 * Python equivalent: `LookupError` (CPython raises it with the var as its argument).
 */
export class LookupError extends Error {
  /** `'LookupError'`: the class name, as Python's exception type name. */
  override name = 'LookupError';
}

/**
 * Thrown by `ContextVar.reset()` for a token of another var, or one created in another Context.
 * Python equivalent: `ValueError`.
 */
export class ValueError extends Error {
  /** `'ValueError'`: the class name, as Python's exception type name. */
  override name = 'ValueError';
}

/**
 * Thrown for a token used twice, a Context entered twice, or a Token constructed directly.
 * Python equivalent: `RuntimeError`.
 */
export class RuntimeError extends Error {
  /** `'RuntimeError'`: the class name, as Python's exception type name. */
  override name = 'RuntimeError';
}
