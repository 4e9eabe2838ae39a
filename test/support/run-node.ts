import { execFile } from 'node:child_process';
import path from 'node:path';

/** The project root, where `otel-contextvars` resolves to the built package by self-reference. */
export const ROOT = path.resolve(__dirname, '../..');

// The AsyncLocalStorage engine flag this run was started with, so a child runs the same engine.
export const ENGINE_FLAGS = process.execArgv.filter((a) => a.endsWith('async-context-frame'));

/**
 * Runs a script in a fresh Node process of the same version and AsyncLocalStorage engine as the
 * test run (TypeScript through tsx), from the project root; resolves with its stdout, rejects
 * with its stderr on failure.
 */
export function runNode(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...ENGINE_FLAGS, ...args],
      {
        cwd: ROOT,
        env: { ...process.env, ...options.env },
        timeout: options.timeoutMs ?? 60_000,
      },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${args.join(' ')} failed: ${error.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}
