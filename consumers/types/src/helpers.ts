// With lib esnext on TypeScript 5.6+, the Context's iterators are MapIterators with the iterator
// helpers (map, toArray, ...), as the source declares them: the aliases for older TypeScript in
// the published declarations (scripts/build-dts-compat.mjs) take nothing away.
import { copyContext } from 'otel-contextvars';

export const names: string[] = copyContext()
  .keys()
  .map((v) => v.name)
  .toArray();
