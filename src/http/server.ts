// Listening and stopping. On shutdown the server stops accepting connections, lets requests
// in flight finish, and cuts whatever is still open once the time is up.
import type { Server, ServerResponse } from 'node:http';
import type { Express } from 'express';
import type { AddressInfo } from 'node:net';

/** Responses not yet finished, per server, so shutdown can tell them to close their connection. */
const unfinished = new WeakMap<Server, Set<ServerResponse>>();

export function listen(app: Express, port: number, host?: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host ?? '0.0.0.0', (error?: Error) => (error ? reject(error) : resolve(server)));
    const responses = new Set<ServerResponse>();
    unfinished.set(server, responses);
    server.prependListener('request', (_req, res) => {
      responses.add(res);
      res.once('close', () => responses.delete(res));
    });
    server.once('error', reject);
    // Keep-alive slightly above typical load balancer idle timeouts, so they close first.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
  });
}

export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}

/** Resolves once every connection is closed, at most `timeoutMs` after the call. */
export function closeGracefully(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    // A keep-alive connection (a load balancer's, a browser's) would otherwise carry new
    // requests until the time is up, and then be cut mid-request: from now on every
    // response closes its connection, so the client opens its next one elsewhere.
    const closeAfter = (res: ServerResponse) => {
      if (!res.headersSent) res.setHeader('Connection', 'close');
    };
    for (const res of unfinished.get(server) ?? []) closeAfter(res);
    server.prependListener('request', (_req, res) => closeAfter(res));
    const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
    force.unref();
    // Idle keep-alive sockets would otherwise hold the server open until they time out;
    // a connection whose request was in flight becomes idle once answered, so sweep again.
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    sweep.unref();
    server.close(() => {
      clearTimeout(force);
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
}
