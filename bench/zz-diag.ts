import { Child } from './child';
async function main() {
  const op = process.argv[2] ?? 'set-reset';
  const top = process.argv[3] === 'top';
  const o = new Child('ops-child.ts', ['ours']);
  const s = new Child('ops-child.ts', ['stock']);
  await Promise.all([o.next(), s.next()]);
  if (top) for (const c of [o, s]) for (const op2 of ['with','api-with','get','set-reset']) { await c.ask({ op: op2, where: 'top', vars: 1, calibrate: 20 }); }
  const req = { op, where: 'callback', vars: 1 };
  await o.ask({ ...req, calibrate: 20 }); await s.ask({ ...req, calibrate: 20 });
  const n = Math.min(await o.ask<number>({ ...req, calibrate: 20 }), await s.ask<number>({ ...req, calibrate: 20 }));
  const a: string[] = [], b: string[] = [];
  for (let r = 0; r < 20; r++) { a.push((await o.ask<number>({ ...req, n })).toFixed(0)); b.push((await s.ask<number>({ ...req, n })).toFixed(0)); }
  console.log(op, 'n', n, '\nours ', a.join(' '), '\nstock', b.join(' '));
  o.kill(); s.kill();
}
main();
