// The HTTP plumbing of the scenario tests: servers on 127.0.0.1 (never another interface), and a
// JSON GET through a caller's keep-alive agent.
import http from 'node:http';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';

/** Starts `server` on 127.0.0.1, on a free port. @returns the port. */
export async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Stops accepting connections and waits until the open ones have ended. */
export async function close(server: net.Server): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** GETs `pathname` from 127.0.0.1:`port` through `agent` and parses the body as JSON (typed `T`, unchecked). */
export function getJson<T = Record<string, unknown>>(
  agent: http.Agent,
  port: number,
  pathname: string,
  headers: Record<string, string> = {},
): Promise<T> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: pathname, agent, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => {
          try {
            resolve(JSON.parse(body) as T);
          } catch (error) {
            reject(new Error(`${res.statusCode}: ${body}`, { cause: error }));
          }
        });
      })
      .on('error', reject);
  });
}
