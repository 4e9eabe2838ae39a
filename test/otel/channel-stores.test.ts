// diagnostics_channel stores: a ContextVar (one var) and activeContextStore (the whole
// OpenTelemetry Context) bound with `Channel#bindStore`, driven through Node's own runStores,
// traceSync, tracePromise and traceCallback. Node 20-24 call the store's `run`, Node 26 its
// `withScope`; the same cases run on every line.
import dc from 'node:diagnostics_channel';
import type { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT_CONTEXT, context, propagation } from '@opentelemetry/api';
import { ContextVar, activeContextStore } from '../../src/index';
import { recordingDiag } from '../support/diag';
import { runNode } from '../support/run-node';
import { withGlobalManager } from '../support/global-manager';

interface Message {
  value: string;
}

const callValue = new ContextVar<string>('call.value');
const CALLS = 50;

/** One kind of store: how it is bound, and what code inside a call reads of it. */
interface StoreCase {
  name: string;
  store: unknown;
  transform: (message: Message) => unknown;
  /** What a call bound to `value` must read; the caller reads `expected('caller', false)`. */
  read: () => string;
  expected: (value: string, inCall: boolean) => string;
}

const baggageOf = (): string => propagation.getActiveBaggage()?.getEntry('call')?.value ?? 'no baggage';

const STORES: StoreCase[] = [
  {
    name: 'a ContextVar',
    store: callValue,
    transform: (message) => message.value,
    read: () => callValue.get('unset'),
    expected: (value) => value,
  },
  {
    name: 'activeContextStore',
    store: activeContextStore,
    // The whole Context: the var and a baggage entry, both from the message.
    transform: (message) =>
      propagation.setBaggage(
        callValue.setIn(ROOT_CONTEXT, message.value),
        propagation.createBaggage({ call: { value: message.value } }),
      ),
    read: () => `${callValue.get('unset')} / ${baggageOf()}`,
    expected: (value, inCall) => `${value} / ${inCall ? value : 'no baggage'}`,
  },
];

let channelCount = 0;
const uniqueName = (kind: string): string => `otel-contextvars.test.${kind}.${++channelCount}`;

/** Node types the store as an AsyncLocalStorage; it calls only `run` (Node 20-24) or `withScope` (26). */
function bind(channel: dc.Channel, store: StoreCase): () => void {
  const typed = store.store as AsyncLocalStorage<unknown>;
  channel.bindStore(typed, store.transform as (message: unknown) => unknown);
  return () => void channel.unbindStore(typed);
}

/** Runs `calls(i)` 50 times concurrently from a caller bound to 'caller'; checks the caller after each start. */
async function fromCaller(store: StoreCase, start: (i: number) => Promise<string[]>): Promise<string[][]> {
  return callValue.run('caller', async () => {
    const pending: Promise<string[]>[] = [];
    const callerAfterEachStart: string[] = [];
    for (let i = 0; i < CALLS; i++) {
      pending.push(start(i));
      callerAfterEachStart.push(store.read());
    }
    const results = await Promise.all(pending);
    expect(new Set(callerAfterEachStart)).toEqual(new Set([store.expected('caller', false)]));
    expect(store.read()).toBe(store.expected('caller', false));
    return results;
  });
}

/** Reads at the start, after a timer of a length that differs per call, and after a microtask. */
async function readAcrossAwaits(store: StoreCase, i: number, first: string): Promise<string[]> {
  await sleep((i * 7) % 11);
  const second = store.read();
  await null;
  return [first, second, store.read()];
}

withGlobalManager();

describe.each(STORES)('$name as a diagnostics_channel store', (store) => {
  test('runStores: 50 concurrent calls and the subscriber each see the message’s value across awaits; the caller is unchanged', async () => {
    const name = uniqueName('plain');
    const channel = dc.channel(name);
    const seenBySubscriber: string[] = [];
    const subscriber = (): void => void seenBySubscriber.push(store.read());
    dc.subscribe(name, subscriber);
    const unbind = bind(channel, store);
    try {
      const results = await fromCaller(store, (i) =>
        channel.runStores({ value: `call-${i}` }, () => readAcrossAwaits(store, i, store.read())),
      );
      results.forEach((seen, i) => expect(seen).toEqual(Array(3).fill(store.expected(`call-${i}`, true))));
      expect(seenBySubscriber).toEqual(results.map((_, i) => store.expected(`call-${i}`, true)));
    } finally {
      unbind();
      dc.unsubscribe(name, subscriber);
    }
  });

  describe('TracingChannel with the store bound to its start channel', () => {
    let tracing: dc.TracingChannel<unknown, Message>;
    let startName: string;
    let seenAtStart: string[];
    let unbind: () => void;
    // A start subscriber runs inside the store, where a diagnostics-channel instrumentation starts its span.
    const onStart = (): void => void seenAtStart.push(store.read());
    beforeEach(() => {
      const name = uniqueName('tracing');
      tracing = dc.tracingChannel<unknown, Message>(name);
      startName = `tracing:${name}:start`;
      seenAtStart = [];
      dc.subscribe(startName, onStart);
      unbind = bind(tracing.start, store);
    });
    afterEach(() => {
      unbind();
      dc.unsubscribe(startName, onStart);
    });
    const expectOwnValues = (results: string[][]): void => {
      results.forEach((seen, i) => expect(seen).toEqual(Array(seen.length).fill(store.expected(`call-${i}`, true))));
      expect(seenAtStart).toEqual(results.map((_, i) => store.expected(`call-${i}`, true)));
    };

    test('traceSync: the work a call starts sees its value across awaits, 50 at once; the caller is unchanged', async () => {
      const results = await fromCaller(store, (i) =>
        tracing.traceSync(() => readAcrossAwaits(store, i, store.read()), { value: `call-${i}` }),
      );
      expectOwnValues(results);
    });

    test('tracePromise: 50 concurrent async calls each see their own value across awaits; the caller is unchanged', async () => {
      const results = await fromCaller(store, (i) =>
        tracing.tracePromise(() => readAcrossAwaits(store, i, store.read()), { value: `call-${i}` }),
      );
      expectOwnValues(results);
    });

    test('traceCallback: the call and its callback see the call’s value, 50 at once; the caller is unchanged', async () => {
      const results = await fromCaller(
        store,
        (i) =>
          new Promise<string[]>((resolve, reject) => {
            const work = (done: (error: Error | null, seen: string[]) => void): void => {
              const first = store.read();
              setTimeout(() => done(null, [first, store.read()]), (i * 7) % 11);
            };
            const callback = (error: Error | null, seen: string[]): void => {
              if (error) reject(error);
              else resolve([...seen, store.read()]);
            };
            tracing.traceCallback(work, 0, { value: `call-${i}` }, undefined, callback);
          }),
      );
      expectOwnValues(results);
    });
  });
});

test('activeContextStore: a transform result that is not a Context leaves the active context, reported once through diag', () => {
  const channel = dc.channel(uniqueName('not-a-context'));
  const lines = recordingDiag();
  const unbind = bind(channel, { ...STORES[1], transform: (message) => ({ value: message.value }) });
  try {
    const seen = callValue.run('caller', () =>
      [1, 2].map((i) => channel.runStores({ value: `call-${i}` }, () => callValue.get('unset'))),
    );
    expect(seen).toEqual(['caller', 'caller']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/activeContextStore: the channel's transform returned .* not an OpenTelemetry Context/);
  } finally {
    unbind();
  }
});

test('activeContextStore: a transform result whose property reads throw (a Proxy) is not a Context either; nothing is thrown into the call', () => {
  const channel = dc.channel(uniqueName('hostile-proxy'));
  const lines = recordingDiag();
  const hostile = new Proxy(
    {},
    {
      get: (): never => {
        throw new Error('trap');
      },
    },
  );
  const unbind = bind(channel, { ...STORES[1], transform: () => hostile });
  try {
    const seen = callValue.run('caller', () =>
      [1, 2].map(() => channel.runStores({ value: 'call' }, () => callValue.get('unset'))),
    );
    expect(seen).toEqual(['caller', 'caller']);
    // Reported under the same kind and subject (an object) as the test above: said once per file.
    expect(lines.filter((l) => !l.includes('not an OpenTelemetry Context'))).toEqual([]);
  } finally {
    unbind();
  }
});

test('activeContextStore: withScope is disposed once; a second dispose does not move the context again', () => {
  const inner = callValue.setIn(context.active(), 'scoped');
  callValue.run('caller', () => {
    const scope = activeContextStore.withScope(inner);
    expect(callValue.get()).toBe('scoped');
    scope[Symbol.dispose]();
    expect(callValue.get()).toBe('caller');
    const later = activeContextStore.withScope(callValue.setIn(context.active(), 'later'));
    scope[Symbol.dispose]();
    expect(callValue.get()).toBe('later');
    later[Symbol.dispose]();
    expect(callValue.get()).toBe('caller');
  });
});

test('a transform that throws: every traced call still runs, outside the store, and the error surfaces as uncaughtException afterwards', async () => {
  // Node reports a throwing transform through uncaughtException on a later tick: a process of
  // its own, since jest treats that event as a failure of the test.
  const report = JSON.parse(await runNode(['test/fixtures/channel-transform-throws.cjs'])) as {
    calls: Record<string, { result: string; seen: string }>;
    events: string[];
  };
  const apis = ['runStores', 'traceSync', 'tracePromise', 'traceCallback'];
  for (const kind of ['var', 'context']) {
    for (const api of apis) {
      expect(report.calls[`${kind} ${api}`]).toEqual({ result: `${api} done`, seen: 'caller' });
    }
  }
  // Each call returned before its transform's error was reported; each error was reported once.
  const returned = report.events.filter((e) => e.startsWith('returned'));
  const uncaught = report.events.filter((e) => e.startsWith('uncaught'));
  expect(returned).toHaveLength(8);
  expect([...uncaught].sort()).toEqual(
    ['var', 'context'].flatMap((kind) => apis.map((api) => `uncaught transform ${kind} ${api}`)).sort(),
  );
  expect(report.events.slice(0, returned.length)).toEqual(returned);
});
