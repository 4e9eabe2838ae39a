// The request-id var every chunk of the app uses. Next.js bundles this module once into the
// instrumentation chunk (where the span processor reads it) and again into each route's chunk, so
// `new ContextVar('rid')` here would make one var per chunk and the processor would never see the
// route's value. `ContextVar.for` returns the one process-wide var of that name in every chunk.
import { ContextVar } from 'otel-contextvars';

export const rid = ContextVar.for<string>('rid');
