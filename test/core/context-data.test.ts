// The OTel Context that holds vars (src/internal/data.ts) must answer every OpenTelemetry read as a
// plain BaseContext built by the same writes would: non-var keys are kept in a short chain of links
// on top of the base and folded into a plain Context past eight links.
import { ROOT_CONTEXT, createContextKey } from '@opentelemetry/api';
import type { Context as OtelContext } from '@opentelemetry/api';
import { ContextVar } from '../../src/index';
import { seededRandom } from '../support/prng';

const v = new ContextVar<number>('data-test');
const keys = Array.from({ length: 6 }, (_, i) => createContextKey(`data-test-${i}`));

test('2,000 seeded setValue/deleteValue steps (with var writes between) read as a plain BaseContext', () => {
  const random = seededRandom(7);
  const foreign = ROOT_CONTEXT.setValue(keys[0], 'from the base');
  let ours: OtelContext = v.setIn(foreign, 0);
  let plain: OtelContext = foreign;
  for (let step = 0; step < 2_000; step++) {
    const key = keys[Math.floor(random() * keys.length)];
    const r = random();
    if (r < 0.5) {
      const value = r < 0.05 ? undefined : { step };
      ours = ours.setValue(key, value);
      plain = plain.setValue(key, value);
    } else if (r < 0.8) {
      ours = ours.deleteValue(key);
      plain = plain.deleteValue(key);
    } else {
      ours = v.setIn(ours, step);
    }
    for (const k of keys) expect([step, k, ours.getValue(k)]).toEqual([step, k, plain.getValue(k)]);
    // Non-var writes never drop the var's binding.
    expect(v.getIn(ours)).toBeDefined();
  }
});

test('earlier contexts are unchanged by later writes on top of them', () => {
  const a = v.setIn(ROOT_CONTEXT, 1).setValue(keys[1], 'a');
  const snapshots = [a];
  let c: OtelContext = a;
  for (let i = 0; i < 20; i++) snapshots.push((c = c.setValue(keys[1], i).deleteValue(keys[2])));
  expect(a.getValue(keys[1])).toBe('a');
  expect(snapshots.map((s) => s.getValue(keys[1]))).toEqual(['a', ...Array.from({ length: 20 }, (_, i) => i)]);
  expect(snapshots.every((s) => v.getIn(s) === 1)).toBe(true);
});
