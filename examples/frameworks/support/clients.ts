// The clients every framework example drives its server with, on 127.0.0.1: many concurrent
// keep-alive connections, and pipelined requests (several in one TCP write, which Node's http
// server emits in one synchronous run: the case where a value set for one request could reach the
// next). Each request carries its own x-request-id and x-user, derived from its key.
import http from 'node:http';
import net from 'node:net';

/** One answered request: its key (also the order id in the path) and the parsed JSON body. */
export interface Answer {
  key: string;
  status: number;
  body: unknown;
}

/**
 * The headers a request with this key sends: what its handler must see, and nothing else. One
 * request in five is anonymous (no x-user), so nothing sets the user var for it: a value left
 * over from another request would show there.
 */
export function headersFor(key: string): Record<string, string> {
  return /[49]$/.test(key)
    ? { 'x-request-id': `rid-${key}` }
    : { 'x-request-id': `rid-${key}`, 'x-user': `user-${key}` };
}

const TIMEOUT_MS = 10_000;

/**
 * `clients` concurrent keep-alive clients (one socket each), each sending `perClient` requests one
 * after the other on its connection.
 */
export async function keepAliveClients(port: number, clients: number, perClient: number): Promise<Answer[]> {
  const answers: Answer[] = [];
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (let i = 0; i < perClient; i++) answers.push(await get(port, agent, `k${c}-${i}`));
      } finally {
        agent.destroy();
      }
    }),
  );
  return answers;
}

function get(port: number, agent: http.Agent, key: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: `/orders/${key}`, headers: headersFor(key), agent, timeout: TIMEOUT_MS },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ key, status: res.statusCode ?? 0, body: parse(text) }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET /orders/${key}: no answer in ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
  });
}

/**
 * `sockets` raw connections, each writing `batches` batches of `batch` requests, a batch in one
 * TCP write, waiting for a batch's answers before the next. HTTP/1.1 answers pipelined requests in
 * order, so the n-th response belongs to the n-th request.
 */
export async function pipelinedClients(
  port: number,
  sockets: number,
  batches: number,
  batch: number,
): Promise<Answer[]> {
  const answers: Answer[] = [];
  await Promise.all(
    Array.from({ length: sockets }, async (_, s) => {
      const socket = net.connect(port, '127.0.0.1');
      socket
        .setEncoding('utf8')
        .setTimeout(TIMEOUT_MS, () => socket.destroy(new Error(`pipelined socket ${s}: idle for ${TIMEOUT_MS} ms`)));
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      const reader = responseReader(socket);
      try {
        for (let b = 0; b < batches; b++) {
          const keys = Array.from({ length: batch }, (_, r) => `p${s}-${b}-${r}`);
          socket.write(
            keys
              .map((key) => {
                const headers = Object.entries(headersFor(key))
                  .map(([name, value]) => `${name}: ${value}\r\n`)
                  .join('');
                return `GET /orders/${key} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`;
              })
              .join(''),
          );
          for (const key of keys) answers.push({ key, ...(await reader.next()) });
        }
      } finally {
        socket.destroy();
      }
    }),
  );
  return answers;
}

/** Reads HTTP/1.1 responses off a socket one at a time (Content-Length or chunked bodies). */
function responseReader(socket: net.Socket): { next(): Promise<{ status: number; body: unknown }> } {
  let buffer = '';
  let waiting: (() => void) | undefined;
  let failure: Error | undefined;
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    waiting?.();
  });
  socket.on('error', (error) => {
    failure = error;
    waiting?.();
  });
  socket.on('close', () => {
    failure ??= new Error('connection closed before every answer arrived');
    waiting?.();
  });
  const take = (): { status: number; body: unknown } | undefined => {
    const end = buffer.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const head = buffer.slice(0, end);
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    let rest = buffer.slice(end + 4);
    let text = '';
    if (length) {
      // Lengths count bytes; the bodies here are ASCII JSON, so bytes and characters agree.
      if (rest.length < Number(length[1])) return undefined;
      text = rest.slice(0, Number(length[1]));
      rest = rest.slice(Number(length[1]));
    } else if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
      for (;;) {
        const line = rest.indexOf('\r\n');
        if (line < 0) return undefined;
        const size = parseInt(rest.slice(0, line), 16);
        if (rest.length < line + 2 + size + 2) return undefined;
        text += rest.slice(line + 2, line + 2 + size);
        rest = rest.slice(line + 2 + size + 2);
        if (size === 0) break;
      }
    }
    buffer = rest;
    return { status, body: parse(text) };
  };
  return {
    async next() {
      for (;;) {
        const answer = take();
        if (answer) return answer;
        if (failure) throw failure;
        await new Promise<void>((resolve) => (waiting = resolve));
        waiting = undefined;
      }
    },
  };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
