// The HTTP figure: requests per second of server CPU, ours against the stock manager's idiom.
// The load comes from this process (50 keep-alive clients); each server runs in its own child, so
// its process.cpuUsage() counts only the server's work. Servers are loaded in alternating order.
import http from 'node:http';
import { Child } from './child';
import { median } from './harness';
import type { Row } from './report';

const CLIENTS = 50;
const REQUESTS_PER_ROUND = 8_000;
const ROUNDS = 7;

/** Sends `total` requests through `CLIENTS` concurrent keep-alive connections. */
async function load(port: number, agent: http.Agent, total: number): Promise<void> {
  let left = total;
  const client = async (): Promise<void> => {
    while (left-- > 0) {
      await new Promise<void>((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
          res.on('data', () => {});
          res.on('end', resolve);
        });
        req.on('error', reject);
      });
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
}

interface Server {
  child: Child;
  port: number;
  agent: http.Agent;
}

async function start(side: 'ours' | 'stock'): Promise<Server> {
  const child = new Child('http-server.ts', [side]);
  const { port } = await child.next<{ port: number }>();
  return { child, port, agent: new http.Agent({ keepAlive: true, maxSockets: CLIENTS }) };
}

/** Requests per CPU-second of the server over one round of load. */
async function round(server: Server): Promise<number> {
  const before = await server.child.ask<number>('cpu');
  await load(server.port, server.agent, REQUESTS_PER_ROUND);
  const after = await server.child.ask<number>('cpu');
  return REQUESTS_PER_ROUND / ((after - before) / 1e6);
}

/** The HTTP row: ours / stock in requests per second of server CPU (higher is better). */
export async function httpRows(): Promise<Row[]> {
  const ours = await start('ours');
  const stock = await start('stock');
  try {
    await round(ours);
    await round(stock);
    const a: number[] = [];
    const b: number[] = [];
    const ratios: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const [first, second] = r % 2 === 0 ? [ours, stock] : [stock, ours];
      const t1 = await round(first);
      const t2 = await round(second);
      const [ta, tb] = r % 2 === 0 ? [t1, t2] : [t2, t1];
      a.push(ta);
      b.push(tb);
      ratios.push(ta / tb);
    }
    const rps = (x: number): string => `${Math.round(x)} req/cpu-s`;
    return [{
      figure: `HTTP, ${CLIENTS} keep-alive clients, 3 reads + 3 sets + 1 await: requests per server CPU-second`,
      ours: rps(median(a)),
      base: rps(median(b)),
      ratio: median(ratios),
      goal: { op: '>=', value: 1.0 },
    }];
  } finally {
    for (const s of [ours, stock]) {
      s.agent.destroy();
      s.child.kill();
    }
  }
}
