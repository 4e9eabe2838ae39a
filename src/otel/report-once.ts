import { diag } from '@opentelemetry/api';

/**
 * Reports each kind of problem once through OpenTelemetry's `diag`: integrations skip what they
 * cannot use and must not let a stream of bad input (or a hostile client) flood the logger.
 */
export class OnceReporter {
  readonly #prefix: string;
  readonly #seen = new Set<string>();

  /** @param prefix names the integration at the start of every message. */
  constructor(prefix: string) {
    this.#prefix = prefix;
  }

  /**
   * Warns with `message` unless `key` was reported before. A function is called only when the key
   * is new: rendering a value (util.inspect of a 100,000-key object takes longer than a request)
   * must cost once per report, not once per span or record. A message that throws while it is
   * built is reported as such.
   */
  report(key: string, message: string | (() => string)): void {
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    let text: string;
    try {
      text = typeof message === 'string' ? message : message();
    } catch (error) {
      text = `a problem whose description failed: ${errorText(error)}`;
    }
    diag.warn(`${this.#prefix}: ${text}`);
  }
}

/** `String(error)` for a message; a hostile getter can throw an object whose toString throws. */
export function errorText(error: unknown): string {
  try {
    return String(error);
  } catch {
    return 'an unprintable error';
  }
}
