// A request id for express 5: one middleware sets a ContextVar, and code anywhere below it (a
// logger, a data layer, after any number of awaits) reads it without `req` being passed down.
// Run: npm run build && npx tsx examples/express-request-id.ts
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import { ContextVar, isolated } from 'otel-contextvars';

// Module level, as in Python: a var per concept, never one per request.
const requestId = new ContextVar<string>('request.id');

// What a structured logger's mixin does (see examples/pino.ts): no request object needed.
function log(message: string): void {
  console.log(`[${requestId.get('no request')}] ${message}`);
}

async function loadOrder(id: string): Promise<{ id: string; requestId: string }> {
  await sleep(10);
  log(`loaded order ${id}`);
  return { id, requestId: requestId.get() };
}

// A batch item that derives its own id from the request's. The set happens before the first
// await, and by JavaScript's rule (as with Node's enterWith) such a set is visible to the caller's
// remaining synchronous code: called in a loop, each item would see the previous item's id, and
// the handler would be left with the last one. `isolated` runs each call in its own copy of the
// context, the way asyncio.create_task does in Python.
async function processItem(item: string): Promise<string> {
  requestId.set(`${requestId.get()}/${item}`);
  await sleep(5);
  return requestId.get();
}
const processItemIsolated = isolated(processItem);

const app = express();

// Registered before the middleware, so it shows what a request sees when nothing has set the var
// for it: 'unset', even right after other requests on the same connection.
app.get('/peek', (_req, res) => {
  res.json({ requestId: requestId.get('unset') });
});

// The middleware pattern: set once, without reset. A later request never sees it: a keep-alive
// connection's next request is a separate callback, and the server below runs the app through
// `isolated`, which covers pipelined requests too. (A Python port would reset in `finally`.)
app.use((req, res, next) => {
  requestId.set(req.get('x-request-id') ?? randomUUID());
  res.setHeader('x-request-id', requestId.get());
  next();
});

app.get('/orders/:id', async (req, res) => {
  log(`GET /orders/${req.params.id}`);
  res.json(await loadOrder(req.params.id));
});

app.post('/batch', async (_req, res) => {
  const isolatedItems = await Promise.all(['a', 'b', 'c'].map((item) => processItemIsolated(item)));
  const afterIsolated = requestId.get();
  const plainItems = await Promise.all(['a', 'b', 'c'].map((item) => processItem(item)));
  res.json({ isolatedItems, afterIsolated, plainItems, afterPlain: requestId.get() });
});

// One socket for every request: the case where a value that bled would show up next time.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function call(port: number, method: string, path: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent, timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 5 s`)));
    req.on('error', reject).end();
  });
}

/** Two requests in one TCP write (HTTP pipelining), the second to /peek; resolves with both bodies. */
function pipelined(port: number, requestIdOfFirst: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () =>
      socket.write(
        `GET /orders/44 HTTP/1.1\r\nHost: x\r\nx-request-id: ${requestIdOfFirst}\r\n\r\n` +
          'GET /peek HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      ),
    );
    let raw = '';
    socket.setEncoding('utf8').setTimeout(5_000, () => socket.destroy(new Error('pipelined: no answer in 5 s')));
    socket.on('data', (chunk: string) => {
      raw += chunk;
    });
    socket.on('end', () => resolve(raw.match(/\{[^\n]*?\}(?=HTTP|$)/g) ?? []));
    socket.on('error', reject);
  });
}

async function main(): Promise<void> {
  // isolated(app): every request runs in its own copy of the context, however Node dispatches it.
  // Pipelined requests (several in one TCP packet) are emitted in one synchronous run; on Node
  // 20/22 a plain `http.createServer(app)` would let the second one start with the first one's id.
  // (OpenTelemetry's http instrumentation, when registered, gives each request its own context too.)
  const server = http
    .createServer(
      isolated((req: http.IncomingMessage, res: http.ServerResponse) => {
        app(req, res);
      }),
    )
    .listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    console.log('response', await call(port, 'GET', '/orders/42', { 'x-request-id': 'abc-123' }));
    console.log('response', await call(port, 'GET', '/orders/43'));
    console.log('peek on the same connection', await call(port, 'GET', '/peek'));
    console.log('pipelined, then peek', (await pipelined(port, 'pipe-1')).join(' '));
    const batch = JSON.parse(await call(port, 'POST', '/batch', { 'x-request-id': 'batch-7' })) as Record<
      string,
      string | string[]
    >;
    console.log(
      `batch, isolated(processItem): items saw ${String(batch.isolatedItems)}; the handler still has ${String(batch.afterIsolated)}`,
    );
    console.log(
      `batch, plain processItem:     items saw ${String(batch.plainItems)}; the handler now has ${String(batch.afterPlain)}`,
    );
  } finally {
    agent.destroy();
    server.close();
  }
}

void main();
