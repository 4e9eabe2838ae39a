// No bleeding between units of work, in process: real servers on 127.0.0.1 and real timers under bounded load. Every unit
// of work sets two request-specific vars WITHOUT resetting them, awaits something short and random,
// and records what it saw at entry and after the await. The pass condition is always "zero values
// from another unit", shown as the list of observations that broke it (expected: []).
// On Node 20/22 AsyncLocalStorage runs on async hooks and enterWith sticks to the async resource
// (nodejs/node#41978); on Node 24+ it runs on AsyncContextFrame. These tests run on both.
import { EventEmitter } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { setImmediate as immediate } from 'node:timers/promises';
import { Context, ContextVar, copyContext, isolated } from '../../src/index';
import { engine } from '../../src/internal/engine/index';

const onAsyncHooks = engine.kind === 'async-hooks';
import { UNSET, foreignValues, randomShortAwait } from '../support/observe';
import { close, listen } from '../support/http';
import type { Observation } from '../support/observe';
import { pipeline } from '../support/pipelined-client.cjs';
import { SEED_TITLE, runRandom } from '../support/prng';

const requestId = new ContextVar<string>('requestId');
const user = new ContextVar<string>('user');
const workerName = new ContextVar<string>('workerName');

const own = (id: string): [unknown, unknown] => [id, `user-${id}`];

/** Entry check, set without reset, await, record: the body every load test runs per unit. */
async function unitOfWork(id: string, observations: Observation[], beforeAwait?: () => void): Promise<void> {
  const atEntry: [unknown, unknown] = [requestId.get(UNSET), user.get(UNSET)];
  requestId.set(id);
  user.set(`user-${id}`);
  beforeAwait?.();
  await randomShortAwait();
  observations.push({ id, atEntry, afterAwait: [requestId.get(UNSET), user.get(UNSET)] });
}

/** Waits (bounded) until `done()` holds: handlers that answered early record after their await. */
async function until(done: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!done()) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await immediate();
  }
}

describe(`keep-alive http server, 16 connections x 200 requests (${SEED_TITLE})`, () => {
  test('no handler sees a value set by another request, at entry or after its await', async () => {
    const CONNECTIONS = 16;
    const PER_CONNECTION = 200;
    const observations: Observation[] = [];
    const requestsPerSocket = new Map<net.Socket, number>();
    const server = http.createServer((req, res) => {
      requestsPerSocket.set(req.socket, (requestsPerSocket.get(req.socket) ?? 0) + 1);
      // Half the requests answer before the await, so the next request on the same connection
      // arrives while this handler is still suspended with its values set.
      const answerEarly = runRandom() < 0.5;
      if (answerEarly) res.end();
      void unitOfWork(req.url!.slice(1), observations).then(() => {
        if (!answerEarly) res.end();
      });
    });
    const port = await listen(server);
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const get = (id: string) =>
      new Promise<void>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: `/${id}`, agent }, (res) => {
            res.resume();
            res.on('end', resolve);
          })
          .on('error', reject);
      });
    try {
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async (_, lane) => {
          for (let i = 0; i < PER_CONNECTION; i++) await get(`c${lane}-${i}`);
        }),
      );
      await until(() => observations.length === CONNECTIONS * PER_CONNECTION, 'all handlers');
    } finally {
      agent.destroy();
      await close(server);
    }
    expect(foreignValues(observations, own)).toEqual([]);
    expect(observations).toHaveLength(3200);
    // Keep-alive really carried many requests per connection (the case that leaks on Node 20/22).
    expect(requestsPerSocket.size).toBeLessThanOrEqual(CONNECTIONS);
    expect(Math.min(...requestsPerSocket.values())).toBeGreaterThan(1);
  });
});

describe(`net server, successive data events on one socket (${SEED_TITLE})`, () => {
  test('16 sockets x 200 data events: each starts unset and keeps only its own values', async () => {
    const SOCKETS = 16;
    const MESSAGES = 200;
    const observations: Observation[] = [];
    const server = net.createServer((socket) => {
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        // Acknowledge before the await: the client's next message (next data event on this
        // socket) arrives while this one is still suspended with its values set.
        void unitOfWork(chunk.trim(), observations, () => socket.write('ack\n'));
      });
    });
    const port = await listen(server);
    try {
      await Promise.all(
        Array.from({ length: SOCKETS }, async (_, s) => {
          const socket = net.connect(port, '127.0.0.1');
          socket.setEncoding('utf8');
          await new Promise<void>((resolve) => socket.once('connect', resolve));
          for (let m = 0; m < MESSAGES; m++) {
            const acked = new Promise<void>((resolve) => socket.once('data', () => resolve()));
            socket.write(`s${s}-${m}\n`);
            await acked;
          }
          socket.destroy();
        }),
      );
      await until(() => observations.length === SOCKETS * MESSAGES, 'all data handlers');
    } finally {
      await close(server);
    }
    expect(foreignValues(observations, own)).toEqual([]);
    expect(new Set(observations.map((o) => o.id)).size).toBe(3200);
  });
});

describe(`timers and emitters, one tick after another (${SEED_TITLE})`, () => {
  test("8 setIntervals x 40 ticks: a tick sees the interval's creation context, never an earlier tick's values", async () => {
    const INTERVALS = 8;
    const TICKS = 40;
    const observations: Observation[] = [];
    const creationSeen: [string, unknown][] = [];
    await Promise.all(
      Array.from({ length: INTERVALS }, (_, k) =>
        workerName.run(
          `interval-${k}`,
          () =>
            new Promise<void>((resolve) => {
              let tick = 0;
              const pending: Promise<void>[] = [];
              const timer = setInterval(() => {
                creationSeen.push([`interval-${k}`, workerName.get(UNSET)]);
                pending.push(unitOfWork(`i${k}-${tick}`, observations));
                if (++tick === TICKS) {
                  clearInterval(timer);
                  void Promise.all(pending).then(() => resolve());
                }
              }, 1);
            }),
        ),
      ),
    );
    expect(foreignValues(observations, own)).toEqual([]);
    expect(observations).toHaveLength(320);
    expect(creationSeen.filter(([expected, seen]) => expected !== seen)).toEqual([]);
  });

  // Each emit runs in its own timer callback, all scheduled before the first emit: emits from
  // separate ticks, as a socket's or a queue client's events are. (An emit made from inside one
  // async function is that function's synchronous code: a listener's set() reaches the rest of it,
  // per the async rule for a set before the first await.)
  test("8 emitters x 100 emits from separate timer callbacks: a listener never sees an earlier emit's values", async () => {
    const observations: Observation[] = [];
    await Promise.all(
      Array.from(
        { length: 8 },
        (_, e) =>
          new Promise<void>((resolve) => {
            const emitter = new EventEmitter();
            const pending: Promise<void>[] = [];
            emitter.on('job', (id: string) => {
              pending.push(unitOfWork(id, observations));
              if (pending.length === 100) void Promise.all(pending).then(() => resolve());
            });
            for (let n = 0; n < 100; n++) setTimeout(() => emitter.emit('job', `e${e}-${n}`), runRandom() * 20);
          }),
      ),
    );
    expect(foreignValues(observations, own)).toEqual([]);
    expect(observations).toHaveLength(800);
  });
});

describe(`pipelined http requests (several in one socket write) (${SEED_TITLE})`, () => {
  // Node's HTTP parser dispatches every request of one chunk inside one synchronous run on one
  // async resource, so they are not separate callbacks the way keep-alive requests are. The
  // right expectation: a handler wrapped in `isolated()` (or dispatched by the OTel http
  // instrumentation, see otel-http-pipelined.test.ts) keeps each request's values to itself.
  test('16 sockets x 10 writes x 8 requests through isolated(handler): zero values from another request', async () => {
    const observations: Observation[] = [];
    const server = http.createServer(
      isolated((req: http.IncomingMessage, res: http.ServerResponse) => {
        const answerEarly = runRandom() < 0.5;
        if (answerEarly) res.end();
        void unitOfWork(req.url!.slice(1), observations).then(() => {
          if (!answerEarly) res.end();
        });
      }),
    );
    const port = await listen(server);
    try {
      await pipeline(port, 16, 10, 8);
      await until(() => observations.length === 1280, 'all pipelined handlers');
    } finally {
      await close(server);
    }
    expect(foreignValues(observations, own)).toEqual([]);
    expect(observations).toHaveLength(1280);
  });

  // Known gap on the async-hooks engine (Node 20/22; 24/26 with --no-async-context-frame), pinned so that a fix shows up: without a
  // wrapper, a value a handler sets before its first await is still on the parser's resource
  // when the next pipelined request of the same chunk is dispatched (the end-of-run undo runs
  // after the chunk). On AsyncContextFrame (Node 24+) each parser callback restores the frame.
  (onAsyncHooks ? test.failing : test)(
    'a plain handler for pipelined requests sees nothing a previous request set (fails on the async-hooks engine: known gap)',
    async () => {
      const observations: Observation[] = [];
      const server = http.createServer((req, res) => {
        void unitOfWork(req.url!.slice(1), observations).then(() => res.end());
      });
      const port = await listen(server);
      try {
        await pipeline(port, 4, 5, 8);
        await until(() => observations.length === 160, 'all pipelined handlers');
      } finally {
        await close(server);
      }
      expect(foreignValues(observations, own)).toEqual([]);
    },
  );
});

/** A minimal async job queue: one consumer awaits `next()`, producers `push()` from anywhere. */
class JobQueue<T> {
  readonly #items: T[] = [];
  readonly #waiters: ((item: T | undefined) => void)[] = [];
  #closed = false;

  push(item: T): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter(item);
    else this.#items.push(item);
  }

  close(): void {
    this.#closed = true;
    for (const waiter of this.#waiters.splice(0)) waiter(undefined);
  }

  next(): Promise<T | undefined> {
    if (this.#items.length > 0) return Promise.resolve(this.#items.shift());
    if (this.#closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}

interface Job {
  id: string;
  producer: string;
  /** The producer's context at push time, for workers that run each job in its sender's context. */
  ctx: Context;
}

/**
 * 16 producers, each in its own isolated context with its own vars set, push 25 jobs each at
 * random moments into one queue; the queue is closed once all are pushed.
 */
async function produce(queue: JobQueue<Job>): Promise<void> {
  await Promise.all(
    Array.from({ length: 16 }, (_, p) =>
      isolated(async () => {
        requestId.set(`producer-${p}`);
        user.set(`user-producer-${p}`);
        for (let j = 0; j < 25; j++) {
          await randomShortAwait();
          queue.push({ id: `job-${p}-${j}`, producer: `producer-${p}`, ctx: copyContext() });
        }
      })(),
    ),
  );
  queue.close();
}

describe(`job-queue worker: one long-lived loop handling queued jobs (${SEED_TITLE})`, () => {
  // The loop is one async function, so (as with one asyncio Task in Python) what its body sets
  // stays for its next iteration. Pinned because it is why the recipes below exist.
  test('a loop body that sets vars directly carries them into the next job, as one asyncio Task would', async () => {
    const queue = new JobQueue<Job>();
    const observations: Observation[] = [];
    const worker = (async () => {
      for (let job = await queue.next(); job; job = await queue.next()) await unitOfWork(job.id, observations);
    })();
    await Promise.all([produce(queue), worker]);
    const previous = new Map(
      observations.map((o, i) => [o.id, i === 0 ? [UNSET, UNSET] : own(observations[i - 1].id)]),
    );
    expect(foreignValues(observations, own, (id) => previous.get(id) as [unknown, unknown])).toEqual([]);
    expect(observations).toHaveLength(400);
  });

  test('each job through isolated(handler), 4 in flight: starts from the worker context, keeps its own values', async () => {
    const queue = new JobQueue<Job>();
    const observations: Observation[] = [];
    const handle = isolated((job: Job) => unitOfWork(job.id, observations));
    const worker = workerName.run('worker-1', async () => {
      const inFlight = new Set<Promise<void>>();
      const workerSeen = new Set<string>();
      for (let job = await queue.next(); job; job = await queue.next()) {
        const p: Promise<void> = handle(job).then(() => {
          inFlight.delete(p);
        });
        inFlight.add(p);
        if (inFlight.size >= 4) await Promise.race(inFlight);
        // The loop itself never sees a job's values, before or after the job's awaits.
        workerSeen.add(`${requestId.get(UNSET)}|${user.get(UNSET)}|${workerName.get(UNSET)}`);
      }
      await Promise.all(inFlight);
      return workerSeen;
    });
    const [, workerSeen] = await Promise.all([produce(queue), worker]);
    expect(foreignValues(observations, own)).toEqual([]);
    expect(observations).toHaveLength(400);
    expect([...workerSeen]).toEqual([`${UNSET}|${UNSET}|worker-1`]);
  });

  test('each job through requestId.run(job.id, handler): the handler sees that id and nothing of other jobs', async () => {
    const queue = new JobQueue<Job>();
    const seen: { id: string; atEntry: [unknown, unknown]; afterAwait: [unknown, unknown] }[] = [];
    const handle = async (job: Job) => {
      const atEntry: [unknown, unknown] = [requestId.get(UNSET), user.get(UNSET)];
      user.set(`user-${job.id}`);
      await randomShortAwait();
      seen.push({ id: job.id, atEntry, afterAwait: [requestId.get(UNSET), user.get(UNSET)] });
    };
    const worker = (async () => {
      for (let job = await queue.next(); job; job = await queue.next()) await requestId.run(job.id, handle, job);
    })();
    await Promise.all([produce(queue), worker]);
    expect(foreignValues(seen, own, (id) => [id, UNSET])).toEqual([]);
    expect(seen).toHaveLength(400);
  });

  test("each job run in its producer's snapshot (job.ctx.run): sees exactly that producer's values, and its sets stay in job.ctx", async () => {
    const queue = new JobQueue<Job>();
    const observations: Observation[] = [];
    const jobs: Job[] = [];
    const worker = (async () => {
      for (let job = await queue.next(); job; job = await queue.next()) {
        jobs.push(job);
        await job.ctx.run(unitOfWork, job.id, observations);
      }
      return [requestId.get(UNSET), user.get(UNSET)];
    })();
    const [, workerAfter] = await Promise.all([produce(queue), worker]);
    const producerOf = new Map(jobs.map((j) => [j.id, j.producer]));
    expect(foreignValues(observations, own, (id) => [producerOf.get(id), `user-${producerOf.get(id)}`])).toEqual([]);
    expect(observations).toHaveLength(400);
    expect(workerAfter).toEqual([UNSET, UNSET]);
    // Python: what a function sets inside ctx.run is stored in ctx.
    expect(jobs.filter((j) => j.ctx.get(requestId) !== j.id)).toEqual([]);
  });
});
