// A Worker that uses ContextVars with no tracing library: per-request scopes through isolated(),
// and a plain handler that calls set() outside any scope. Responses report what each request saw,
// so the check can tell its own value from another request's.
import { ContextVar, isolated } from 'otel-contextvars';

const rid = new ContextVar('rid');
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function handle(id, delay) {
  rid.set(id);
  await pause(delay);
  const afterAwait = rid.get('unset');
  await pause(1);
  return { id, seen: [afterAwait, rid.get('unset')] };
}
const isolatedHandle = isolated(handle);

// Work scheduled inside a scope before a set(): on a runtime where only AsyncLocalStorage.run
// works, values live per scope, so this timer sees the later set (what the Node engines avoid).
const scheduledBefore = isolated(async (id) => {
  const early = new Promise((resolve) => setTimeout(() => resolve(rid.get('unset')), 5));
  rid.set(id);
  return { id, seenByEarlierTimer: await early, afterScope: undefined };
});

const routes = {
  '/isolated': (id, delay) => isolatedHandle(id, delay),
  '/plain': (id, delay) => handle(id, delay),
  '/scheduled-before': async (id) => ({ ...(await scheduledBefore(id)), afterScope: rid.get('unset') }),
  '/repr': () => ({ repr: String(new ContextVar('shown', { default: { list: [1, 'x'] } })) }),
};

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const route = routes[url.pathname];
    if (route === undefined) return new Response('not found', { status: 404 });
    const id = url.searchParams.get('id');
    try {
      return Response.json(await route(id, Number(url.searchParams.get('delay') ?? 0)));
    } catch (error) {
      return Response.json({ id, error: { name: error?.name, message: String(error?.message) } });
    }
  },
};
