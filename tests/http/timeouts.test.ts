// A client that sends its request slowly, or never finishes it, is cut off within the
// configured seconds (HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS), not after Node's
// default 300 s: shown with raw sockets against `npm start`'s entry point, configured short.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../helpers/processes.ts';

const HEADERS_MS = 1_000;
const REQUEST_MS = 3_000;
/** Node checks the timeouts on a beat (src/http/server.ts); allow it and a loaded machine. */
const SLACK_MS = 1_500;

/**
 * Sends `parts` on one connection, waiting `pauseMs` before each after the first, and
 * resolves with what came back once the server has closed it.
 */
function send(port: number, parts: string[], pauseMs = 0): Promise<{ received: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for 10 s; received: ${JSON.stringify(received)}`));
    }, 10_000);
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(giveUp);
      resolve({ received });
    });
    socket.on('connect', async () => {
      for (const [index, part] of parts.entries()) {
        if (index) await new Promise((r) => setTimeout(r, pauseMs));
        socket.write(part);
      }
    });
  });
}

describe('slow clients', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'upward-timeouts-'));
  let server: Awaited<ReturnType<typeof startServer>>;
  let port: number;

  before(async () => {
    server = await startServer({
      DATA_DIR: dataDir,
      HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_MS),
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_MS),
    });
    port = Number(new URL(server.url).port);
  });
  after(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('closes a connection whose body declares 1,000 bytes and sends 3, once the request time is up', async () => {
    const head = [
      'POST /sign-in HTTP/1.1',
      'Host: 127.0.0.1',
      'Content-Type: application/x-www-form-urlencoded',
      'Content-Length: 1000',
      '',
      '',
    ].join('\r\n');
    const started = Date.now();
    const { received } = await send(port, [`${head}ema`]);
    const took = Date.now() - started;
    assert.match(received, /^HTTP\/1\.1 408 /, 'the server says the request took too long');
    assert.ok(took >= REQUEST_MS - 200, `not before the request time is up (${took} ms)`);
    assert.ok(took < REQUEST_MS + SLACK_MS, `closed ${took} ms after the request began`);
  });

  it('closes a connection whose headers never end, once the headers time is up', async () => {
    const started = Date.now();
    const { received } = await send(port, ['GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n']);
    const took = Date.now() - started;
    assert.match(received, /^HTTP\/1\.1 408 /);
    assert.ok(took >= HEADERS_MS - 200, `not before the headers time is up (${took} ms)`);
    assert.ok(took < HEADERS_MS + SLACK_MS, `closed ${took} ms after the request began`);
  });

  it('keeps an idle keep-alive connection longer than the headers time, and serves its next request', async () => {
    const get = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    const last = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n';
    const { received } = await send(port, [get, last], HEADERS_MS + 500);
    assert.equal(received.match(/HTTP\/1\.1 200 /g)?.length, 2, 'both requests were answered');
  });
});
