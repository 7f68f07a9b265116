// Graceful shutdown: requests in flight finish, new connections are refused, the process
// exits within a bounded time.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import http from 'node:http';
import express from 'express';
import { closeGracefully, listen, portOf } from '../../src/http/server.ts';
import { startServer } from '../helpers/processes.ts';

describe('graceful shutdown', () => {
  it('finishes a request in flight and refuses new ones', async () => {
    const app = express();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const inFlight = new Promise<void>((resolve) => (arrived = resolve));
    app.get('/slow', async (_req, res) => {
      arrived();
      await released;
      res.send('finished');
    });
    const server = await listen(app, 0, '127.0.0.1');
    const url = `http://127.0.0.1:${portOf(server)}`;

    const slow = fetch(`${url}/slow`).then(async (r) => [r.status, await r.text()] as const);
    await inFlight;
    const closed = closeGracefully(server, 5_000);
    await assert.rejects(fetch(`${url}/slow`), 'a new connection is refused while stopping');
    release();
    assert.deepEqual(await slow, [200, 'finished']);
    await closed;
    assert.equal(server.listening, false);
  });

  it('closes keep-alive connections once their request is answered, instead of waiting out the time limit', async () => {
    const app = express();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const inFlight = new Promise<void>((resolve) => (arrived = resolve));
    app.get('/fast', (_req, res) => res.send('fast'));
    app.get('/slow', async (_req, res) => {
      arrived();
      await released;
      res.send('finished');
    });
    const server = await listen(app, 0, '127.0.0.1');
    const agent = new http.Agent({ keepAlive: true });
    const get = (path: string) =>
      new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port: portOf(server), path, agent }, (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
          })
          .on('error', reject);
      });
    try {
      assert.equal((await get('/fast')).connection, 'keep-alive', 'an idle keep-alive connection is open');
      const slow = get('/slow');
      await inFlight;
      const started = Date.now();
      const closed = closeGracefully(server, 10_000);
      release();
      assert.deepEqual(await slow, { status: 200, connection: 'close' }, 'the answer in flight closes its connection');
      await closed;
      assert.ok(Date.now() - started < 2_000, `closed in ${Date.now() - started} ms, not after the 10 s limit`);
    } finally {
      agent.destroy();
    }
  });

  it('cuts a request that outlives the time limit', async () => {
    const app = express();
    app.get('/stuck', () => {}); // never answers
    const server = await listen(app, 0, '127.0.0.1');
    const stuck = fetch(`http://127.0.0.1:${portOf(server)}/stuck`).catch(() => 'cut');
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await closeGracefully(server, 300);
    assert.ok(Date.now() - started < 2_000);
    assert.equal(await stuck, 'cut');
  });

  it('npm start stops on SIGTERM with exit code 0 and closes the database', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'upward-stop-'));
    try {
      const server = await startServer({ DATA_DIR: dataDir });
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
      const started = Date.now();
      server.child.kill('SIGTERM');
      const exit = await server.exited;
      assert.equal(exit.code, 0, exit.stderr);
      assert.ok(Date.now() - started < 15_000);
      assert.match(exit.stdout, /"msg":"stopped"/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
