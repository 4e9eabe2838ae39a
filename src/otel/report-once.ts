import { diag } from '@opentelemetry/api';
import { warn } from '../internal/warn';

/**
 * How many distinct problems one reporter remembers. Past it, a problem of a kind already seen,
 * about a new subject, is not reported; the first such one of each kind is, once, saying so.
 */
export const MAX_REMEMBERED_PROBLEMS = 1000;

/**
 * What a reporter has reported: plain data (no functions), so that loaded copies of this package
 * can share one memory through `shared()` and report a process-wide problem once between them.
 */
export interface ReportMemory {
  /** Subjects reported, by kind. */
  readonly byKind: Map<string, Set<string>>;
  /** Subjects remembered in all kinds (at most {@link MAX_REMEMBERED_PROBLEMS}). */
  size: number;
  /** Kinds whose "no more of these" note was given once the memory was full. */
  readonly closed: Set<string>;
}

/** An empty memory, for one reporter or for a shared part. */
export function newReportMemory(): ReportMemory {
  return { byKind: new Map(), size: 0, closed: new Set() };
}

/**
 * The one report-once rule of every integration (span and log record processors, propagator,
 * logFields, activeContextStore, takeOverContextManager, the split check): each reporter reports
 * a problem once per kind and subject. The kind is a fixed string of the code (`'invalid value'`,
 * `'oversized'`); the subject is a var's name or `''`, never text from inbound input, so a
 * stream of bad input (or a hostile client) cannot flood the logger. An integration skips what it
 * cannot use; the reporter makes sure each skip is said once.
 *
 * The memory is bounded: after {@link MAX_REMEMBERED_PROBLEMS} distinct kind-and-subject pairs,
 * a new subject is reported only as the first of its kind past the bound, with a note that
 * further ones are not reported; kinds come from the code, so that adds a handful of entries.
 */
export class OnceReporter {
  readonly #prefix: string;
  readonly #memory: ReportMemory;

  /**
   * @param prefix names the integration at the start of every message.
   * @param memory what was reported already: a fresh one, or a shared part for a process-wide problem.
   */
  constructor(prefix: string, memory: ReportMemory = newReportMemory()) {
    this.#prefix = prefix;
    this.#memory = memory;
  }

  /**
   * Warns through OpenTelemetry's `diag` with `message`, unless this kind and subject were
   * reported before. A function is called only when the pair is new: rendering a value
   * (util.inspect of a 100,000-key object takes longer than a request) must cost once per report,
   * not once per span or record. A message that throws while it is built is reported as such.
   */
  report(kind: string, subject: string, message: string | (() => string)): void {
    const text = this.#textIfNew(kind, subject, message);
    if (text !== undefined) diag.warn(text);
  }

  /**
   * As {@link report}, but visibly (`process.emitWarning` with type ContextVarWarning and `code`):
   * for a problem that loses data even where no diag logger is set.
   */
  warn(kind: string, subject: string, message: string | (() => string), code: string): void {
    const text = this.#textIfNew(kind, subject, message);
    if (text !== undefined) warn(text, code);
  }

  #textIfNew(kind: string, subject: string, message: string | (() => string)): string | undefined {
    // Two lookups and no string built: after the first report, a repeat costs about a Set lookup.
    const memory = this.#memory;
    let subjects = memory.byKind.get(kind);
    if (subjects?.has(subject) === true) return undefined;
    let note = '';
    if (memory.size >= MAX_REMEMBERED_PROBLEMS) {
      if (memory.closed.has(kind)) return undefined;
      memory.closed.add(kind);
      note = `; ${MAX_REMEMBERED_PROBLEMS} problems were reported, so further ones of this kind are not`;
    } else {
      if (subjects === undefined) memory.byKind.set(kind, (subjects = new Set()));
      subjects.add(subject);
      memory.size++;
    }
    let text: string;
    try {
      text = typeof message === 'string' ? message : message();
    } catch (error) {
      text = `a problem whose description failed: ${errorText(error)}`;
    }
    return `${this.#prefix}: ${text}${note}`;
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
