// test/otel/take-over.test.ts on the OpenTelemetry JS 3.x line: the same cases, with every
// @opentelemetry/* import answered by test/otel3's 3.x packages and api 1.10 (jest.projects.cjs,
// project otel-3.x).
import '../otel/take-over.test';
