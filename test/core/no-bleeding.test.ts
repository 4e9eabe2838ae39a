// No bleeding, with real servers on 127.0.0.1: a value set without reset in one request's handler is
// never seen by the next request on the same keep-alive connection, by other requests, or by the
// next `data` event of a socket. On Node 20/22 (async-hooks AsyncLocalStorage) enterWith alone
// would leak here (nodejs/node#41978); on Node 24+ (AsyncContextFrame) it would not.
import http from 'node:http';
import { AsyncResource } from 'node:async_hooks';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ContextVar } from '../../src/index';
import { engine } from '../../src/internal/engine/index';
import { close, getJson, listen } from '../support/http';
import { SEED_TITLE, runRandom } from '../support/prng';

const requestId = new ContextVar<string>('requestId');
const user = new ContextVar<string>('user');

interface Seen {
  id: string;
  atEntry: [string | undefined, string | undefined];
  afterAwait: [string | undefined, string | undefined];
}

describe(`http server with keep-alive clients (${SEED_TITLE})`, () => {
  test('a handler never sees values a previous request set without reset', async () => {
    const sockets = new Set<net.Socket>();
    const server = http.createServer(
      (req, res) =>
        void (async () => {
          const id = req.url!.slice(1);
          const atEntry: Seen['atEntry'] = [requestId.get('<unset>'), user.get('<unset>')];
          requestId.set(id);
          user.set(`user-${id}`);
          await sleep(runRandom() * 3);
          const afterAwait: Seen['afterAwait'] = [requestId.get(undefined), user.get(undefined)];
          res.end(JSON.stringify({ id, atEntry, afterAwait }));
        })(),
    );
    server.on('connection', (s) => sockets.add(s));
    const port = await listen(server);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    try {
      const results: Seen[] = [];
      for (let round = 0; round < 10; round++) {
        results.push(
          ...(await Promise.all(Array.from({ length: 8 }, (_, i) => getJson<Seen>(agent, port, `/r${round}-${i}`)))),
        );
      }
      expect(sockets.size).toBeLessThanOrEqual(4);
      for (const r of results) {
        expect(r.atEntry).toEqual(['<unset>', '<unset>']);
        expect(r.afterAwait).toEqual([r.id, `user-${r.id}`]);
      }
      expect(results).toHaveLength(80);
    } finally {
      agent.destroy();
      await close(server);
    }
  });
});

describe(`net server (${SEED_TITLE})`, () => {
  test("a socket's data event never sees what the previous data event set", async () => {
    const seen: (string | undefined)[] = [];
    const server = net.createServer((socket) => {
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        seen.push(requestId.get(undefined));
        requestId.set(chunk);
        socket.write('ack');
      });
    });
    const port = await listen(server);
    const client = net.connect(port, '127.0.0.1');
    client.setEncoding('utf8');
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    try {
      for (let i = 0; i < 6; i++) {
        client.write(`chunk-${i}`);
        await new Promise<void>((resolve) => client.once('data', () => resolve()));
      }
      expect(seen).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    } finally {
      client.destroy();
      await close(server);
    }
  });
});

describe(`one resource, many callbacks (${SEED_TITLE})`, () => {
  test('a callback never sees what an earlier callback of its resource set, however sets interleave', async () => {
    const job = new AsyncResource('job');
    const other = new AsyncResource('other');
    const seen: [string, string][] = [];
    for (let i = 0; i < 3; i++) {
      job.runInAsyncScope(() => {
        const entry = requestId.get('<unset>');
        requestId.set(`a${i}`);
        other.runInAsyncScope(() => {
          seen.push([entry, user.get('<unset>')]);
          user.set(`other ${i}`);
        });
        requestId.set(`b${i}`);
        user.set(`job ${i}`);
      });
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(seen).toEqual([
      ['<unset>', '<unset>'],
      ['<unset>', '<unset>'],
      ['<unset>', '<unset>'],
    ]);
    job.emitDestroy();
    other.emitDestroy();
  });
});

describe('engine detection', () => {
  test('the async-hooks engine is chosen exactly where AsyncLocalStorage runs on async hooks', () => {
    const major = Number(process.versions.node.split('.')[0]);
    // Node 24 made AsyncContextFrame the default (--no-async-context-frame turns it off); 20 and 22
    // keep async hooks unless --experimental-async-context-frame turns it on (22 only).
    const on = process.execArgv.includes('--experimental-async-context-frame') && major >= 22;
    const off = process.execArgv.includes('--no-async-context-frame');
    const frames = major >= 24 ? !off : on;
    expect(engine.kind).toBe(frames ? 'async-context-frame' : 'async-hooks');
  });
});
