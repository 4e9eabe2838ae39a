// Helpers for figures measured in child processes: async hops and the HTTP server. In a child,
// only one manager (and so one AsyncLocalStorage) is active, as in a real deployment: with two
// enabled storages, every async hop on Node 20 would pay for both.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';

/** The side a child measures. */
export type Side = 'ours' | 'stock';

/** A forked TypeScript child answering one request at a time over IPC. */
export class Child {
  readonly #proc: ChildProcess;
  #waiting: ((msg: unknown) => void) | null = null;

  constructor(script: string, args: string[]) {
    // Same Node binary and flags as this run (tsx loader, --expose-gc).
    this.#proc = fork(path.join(__dirname, script), args, { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.#proc.on('message', (msg) => {
      const resolve = this.#waiting;
      this.#waiting = null;
      resolve?.(msg);
    });
  }

  /** Sends `msg` and resolves with the child's next message. */
  ask<T>(msg: unknown): Promise<T> {
    return new Promise<T>((resolve) => {
      this.#waiting = resolve as (m: unknown) => void;
      this.#proc.send(msg as object);
    });
  }

  /** Resolves with the child's next message without sending anything (its "ready" message). */
  next<T>(): Promise<T> {
    return new Promise<T>((resolve) => {
      this.#waiting = resolve as (m: unknown) => void;
    });
  }

  /** Ends the child. */
  kill(): void {
    this.#proc.kill();
  }
}

/** Serves requests from the parent in a child script: `handler(msg)` answers each message. */
export function serve(handler: (msg: unknown) => unknown | Promise<unknown>): void {
  process.on('message', (msg) => {
    void Promise.resolve(handler(msg)).then((reply) => process.send!(reply as object));
  });
  process.on('disconnect', () => process.exit(0));
}
