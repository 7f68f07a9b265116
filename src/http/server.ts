// Listening and stopping. On shutdown the server stops accepting connections, lets requests
// in flight finish, and cuts whatever is still open once the time is up.
import type { Server } from 'node:http';
import type { Express } from 'express';
import type { AddressInfo } from 'node:net';

export function listen(app: Express, port: number, host?: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host ?? '0.0.0.0', (error?: Error) => (error ? reject(error) : resolve(server)));
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
    const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    // Idle keep-alive sockets would otherwise hold the server open until they time out.
    server.closeIdleConnections();
  });
}
