import { copyContext } from 'otel-contextvars';
export const names = copyContext()
  .keys()
  .map((v) => v.name)
  .toArray();
