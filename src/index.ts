// otel-contextvars: Python's contextvars on an OpenTelemetry context manager.
export { ContextVar } from './var';
export type { ContextVarOptions } from './var';
export { Token } from './token';
export { Context, copyContext, currentContext } from './context';
export { isolated } from './isolated';
export { LookupError, ValueError, RuntimeError } from './errors';
export { ContextVarsContextManager } from './otel/manager';
export type { AttachToken } from './otel/manager';
