// An ESM consumer app: imports the package and the API with `import` (run by Node as is, and
// bundled by esbuild and webpack in consumers/app/check.mjs) and runs scenario.cjs with them.
import * as api from '@opentelemetry/api';
import { setTimeout as sleep } from 'node:timers/promises';
import * as contextvars from 'otel-contextvars';
import scenario from './scenario.cjs';

scenario.run({ api, contextvars, sleep }).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
