// Makes the emitted declarations compile on TypeScript before 5.6. TypeScript 5.6 typed the
// iterators of Map, Set and Array as MapIterator / SetIterator / ArrayIterator, names older
// versions lack (error TS2552 without skipLibCheck). The source keeps the 5.6 types; each .d.ts
// that names one gets a local alias that asks the consumer's own lib for the same type:
// `ReturnType<Map<never, T>['values']>` is MapIterator<T> on 5.6+ (iterator helpers included when
// the consumer's lib has them) and IterableIterator<T> before, what ReadonlyMap wants on each.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ALIASES = {
  MapIterator: "type MapIterator<T> = ReturnType<Map<never, T>['values']>;",
  SetIterator: "type SetIterator<T> = ReturnType<Set<T>['values']>;",
  ArrayIterator: "type ArrayIterator<T> = ReturnType<T[]['values']>;",
};
const dir = process.argv[2] ?? 'dist/cjs';
let changed = 0;
for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
  if (!file.endsWith('.d.ts')) continue;
  const full = path.join(dir, file);
  const text = readFileSync(full, 'utf8');
  const used = Object.keys(ALIASES).filter((name) => new RegExp(`\\b${name}<`).test(text));
  if (used.length === 0) continue;
  // `export {}` keeps the aliases private: a .d.ts without it exports every top-level declaration.
  const header = [`// Aliases for TypeScript < 5.6 (scripts/build-dts-compat.mjs).`, ...used.map((n) => ALIASES[n])];
  writeFileSync(full, `${header.join('\n')}\n${text.trimEnd()}\nexport {};\n`);
  changed += 1;
}
console.log(`${dir}: iterator aliases for TypeScript < 5.6 in ${changed} declaration file(s)`);
