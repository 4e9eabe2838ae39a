// Both OpenTelemetry JS lines are tested. The 2.x line runs from the root
// devDependencies on every Node line; the 3.x line (api 1.10, SDK 3.x) lives in the nested project
// test/otel3 and runs as its own jest project where it can (Node >= 22.15, installed). This file
// says when it does not run, and why; under CI on a line that supports 3.x, not running is a failure.
import fs from 'node:fs';
import path from 'node:path';
import { OTEL3_DIR, nodeRunsOtel3, otel3Line } from '../support/otel3-line';

const line = otel3Line();

if (line.runs) {
  test(`the OpenTelemetry JS 3.x line runs (${line.reason}) with the versions test/otel3 pins`, () => {
    const pinned = (
      JSON.parse(fs.readFileSync(path.join(OTEL3_DIR, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
      }
    ).dependencies;
    const installed = Object.fromEntries(
      Object.keys(pinned).map((name) => [
        name,
        (
          JSON.parse(fs.readFileSync(path.join(OTEL3_DIR, 'node_modules', name, 'package.json'), 'utf8')) as {
            version: string;
          }
        ).version,
      ]),
    );
    expect(installed).toEqual(pinned);
    expect(pinned['@opentelemetry/sdk-trace']).toMatch(/^3\./);
    // jest.projects.cjs made the same decision and runs test/otel3 as the otel-3.x project.
    expect((globalThis as { otel3ProjectIncluded?: boolean }).otel3ProjectIncluded).toBe(true);
  });
} else if (line.mustRun) {
  test('the OpenTelemetry JS 3.x line runs under CI on Node >= 22.15', () => {
    throw new Error(`the 3.x tests did not run: ${line.reason}`);
  });
} else {
  test.skip(`OpenTelemetry JS 3.x line skipped: ${line.reason}`, () => undefined);
}

test("the 3.x line is required from Node 22.15 on, as its packages' engines field says", () => {
  expect([
    nodeRunsOtel3('20.20.2'),
    nodeRunsOtel3('22.14.0'),
    nodeRunsOtel3('22.15.0'),
    nodeRunsOtel3('24.1.0'),
  ]).toEqual([false, false, true, true]);
});
