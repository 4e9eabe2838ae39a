import { ROOT_CONTEXT, diag } from '@opentelemetry/api';
import { ContextVar, ContextVarSpanProcessor, ContextVarLogRecordProcessor } from '/work/wt-otel-hardening/src/index';
diag.setLogger({ warn() {}, error() {}, info() {}, debug() {}, verbose() {} } as never);
const v = new ContextVar<unknown>('payload');
class C { a = 1; b = 'x'; }
const values: [string, unknown][] = [
  ['string', 'acme'],
  ['10-field object', Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}`, i]))],
  ['class instance', new C()],
  ['100k-key object', Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]))],
];
const target = { attributes: {}, setAttribute: () => undefined };
for (const [kind, make] of [['span', () => new ContextVarSpanProcessor({ vars: [v] })], ['log', () => new ContextVarLogRecordProcessor({ vars: [v] })]] as const) {
  for (const [name, value] of values) {
    const p = make() as { onStart?: Function; onEmit?: Function };
    const ctx = v.setIn(ROOT_CONTEXT, value);
    const call = (p.onStart ?? p.onEmit)!.bind(p);
    call(target, ctx); // first report
    const n = name.startsWith('100k') ? 200 : 200_000;
    for (let i = 0; i < Math.min(n, 1000); i++) call(target, ctx);
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) call(target, ctx);
    const ns = Number(process.hrtime.bigint() - t) / n;
    console.log(`${process.version} ${kind} ${name}: ${(ns / 1000).toFixed(3)} µs per ${kind === 'span' ? 'span' : 'record'}`);
  }
}
