// The HTTP figures: requests answered per second of server CPU, ours against the stock manager's
// idiom. Each server runs in its own child, so its process.cpuUsage() counts only the server's
// work; the load comes from this process through autocannon (50 keep-alive connections on
// 127.0.0.1, for a fixed duration per round). The two servers are loaded in alternating rounds,
// on three fresh pairs of server processes, pooled.
import autocannon from 'autocannon';
import { onPairs } from './child';
import type { Child, Side } from './child';
import { alternate, pool } from './harness';
import type { Rounds } from './harness';
import type { Row } from './report';

const CONNECTIONS = 50;

/** One server figure: which child script, how long each round loads it, how many rounds. */
interface ServerFigure {
  figure: string;
  script: string;
  seconds: number;
  /** Fresh pairs of server processes, and timed rounds on each (after one untimed round each). */
  pairs: number;
  rounds: number;
  /** The body every answer must have (checked once per server before timing). */
  expect: string;
}

/** The plain node:http server (http-server.ts): 3 reads, 3 sets, 1 await per request. */
const PLAIN: ServerFigure = {
  figure: `HTTP (node:http), ${CONNECTIONS} connections, 3 reads + 3 sets + 1 await: requests per server CPU-second`,
  script: 'http-server.ts',
  seconds: 2,
  pairs: 3,
  rounds: 4,
  expect: '6',
};

/** The express + OpenTelemetry app (express-server.ts). */
const EXPRESS: ServerFigure = {
  figure:
    `express 5 + OTel http instrumentation + batch span processor, ${CONNECTIONS} connections, 3 sets in middleware, ` +
    'await + child span in handler: requests per server CPU-second',
  script: 'express-server.ts',
  seconds: 3,
  pairs: 3,
  rounds: 5,
  expect: 'tenant-1/7/true',
};

/** A started server child and the URL it answers on. */
interface Server {
  child: Child;
  url: string;
}

async function checked(figure: ServerFigure, side: Side, child: Child, ready: unknown): Promise<Server> {
  const { port } = ready as { port: number };
  const url = `http://127.0.0.1:${port}/work`;
  const body = await (await fetch(url)).text();
  if (body !== figure.expect)
    throw new Error(`${figure.script} ${side}: answered ${JSON.stringify(body)}, expected ${figure.expect}`);
  return { child, url };
}

/** Requests answered per second of the server's CPU over one round of load. */
async function round(server: Server, seconds: number): Promise<number> {
  const before = await server.child.ask<number>('cpu');
  const result = await autocannon({ url: server.url, connections: CONNECTIONS, duration: seconds });
  const after = await server.child.ask<number>('cpu');
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(`load on ${server.url}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
  }
  return result['2xx'] / ((after - before) / 1e6);
}

/** What each side's servers reported after their load (spans exported, for the express app). */
export interface ServerNotes {
  ours: unknown[];
  stock: unknown[];
}

async function serverRow(figure: ServerFigure): Promise<{ row: Row; notes: ServerNotes }> {
  const all: Rounds[] = [];
  const notes: ServerNotes = { ours: [], stock: [] };
  await onPairs(figure.script, figure.pairs, 'ours', 'stock', async (a, b, readyA, readyB) => {
    const ours = await checked(figure, 'ours', a, readyA);
    const stock = await checked(figure, 'stock', b, readyB);
    // One untimed round each first (JIT warm-up, connection set-up).
    all.push(
      await alternate(
        () => round(ours, figure.seconds),
        () => round(stock, figure.seconds),
        figure.rounds,
      ),
    );
    notes.ours.push(await a.ask('stats'));
    notes.stock.push(await b.ask('stats'));
  });
  const c = pool(all);
  const rps = (x: number): string => `${Math.round(x)} req/cpu-s`;
  return {
    row: { figure: figure.figure, ours: rps(c.a), base: rps(c.b), ratio: c.ratio, goal: { op: '>=', value: 1.0 } },
    notes,
  };
}

/** The node:http row. */
export async function httpRows(): Promise<Row[]> {
  return [(await serverRow(PLAIN)).row];
}

/** The express + OpenTelemetry row, and what each server's exporter counted. */
export async function expressRows(): Promise<{ rows: Row[]; notes: ServerNotes }> {
  const { row, notes } = await serverRow(EXPRESS);
  return { rows: [row], notes };
}
