// The demo's vars, the same objects whichever OpenTelemetry line runs it.
import { ContextVar } from 'otel-contextvars';

// Module-level vars, as in Python: one per concept, never one per request. Each process creates
// its own objects; the propagator matches them across the wire by name.
export const requestId = new ContextVar<string>('request.id');
export const tenant = new ContextVar<string>('tenant');
export const user = new ContextVar<string>('user.id');
export const vars = [requestId, tenant, user];
