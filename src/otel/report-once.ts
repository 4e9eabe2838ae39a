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

  /** Warns with `message` unless `key` was reported before. */
  report(key: string, message: string): void {
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    diag.warn(`${this.#prefix}: ${message}`);
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
