import { context, trace } from '@opentelemetry/api';
import { Context } from '../../src/index';
import type { ContextVar } from '../../src/index';

/** Records the messages of process warnings with the split code; `restore()` ends the recording. */
export function splitWarnings(): { calls(): string[]; restore(): void } {
  const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  return {
    calls: () =>
      spy.mock.calls
        .filter(([, options]) => options?.code === 'OTEL_CONTEXTVARS_SPLIT')
        .map(([message]) => String(message)),
    restore: () => spy.mockRestore(),
  };
}

/**
 * Sets `v` to 'acme' in a fresh Context, starts an active span through the global tracer, and
 * returns what `v` reads inside it after an await, from `context.active()`.
 */
export async function varInsideActiveSpan(v: ContextVar<string>): Promise<string> {
  return new Context().run(async () => {
    v.set('acme');
    return trace.getTracer('split').startActiveSpan('op', async (span) => {
      await null;
      const seen = v.getIn(context.active(), 'unset inside the span');
      span.end();
      return seen;
    });
  });
}
