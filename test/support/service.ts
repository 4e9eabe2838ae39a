// A TypeScript fixture run as a separate service: forked through tsx with an IPC channel, on the
// same AsyncLocalStorage engine as the test run, its stderr kept for the failure message.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { ENGINE_FLAGS } from './run-node';

/** A forked service and the two things tests wait for. */
export interface ForkedService {
  readonly child: ChildProcess;
  /** The service's next IPC message; rejects with its stderr if it exits first. */
  next: () => Promise<unknown>;
  /** Its exit code once it has exited. */
  readonly exited: Promise<number | null>;
}

/** Forks `script` (a .ts file) with `args`, stdout ignored, stderr collected. */
export function forkService(script: string, args: string[] = []): ForkedService {
  const child = fork(script, args, {
    execArgv: ['--import', 'tsx', ...ENGINE_FLAGS],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const next = (): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => {
        reject(new Error(`${script} ${args.join(' ')} exited with ${code}: ${stderr}`));
      };
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        resolve(m);
      });
    });
  return { child, next, exited };
}
