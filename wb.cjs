const lib = require(process.argv[2]);
const api = require('@opentelemetry/api');
const m = new lib.ContextVarsContextManager();
api.context.setGlobalContextManager(m);
const v = new lib.ContextVar('v');
const k2 = api.createContextKey('k2');
const noop = () => 1;
setImmediate(() => v.run(1, () => setImmediate(() => {
  const ctx = m.active().setValue(k2, 'v');
  const res = {};
  for (let r = 0; r < 7; r++) {
    for (const [name, f] of Object.entries({
      with: () => { for (let i = 0; i < 1e6; i++) m.with(ctx, noop); },
      get: () => { let s = 0; for (let i = 0; i < 1e6; i++) s += v.get(); },
      setReset: () => { for (let i = 0; i < 1e6; i++) { const t = v.set(2); v.reset(t); } },
    })) { const t0 = process.hrtime.bigint(); f(); (res[name] ??= []).push(Number(process.hrtime.bigint() - t0) / 1e6); }
  }
  const med = (a) => a.sort((x, y) => x - y)[3].toFixed(1);
  console.log(process.argv[2].includes('wt-old') ? 'old' : 'new', Object.entries(res).map(([k, a]) => `${k} ${med(a)}ns`).join('  '));
})));
