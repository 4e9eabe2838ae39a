// The otel-3.x jest project runs what it claims: one @opentelemetry/api 1.10 for every module (this
// package's src included) and the 3.x SDK packages behind every @opentelemetry/* name.
import { readFileSync } from 'node:fs';
import { diag } from '@opentelemetry/api';
import { CompositePropagator } from '@opentelemetry/core';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';

function versionOf(resolved: string): string {
  const dir = resolved.slice(0, resolved.lastIndexOf('/dist/') + 1);
  return (JSON.parse(readFileSync(`${dir}package.json`, 'utf8')) as { version: string }).version;
}

test("every import of @opentelemetry/api, src included, loads test/otel3's 1.10", () => {
  expect(require.resolve('@opentelemetry/api')).toContain('test/otel3/node_modules/@opentelemetry/api/');
  const quiet = (): void => undefined;
  diag.setLogger({ error: quiet, warn: quiet, info: quiet, debug: quiet, verbose: quiet });
  const globals = (globalThis as Record<symbol, { version?: string } | undefined>)[
    Symbol.for('opentelemetry.js.api.1')
  ];
  expect(globals?.version).toBe('1.10.0');
  diag.disable();
});

test('the SDK names resolve to the 3.x line', () => {
  for (const name of [
    '@opentelemetry/core',
    '@opentelemetry/sdk-logs',
    '@opentelemetry/sdk-trace',
    '@opentelemetry/context-async-hooks',
  ]) {
    expect([name, versionOf(require.resolve(name))]).toEqual([name, expect.stringMatching(/^3\./)]);
  }
  expect(versionOf(require.resolve('@opentelemetry/sdk-node'))).toMatch(/^0\.30\d\./);
  expect([typeof CompositePropagator, typeof LoggerProvider, typeof NodeSDK]).toEqual([
    'function',
    'function',
    'function',
  ]);
  expect((Object.getPrototypeOf(BasicTracerProvider) as { name: string }).name).toBe('TracerProvider');
});
