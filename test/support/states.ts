import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { Context, ContextVar, ContextVarsContextManager, copyContext } from '../../src/index';

const unrelated = new ContextVar<string>('unrelated');
const manager = new ContextVarsContextManager();
const someSpan = trace.wrapSpanContext({
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: 1,
});

/**
 * The starting states every conformance case runs in, as CPython runs its cases inside a fresh
 * Context (`isolated_context`). A case must behave the same whatever surrounds it.
 */
export const STATES: readonly [string, <R>(fn: () => R) => R][] = [
  ['in a fresh Context', (fn) => new Context().run(fn)],
  [
    'in a snapshot taken after another var was set and reset',
    (fn) =>
      new Context().run(() => {
        unrelated.reset(unrelated.set('x'));
        return copyContext().run(fn);
      }),
  ],
  [
    'inside an OpenTelemetry with() carrying a span',
    (fn) => new Context().run(() => manager.with(trace.setSpan(ROOT_CONTEXT, someSpan), fn)),
  ],
];

/** Declares `title` once per starting state. */
export function inEveryState(title: string, body: () => void): void {
  describe.each(STATES)('%s', (_state, enter) => {
    test(title, () => enter(body));
  });
}
