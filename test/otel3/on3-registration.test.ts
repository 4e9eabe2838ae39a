// test/otel/registration.test.ts on the OpenTelemetry JS 3.x line: the same cases, with every
// @opentelemetry/* import answered by test/otel3's 3.x packages and api 1.10 (jest.projects.cjs,
// project otel-3.x; 2.x-only names through test/otel3/shims).
import '../otel/registration.test';
