import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // Scenario tests start real servers, processes and workers: keep them off each other's CPU.
  maxWorkers: 2,
  testTimeout: 60_000,
};

export default config;
