import * as asyncHooks from 'node:async_hooks';
import type { AsyncHooksHost } from './host';

/**
 * `findAsyncHooks` of the Cloudflare workerd build (the `workerd` export condition, which wrangler
 * sets): a static import, because workerd with `nodejs_als` alone has no `process` through which
 * the run-time lookup could find `node:async_hooks`, and without AsyncLocalStorage the engine
 * would be the synchronous one, whose values end at the first await. A Worker with neither
 * `nodejs_als` nor `nodejs_compat` fails to start with workerd's "No such module" error for
 * `node:async_hooks`, naming what to enable, rather than running requests without isolation.
 */
export function findAsyncHooks(): AsyncHooksHost | undefined {
  return asyncHooks;
}
