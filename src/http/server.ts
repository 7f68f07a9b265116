// Listening and stopping. On shutdown the server stops accepting connections, lets requests
// in flight finish, and cuts whatever is still open once the time is up.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Express } from 'express';
import type { AddressInfo } from 'node:net';
import { HTTP_TIMEOUT_DEFAULTS } from '../config.ts';

/** Responses not yet finished, per server, so shutdown can tell them to close their connection. */
const unfinished = new WeakMap<Server, Set<ServerResponse>>();

/** Keep-alive slightly above typical load balancer idle timeouts (60 s), so they close first. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export interface HttpTimeouts {
  /** A request whose headers have not all arrived by then is answered 408 and its connection closed. */
  headersMs: number;
  /** Likewise for the whole request, body included. */
  requestMs: number;
}

export function listen(
  app: Express,
  port: number,
  host?: string,
  timeouts: HttpTimeouts = HTTP_TIMEOUT_DEFAULTS,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(
      {
        headersTimeout: timeouts.headersMs,
        requestTimeout: timeouts.requestMs,
        keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
        // Node checks the two timeouts above on this beat (30 s by default, which would let a
        // slow client stay up to 30 s past its time).
        connectionsCheckingInterval: Math.min(1_000, Math.ceil(timeouts.headersMs / 4)),
      },
      app,
    );
    server.listen(port, host ?? '0.0.0.0', () => resolve(server));
    const responses = new Set<ServerResponse>();
    unfinished.set(server, responses);
    server.prependListener('request', (_req, res) => {
      responses.add(res);
      res.once('close', () => responses.delete(res));
    });
    server.once('error', reject);
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
