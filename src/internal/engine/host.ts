/** The parts of `node:async_hooks` the engines use; any of them may be missing on a runtime. */
export interface AsyncHooksHost {
  AsyncLocalStorage?: typeof import('node:async_hooks').AsyncLocalStorage;
  AsyncResource?: typeof import('node:async_hooks').AsyncResource;
  createHook?: typeof import('node:async_hooks').createHook;
  executionAsyncResource?: typeof import('node:async_hooks').executionAsyncResource;
  executionAsyncId?: typeof import('node:async_hooks').executionAsyncId;
}

interface HostGlobals {
  process?: { getBuiltinModule?: (id: string) => unknown };
  AsyncLocalStorage?: AsyncHooksHost['AsyncLocalStorage'];
}

/**
 * Finds `node:async_hooks` without a static import, which a browser bundle cannot resolve:
 * `process.getBuiltinModule` (Node 20.16+, 22.3+, and runtimes that copy it), then `require` where
 * the CommonJS build runs, then a global `AsyncLocalStorage` (the Vercel edge runtime's). Never
 * throws: a runtime without any of them gets undefined and the synchronous engine.
 */
export function findAsyncHooks(): AsyncHooksHost | undefined {
  const g = globalThis as HostGlobals;
  try {
    const found = g.process?.getBuiltinModule?.('node:async_hooks');
    if (typeof found === 'object' && found !== null) return found;
  } catch {
    // A runtime whose getBuiltinModule throws: try the next way.
  }
  try {
    // A plain require, not an import: a static import is what a browser bundle cannot resolve.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (typeof require === 'function') return require('node:async_hooks') as AsyncHooksHost;
  } catch {
    // No CommonJS require of built-ins here (an ES module bundle): try the next way.
  }
  try {
    if (typeof g.AsyncLocalStorage === 'function') return { AsyncLocalStorage: g.AsyncLocalStorage };
  } catch {
    // A hostile global getter: no AsyncLocalStorage.
  }
  return undefined;
}
