// Node loads the installed package through `import` and `require` as one instance.
import { createRequire } from 'node:module';
import * as esm from 'otel-contextvars';

const cjs = createRequire(import.meta.url)('otel-contextvars');
const v = new esm.ContextVar('v', { default: 'unset' });
const seen = new esm.Context().run(() => {
  v.set('set through import');
  return cjs.copyContext().get(v);
});
console.log(`import and require are one instance: ${esm.ContextVar === cjs.ContextVar}; require sees: ${seen}`);
