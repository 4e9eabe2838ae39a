// The request-scoped vars every framework example sets once per request, at module level as in
// Python: one var per concept, never one per request.
import { ContextVar } from 'otel-contextvars';

export const requestId = new ContextVar<string>('request.id');
export const user = new ContextVar<string>('user.id');
// A default is what a request sees when nothing set it (like @fastify/request-context's
// `defaultStoreValues`); defaults are not values, so spans and logs do not record them.
export const locale = new ContextVar<string>('locale', { default: 'en' });

export const vars = [requestId, user];
