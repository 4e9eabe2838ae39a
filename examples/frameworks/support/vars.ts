// The request-scoped vars every framework example sets once per request, at module level as in
// Python: one var per concept, never one per request.
import { ContextVar } from 'otel-contextvars';

/** The request's id, from `x-request-id` or a new UUID (like a `@fastify/request-context` key). */
export const requestId = new ContextVar<string>('request.id');
/** The caller, from `x-user`; left unset for an anonymous request. */
export const user = new ContextVar<string>('user.id');
// A default is what a request sees when nothing set it (like @fastify/request-context's
// `defaultStoreValues`); defaults are not values, so spans and logs do not record them.
/** Never set by the examples: every request must read its default. */
export const locale = new ContextVar<string>('locale', { default: 'en' });

/** The vars recorded on spans (`ContextVarSpanProcessor`) and log lines (`logFields`). */
export const vars = [requestId, user];
