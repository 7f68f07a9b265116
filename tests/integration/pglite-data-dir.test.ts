// The embedded database keeps its data across restarts, and refuses a second process.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectPglite } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrator.ts';
import { startServer } from '../helpers/processes.ts';

describe('embedded database folder', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'upward-data-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps data across a restart', async () => {
    const first = await connectPglite(dataDir);
    await migrateToLatest(first.db);
    await first.db.insertInto('users').values({ email: 'kept@example.com' }).execute();
    await first.close();

    const second = await connectPglite(dataDir);
    const row = await second.db.selectFrom('users').select('email').executeTakeFirst();
    await second.close();
    assert.equal(row?.email, 'kept@example.com');
  });

  it('refuses a second process with a clear message, and starts again once the first stops', async () => {
    const server = await startServer({ DATA_DIR: dataDir });
    assert.ok(existsSync(path.join(dataDir, 'upward.lock')));
    const started = server.output();
    const second = await startServer({ DATA_DIR: dataDir }).then(
      () => assert.fail('a second process must not open the same data folder'),
      (error: Error) => error.message,
    );
    assert.match(second, /already in use by another Upward process \(pid \d+\)/);
    assert.doesNotMatch(second, /\n\s+at /, 'no stack trace');

    server.child.kill('SIGTERM');
    assert.equal((await server.exited).code, 0);
    assert.ok(!existsSync(path.join(dataDir, 'upward.lock')), 'the lock is released on shutdown');
    assert.match(
      started,
      /emails are not sent but kept in the mailbox at http:\/\/localhost:\d+\/dev\/mailbox/,
      'in development the start output names the mailbox',
    );

    const again = await startServer({ DATA_DIR: dataDir });
    const ready = await fetch(`${again.url}/readyz`);
    assert.equal(ready.status, 200);
    again.child.kill('SIGTERM');
    await again.exited;
  });

  it('takes over a lock left by a process that died', async () => {
    const server = await startServer({ DATA_DIR: dataDir });
    server.child.kill('SIGKILL');
    await server.exited;
    const next = await startServer({ DATA_DIR: dataDir });
    assert.equal((await fetch(`${next.url}/healthz`)).status, 200);
    next.child.kill('SIGTERM');
    await next.exited;
  });
});
