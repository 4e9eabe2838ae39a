// The 2.x package name @opentelemetry/sdk-trace-base, answered by the 3.x @opentelemetry/sdk-trace,
// so the root tests of the span processor, propagators, log fields and registration run unchanged
// on the 3.x line (jest.projects.cjs maps the name here in the otel-3.x project). Only constructor
// shapes are adapted: 3.x renamed BasicTracerProvider to TracerProvider, and its processors take
// `{ exporter }` where 2.x took the exporter itself. Everything else is the 3.x SDK's own.
import {
  InMemorySpanExporter,
  SimpleSpanProcessor as SimpleSpanProcessor3,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { SpanExporter, SpanProcessor, TracerProviderOptions } from '@opentelemetry/sdk-trace';

export { InMemorySpanExporter };
export type { SpanExporter, SpanProcessor, TracerProviderOptions };

/** 2.x's BasicTracerProvider is 3.x's TracerProvider. */
export class BasicTracerProvider extends TracerProvider {}

/** 2.x's `new SimpleSpanProcessor(exporter)` is 3.x's `new SimpleSpanProcessor({ exporter })`. */
export class SimpleSpanProcessor extends SimpleSpanProcessor3 {
  constructor(exporter: SpanExporter) {
    super({ exporter });
  }
}
