// otel-contextvars: Python's contextvars on an OpenTelemetry context manager.
export { ContextVar } from './var';
export type { ContextVarOptions } from './var';
export { Token } from './token';
export { Context, copyContext, currentContext } from './context';
export { isolated } from './isolated';
export { LookupError, ValueError, RuntimeError } from './errors';
export { ContextVarsContextManager } from './otel/manager';
export type { AttachToken } from './otel/manager';
export { ContextVarSpanProcessor } from './otel/span-processor';
export type { ContextVarSpanProcessorOptions, AttributeSettable } from './otel/span-processor';
export { ContextVarPropagator } from './otel/propagator';
export type { ContextVarPropagatorOptions, ContextVarCodec } from './otel/propagator';
export { logFields } from './otel/log-fields';
export type { LogFieldsOptions } from './otel/log-fields';
export { ContextVarLogRecordProcessor } from './otel/log-record-processor';
export type { ContextVarLogRecordProcessorOptions, LogAttributeSettable } from './otel/log-record-processor';
export { takeOverContextManager } from './otel/take-over';
