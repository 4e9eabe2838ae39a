/**
 * The one way this package warns visibly: `process.emitWarning` with type `ContextVarWarning` and
 * a stable `code` (for `process.on('warning')` filters and `--disable-warning=CODE`), or
 * `console.warn` on runtimes without `process.emitWarning` (browsers, edge runtimes). Never throws:
 * a warning must not break the code that triggered it.
 */
export function warn(message: string, code: string): void {
  const g = globalThis as { process?: { emitWarning?: (m: string, o: object) => void } };
  try {
    if (typeof g.process?.emitWarning === 'function') {
      g.process.emitWarning(message, { type: 'ContextVarWarning', code });
      return;
    }
  } catch {
    // A replaced emitWarning that throws: fall through to the console.
  }
  try {
    console.warn(`ContextVarWarning [${code}]: ${message}`);
  } catch {
    // Nowhere to warn.
  }
}
