import fs from 'node:fs';
import path from 'node:path';
import type { Config } from 'jest';

// Jest loads this file through ts-node (CommonJS) on Node 20 and 22 and natively (ESM, type
// stripping) on Node 24+, so it imports nothing local and finds the project root either way.
const ROOT = typeof __dirname === 'string' ? __dirname : process.cwd();

/**
 * The OpenTelemetry JS 3.x line (nested project test/otel3) runs where its packages run (their
 * engines field: Node >= 22.15) and where `npm ci --prefix test/otel3` installed api 1.10.
 * test/otel/otel3-line.test.ts (see test/support/otel3-line.ts) says why when it does not, and fails
 * under CI where it should have.
 */
function otel3Installed(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 15)) return false;
  try {
    const api = path.join(ROOT, 'test/otel3/node_modules/@opentelemetry/api/package.json');
    return (JSON.parse(fs.readFileSync(api, 'utf8')) as { version: string }).version.startsWith('1.10.');
  } catch {
    return false;
  }
}

const otel3 = otel3Installed();
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
} satisfies Config;

const projects: NonNullable<Config['projects']> = [
  {
    ...base,
    displayName: 'otel-2.x',
    roots: ['<rootDir>/test'],
    testMatch: ['**/*.test.ts'],
    // test/otel3 is a nested project with its own node_modules (the 3.x line); it runs below.
    testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/otel3/'],
    globals: { otel3ProjectIncluded: otel3 },
  },
];
if (otel3) {
  projects.push({
    ...base,
    transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/otel3/tsconfig.json' }] },
    displayName: 'otel-3.x',
    roots: ['<rootDir>/test/otel3'],
    testMatch: ['**/*.test.ts'],
    // Every module of these tests, this package's src included, loads test/otel3's api 1.10 (the
    // one copy its SDK uses, as in an application) and its 3.x SDK packages; the root tests of
    // test/otel3/on3-*.test.ts run against them unchanged, the 2.x-only names through shims.
    moduleNameMapper: {
      '^@opentelemetry/(api|core|context-async-hooks|sdk-logs|sdk-node|sdk-trace)$':
        '<rootDir>/test/otel3/node_modules/@opentelemetry/$1',
      '^@opentelemetry/(sdk-trace-base|sdk-trace-node)$': '<rootDir>/test/otel3/shims/$1.ts',
    },
  });
}

const config: Config = {
  projects,
  // Scenario tests start real servers, processes and workers: keep them off each other's CPU.
  maxWorkers: 2,
  testTimeout: 60_000,
};

export default config;
