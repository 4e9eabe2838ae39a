// A CommonJS consumer app: requires the package and the API (run by Node as is, and bundled by
// esbuild and webpack in consumers/app/check.mjs) and runs scenario.cjs with them.
const api = require('@opentelemetry/api');
const { setTimeout: sleep } = require('node:timers/promises');
const contextvars = require('otel-contextvars');
const scenario = require('./scenario.cjs');

scenario.run({ api, contextvars, sleep }).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
