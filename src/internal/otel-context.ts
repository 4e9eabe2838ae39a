import type { Context as OtelContext } from '@opentelemetry/api';

/**
 * Whether `value` can serve as an OpenTelemetry Context: an object with `getValue` and `setValue`
 * methods, the check every entry point of the package uses. Never throws: an object whose getters
 * or Proxy traps throw is simply not a Context, so the caller's TypeError is the one thrown.
 */
export function isOtelContext(value: unknown): value is OtelContext {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return (
      typeof (value as OtelContext).getValue === 'function' && typeof (value as OtelContext).setValue === 'function'
    );
  } catch {
    return false;
  }
}
