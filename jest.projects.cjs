// @ts-check
// The two jest configurations, `npm test` (jest.config.cjs) and `npm run test:heavy`
// (jest.heavy.config.cjs), from one description. Plain CommonJS so every Node line loads it the
// same way: a jest.config.ts is read through ts-node on Node 20 and 22, but Node 24 first tries it
// as an ES module and prints a warning.
const fs = require('node:fs');
const path = require('node:path');

/**
 * The suites `npm test` leaves to `npm run test:heavy` (jest.heavy.config.cjs): together they took
 * 130 of the 265 suite-seconds of a Node 24 run (the framework examples 76, the demo and examples
 * 33, memory 21), each starting a dozen TypeScript child processes or a long allocation loop.
 * `.ci/run` runs both commands on every Node line, so no check is lost.
 */
const HEAVY = [
  '<rootDir>/test/package/frameworks.test.ts',
  '<rootDir>/test/package/examples.test.ts',
  '<rootDir>/test/package/demo.test.ts',
  '<rootDir>/test/reliability/memory.test.ts',
];

/**
 * The OpenTelemetry JS 3.x line (nested project test/otel3) runs where its packages run (their
 * engines field: Node >= 22.15) and where test/otel3 holds api 1.10 (`npm test` installs it;
 * scripts/test-deps.mjs). test/otel/otel3-line.test.ts says why when it does not, and fails under
 * CI where it should have run.
 */
function otel3Installed() {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 15)) return false;
  try {
    const api = path.join(__dirname, 'test/otel3/node_modules/@opentelemetry/api/package.json');
    return JSON.parse(fs.readFileSync(api, 'utf8')).version.startsWith('1.10.');
  } catch {
    return false;
  }
}

const otel3 = otel3Installed();
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
};

/**
 * @param {{ heavy: boolean }} options which side of the split to run
 * @returns {import('jest').Config}
 */
function config({ heavy }) {
  /** @type {NonNullable<import('jest').Config['projects']>} */
  const projects = [
    {
      ...base,
      displayName: 'otel-2.x',
      roots: ['<rootDir>/test'],
      testMatch: heavy ? HEAVY : ['**/*.test.ts'],
      // test/otel3 is a nested project with its own node_modules (the 3.x line); it runs below.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/otel3/', ...(heavy ? [] : HEAVY)],
      globals: { otel3ProjectIncluded: otel3 },
    },
  ];
  if (otel3 && !heavy) {
    projects.push({
      ...base,
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/otel3/tsconfig.json' }] },
      displayName: 'otel-3.x',
      roots: ['<rootDir>/test/otel3'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/scratch/'],
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
  return {
    projects,
    // Scenario tests start real servers, processes and workers: two workers on a 2-core machine.
    maxWorkers: 2,
    testTimeout: 60_000,
    // The default reporter, then one closing line naming what this Node line could not run.
    reporters: ['default', '<rootDir>/test/support/skipped-summary.cjs'],
  };
}

module.exports = { config };
