import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { startTestApp } from '../helpers/app.ts';
import { migrateDown, migrateToLatest } from '../../src/db/migrator.ts';

describeEachDatabase('health and readiness', (database) => {
  const { app } = useTestApp(database);

  it('/healthz says the process is alive', async () => {
    const res = await fetch(`${app().url}/healthz`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /application\/json/);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  it('/readyz is ready when the database answers and migrations are current', async () => {
    const res = await fetch(`${app().url}/readyz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      status: 'ready',
      database: 'ok',
      migrations: 'current',
      mail: { pending: 0, failed: 0 },
    });
  });

  it('/readyz is not ready while a migration is pending', async () => {
    const [reverted] = await migrateDown(database().db);
    try {
      const res = await fetch(`${app().url}/readyz`);
      assert.equal(res.status, 503);
      assert.deepEqual(await res.json(), {
        status: 'not ready',
        database: 'ok',
        migrations: 'pending',
        pending: [reverted],
      });
    } finally {
      await migrateToLatest(database().db);
    }
  });
});

describeEachDatabase(
  'readiness without a database',
  (database) => {
    it('/readyz answers 503 "unreachable" once the database is gone', async () => {
      const app = await startTestApp({ db: database().db });
      try {
        await database().db.destroy();
        const res = await fetch(`${app.url}/readyz`);
        assert.equal(res.status, 503);
        assert.equal(((await res.json()) as { database: string }).database, 'unreachable');
        assert.equal((await fetch(`${app.url}/healthz`)).status, 200, 'the process itself is still alive');
      } finally {
        await app.close();
      }
    });
  },
  { kinds: ['postgres'] },
);
