import type { Context as OtelContext } from '@opentelemetry/api';
import type { AttributeSettable } from './attribute-target';
import { checkSplitFromTelemetry } from './split-check';
import { reprValue } from '../internal/repr';
import type { ContextVar } from '../var';
import { readVarAttributeOptions } from './processor-options';
import { OnceReporter, errorText } from './report-once';
import { NO_VALUE } from '../internal/var-context';

/**
 * The shared core of ContextVarSpanProcessor and ContextVarLogRecordProcessor: copies the listed
 * vars bound in a context onto an item's attributes (`prefix + name`). A var's default is not a
 * value; an attribute the item already has wins; a value `accepts` refuses is skipped; each
 * problem is reported once per kind and var through diag, and nothing is thrown.
 * @typeParam V the attribute values the item takes.
 */
export class VarRecorder<V> {
  readonly #vars: readonly ContextVar<unknown>[];
  readonly #keys: readonly string[];
  readonly #reporter: OnceReporter;
  readonly #what: string;
  readonly #accepts: (value: unknown) => value is V;
  readonly #copy: (value: V) => V;

  /**
   * @param who the processor's class name, for errors and reports.
   * @param options its `{ vars, attributePrefix? }` (checked: TypeError when malformed).
   * @param what the kind of attribute, in reports (`'span attribute'`).
   * @param accepts whether the SDK takes a value as that kind of attribute.
   * @param copy what to store for an accepted value (a copy where the SDK keeps the reference).
   */
  constructor(
    who: string,
    options: unknown,
    what: string,
    accepts: (value: unknown) => value is V,
    copy: (value: V) => V,
  ) {
    const { vars, keys } = readVarAttributeOptions(who, options);
    this.#vars = vars;
    this.#keys = keys;
    this.#reporter = new OnceReporter(`otel-contextvars ${who}`);
    this.#what = what;
    this.#accepts = accepts;
    this.#copy = copy;
  }

  /** Records the listed vars bound in `ctx` on `target`. Never throws. */
  record(ctx: OtelContext, target: AttributeSettable<V>): void {
    checkSplitFromTelemetry();
    for (let i = 0; i < this.#vars.length; i++) {
      const v = this.#vars[i];
      try {
        const value = v.getIn(ctx, NO_VALUE);
        if (value === NO_VALUE) continue;
        const key = this.#keys[i];
        if (!this.#accepts(value)) {
          // Rendered only for the first report: a skipped value then costs what the check costs.
          this.#reporter.report(
            'invalid value',
            v.name,
            () => `skipped ${reprValue(v.name)}: ${reprValue(value)} is not a valid ${this.#what} value`,
          );
          continue;
        }
        if (target.attributes !== undefined && Object.hasOwn(target.attributes, key)) continue;
        target.setAttribute(key, this.#copy(value));
      } catch (error) {
        this.#reporter.report(
          'not recorded',
          v.name,
          () => `could not record ${reprValue(v.name)}: ${errorText(error)}`,
        );
      }
    }
  }

  /** Reports `message` once for this kind and subject, under the processor's name. */
  report(kind: string, subject: string, message: string | (() => string)): void {
    this.#reporter.report(kind, subject, message);
  }
}
