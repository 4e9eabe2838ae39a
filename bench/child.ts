// Figures measured in child processes: one side per process, so only that side's manager (and
// so one AsyncLocalStorage, one async hook) is live, as in a real deployment; with two, every
// async hop on Node 20 would pay for both. Parent and child talk in JSON lines over the child's
// stdin / stdout. The child can read them with blocking reads (serveSync), which lets it measure
// at its module's top level, or from the event loop (serve).
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { readSync, writeSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** The side a child measures. */
export type Side = 'ours' | 'stock';

/** A child running one bench script, answering one request at a time. */
export class Child {
  readonly #proc: ChildProcessByStdio<Writable, Readable, null>;
  readonly #replies: string[] = [];
  #waiting: ((line: string) => void) | null = null;

  constructor(script: string, args: string[]) {
    // Same Node binary and flags as this run (tsx loader, --expose-gc).
    this.#proc = spawn(process.execPath, [...process.execArgv, path.join(__dirname, script), ...args], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    createInterface({ input: this.#proc.stdout }).on('line', (line) => {
      const resolve = this.#waiting;
      this.#waiting = null;
      if (resolve === null) this.#replies.push(line);
      else resolve(line);
    });
  }

  /** Sends `msg` and resolves with the child's next reply. */
  ask<T>(msg: unknown): Promise<T> {
    this.#proc.stdin.write(`${JSON.stringify(msg)}\n`);
    return this.next<T>();
  }

  /** Resolves with the child's next reply without sending anything (its "ready" message). */
  next<T>(): Promise<T> {
    const queued = this.#replies.shift();
    if (queued !== undefined) return Promise.resolve(JSON.parse(queued) as T);
    return new Promise<T>((resolve) => {
      this.#waiting = (line) => resolve(JSON.parse(line) as T);
    });
  }

  /** Ends the child. */
  kill(): void {
    this.#proc.stdin.end();
    this.#proc.kill();
  }
}

/**
 * Runs `measure` on `pairs` fresh pairs of children of `script` (sides `sideA`, `sideB`), one pair
 * at a time, with the first message of each. Each process settles into its own JIT state and memory layout, so figures pooled over
 * several pairs vary less from run to run than those of one pair.
 */
export async function onPairs(
  script: string,
  pairs: number,
  sideA: Side,
  sideB: Side,
  measure: (a: Child, b: Child, readyA: unknown, readyB: unknown) => Promise<void>,
): Promise<void> {
  for (let p = 0; p < pairs; p++) {
    const a = new Child(script, [sideA]);
    const b = new Child(script, [sideB]);
    try {
      // Each child's first message says it is ready (a server's says on which port).
      const [readyA, readyB] = await Promise.all([a.next(), b.next()]);
      await measure(a, b, readyA, readyB);
    } finally {
      a.kill();
      b.kill();
    }
  }
}

/** Child side: sends one reply line to the parent. */
export function reply(msg: unknown): void {
  writeSync(1, `${JSON.stringify(msg)}\n`);
}

/** Child side: answers each request from the event loop with `handler(msg)`; exits when the parent goes. */
export function serve(handler: (msg: unknown) => unknown): void {
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    void Promise.resolve(handler(JSON.parse(line))).then(reply);
  });
  lines.on('close', () => process.exit(0));
}

/**
 * Child side of a server figure: answers 'cpu' with this process's CPU time (user + system, in
 * microseconds) and 'stats' with `stats()` (what the server wants reported after its load).
 */
export function serveCpu(stats: () => unknown = () => null): void {
  serve((msg) => {
    if (msg === 'stats') return stats();
    if (msg !== 'cpu') throw new Error(`unknown request ${JSON.stringify(msg)}`);
    const u = process.cpuUsage();
    return u.user + u.system;
  });
}

let pending = '';
const buffer = Buffer.alloc(4096);

/**
 * Child side: the parent's next request, read with a blocking read (no event loop needed, so it
 * works at a module's top level). Exits when the parent closes the pipe.
 */
export function readSyncRequest(): unknown {
  for (;;) {
    const nl = pending.indexOf('\n');
    if (nl >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      return JSON.parse(line);
    }
    let n: number;
    try {
      n = readSync(0, buffer, 0, buffer.length, null);
    } catch (error) {
      // A non-blocking stdin would say EAGAIN: wait for data rather than spin hot.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      continue;
    }
    if (n === 0) process.exit(0);
    pending += buffer.toString('utf8', 0, n);
  }
}
