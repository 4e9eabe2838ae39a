// An unhandledRejection handler sees the context of the rejected work. Node decides
// which context that handler runs in, so the fixture (its own process: jest handles rejections
// itself) compares our vars with a plain AsyncLocalStorage used the same way. What Node does:
// - on every line, the handler runs in the context the rejected promise was created in, so work
//   started inside a scope (ContextVar.run, manager.with, set() before starting the work) is seen;
// - a set() made inside the rejected async function itself is seen on AsyncContextFrame (the
//   handler runs in the context current at rejection) but not on async hooks, on any line (the
//   context at the promise's creation) -- exactly as AsyncLocalStorage.enterWith behaves there.
//   Nothing in this package can change that.
import { engine } from '../../src/internal/engine/index';
import { runNode } from '../support/run-node';
import { expectBuiltPackage } from '../support/built';

const handlerSeesCreationContext = engine.kind !== 'async-context-frame';

type Seen = Record<string, { job: string; als: string }>;
let seen: Seen;

beforeAll(async () => {
  expectBuiltPackage();
  seen = (JSON.parse(await runNode(['test/fixtures/unhandled-rejection.cjs'])) as { seen: Seen }).seen;
});

test('work started inside ContextVar.run, manager.with or a Context where the var was set: the handler sees its value, on every Node line', () => {
  for (const name of ['run-sync', 'run-async', 'with-async', 'ctx-run']) {
    expect([name, seen[name]]).toEqual([name, { job: name, als: name }]);
  }
});

test('a set() inside the rejected async function: the handler sees exactly what Node gives AsyncLocalStorage.enterWith', () => {
  for (const name of ['set-before-await', 'set-after-await']) {
    expect([name, seen[name].job]).toEqual([name, seen[name].als === 'outer' ? 'unset' : seen[name].als]);
    // Pinned per engine, so a change in Node shows up here.
    expect([name, seen[name].job]).toEqual([name, handlerSeesCreationContext ? 'unset' : name]);
  }
});
