// Loaded with `node --import ./test/otel3/support/resolve.mjs` for the 3.x examples and fixtures:
// resolves the two names this nested project shares with the root as an application would have
// them. `@opentelemetry/api` is test/otel3's 1.10 for every module (this package's built code
// included, which would otherwise find the root's 1.9), and `otel-contextvars` is the root
// package's build, its CommonJS or ESM entry as its exports field says. module.registerHooks
// exists from Node 22.15, which the 3.x line needs anyway.
import { registerHooks } from 'node:module';

const TARGETS = {
  '@opentelemetry/api': {
    require: '../node_modules/@opentelemetry/api/dist/index.cjs',
    import: '../node_modules/@opentelemetry/api/dist/index.mjs',
  },
  'otel-contextvars': { require: '../../../dist/cjs/index.js', import: '../../../dist/esm/index.mjs' },
};

registerHooks({
  resolve(specifier, context, nextResolve) {
    const target = TARGETS[specifier];
    if (target === undefined) return nextResolve(specifier, context);
    const kind = context.conditions?.includes('import') ? 'import' : 'require';
    return { url: new URL(target[kind], import.meta.url).href, shortCircuit: true };
  },
});
