// PostgreSQL restarts while the app serves (its own private cluster, so nothing else is
// disturbed): requests in that window get the friendly 503 page, /readyz says not ready, the
// process keeps running, and once the database is back the app serves again by itself.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { connectPostgres, type DatabaseHandle } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrator.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';
import { textOf } from '../helpers/client.ts';
import { productionEnv, seedRound, send, sleep, startProductionServer, surveyForm } from './helpers.ts';
import { privatePostgresSkipReason, startPrivatePostgres, type PrivatePostgres } from './private-postgres.ts';

describe('a database restart while serving', { skip: privatePostgresSkipReason }, () => {
  let postgres: PrivatePostgres;
  let database: DatabaseHandle;
  let smtp: TestSmtpServer;
  before(async () => {
    postgres = await startPrivatePostgres();
    const admin = new pg.Client({ connectionString: postgres.url() });
    await admin.connect();
    await admin.query('create database upward');
    await admin.end();
    database = connectPostgres(postgres.url('upward'), 2);
    await migrateToLatest(database.db);
    smtp = await startSmtpServer();
  });
  after(async () => {
    await database?.close().catch(() => {});
    await smtp?.close();
    postgres?.remove();
  });

  it('answers 503 while it is down, says not ready, and recovers alone', async () => {
    const round = await seedRound(database.db, 5);
    const server = await startProductionServer(productionEnv(postgres.url('upward'), smtp));
    const survey = (i: number) => `${server.url}/s/${round.tokens[i]}`;
    try {
      assert.equal((await send(`${server.url}/readyz`, { accept: 'application/json' })).status, 200);
      assert.equal((await send(survey(0))).status, 200);

      postgres.stop();
      const page = await send(survey(1));
      assert.equal(page.status, 503);
      assert.match(
        textOf(page.body),
        /Upward is briefly unavailable We cannot reach our database just now\. Please try again in a minute\./,
      );
      assert.doesNotMatch(page.body, /ECONNREFUSED|at .*\.ts|terminating connection/, 'no technical detail');
      const post = await send(survey(1), { method: 'POST', body: surveyForm(round.questions, 1) });
      assert.equal(post.status, 503, 'a submission in the window is refused, not half stored');
      const ready = await send(`${server.url}/readyz`, { accept: 'application/json' });
      assert.equal(ready.status, 503);
      assert.equal(JSON.parse(ready.body).status, 'not ready');
      assert.equal(
        (await send(`${server.url}/healthz`, { accept: 'application/json' })).status,
        200,
        'the process itself lives',
      );

      postgres.start();
      const deadline = Date.now() + 30_000;
      let status = 0;
      while (Date.now() < deadline && status !== 200) {
        status = (await send(`${server.url}/readyz`, { accept: 'application/json' })).status;
        if (status !== 200) await sleep(200);
      }
      assert.equal(status, 200, 'ready again without a restart of the app');
      // Pooled connections cut by the restart are replaced: every page works again.
      for (let i = 1; i < 5; i++) {
        const reply = await send(survey(i), { method: 'POST', body: surveyForm(round.questions, i) });
        assert.equal(reply.status, 200, `submission ${i} after the restart`);
      }
      assert.equal(server.child.exitCode, null, 'the app never exited');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    const responses = await database.db
      .selectFrom('sealed_responses')
      .select('id')
      .where('request_id', '=', round.request.id)
      .execute();
    assert.equal(responses.length, 4, 'the refused submission stored nothing; the later ones each once');
  });
});
