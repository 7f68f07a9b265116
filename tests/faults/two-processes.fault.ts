// Two app processes on one PostgreSQL, with every request alternating between them as a
// load balancer would: a session started on one works on the other, a rate limit counts
// across both, an address asked for on both at once is sent one link, and 1,000 queued
// emails are sent by their two workers exactly once each.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';
import { TestClient, csrfTokenIn, textOf } from '../helpers/client.ts';
import { testConfig } from '../helpers/app.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { queueEmails } from '../../src/email/outbox.ts';
import { SIGN_IN_LIMITS } from '../../src/auth/routes.ts';
import { needsPostgres, productionEnv, startProductionServer, sleep } from './helpers.ts';

const EMAILS = 1_000;

describe('two app processes behind alternating requests', { skip: needsPostgres }, () => {
  let database: TestDatabase;
  let smtp: TestSmtpServer;
  let servers: Array<Awaited<ReturnType<typeof startProductionServer>>> = [];
  let turn = 0;
  /** The next process's address, as a round-robin load balancer would pick it. */
  const next = () => servers[turn++ % servers.length]!.url;

  before(async () => {
    database = await createTestDatabase('postgres');
    smtp = await startSmtpServer();
    const env = productionEnv(database.url!, smtp);
    servers = await Promise.all([startProductionServer(env), startProductionServer(env)]);
  });
  after(async () => {
    for (const server of servers) server.child.kill('SIGTERM');
    await Promise.all(servers.map((server) => server.exited));
    await smtp?.close();
    await database?.close();
  });

  it('signs in across both: a session started on one works on the other', async () => {
    const email = 'grace@example.com';
    const client = new TestClient(servers[0]!.url);
    const form = await client.get(`${next()}/sign-in`);
    assert.equal(form.status, 200);
    const asked = await client.post(`${next()}/sign-in`, { _csrf: csrfTokenIn(form.html), email });
    assert.equal(asked.status, 303, 'the other process accepts the form token the first one signed');

    const mail = await smtp.waitFor((m) => m.to === email, 15_000);
    const link = /\/sign-in\/link\/[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
    assert.ok(link, 'the email holds a sign-in link');
    const confirm = await client.get(`${next()}${link}`);
    assert.equal(confirm.status, 200);
    const signedIn = await client.post(`${next()}${link}`, { _csrf: csrfTokenIn(confirm.html) });
    assert.equal(signedIn.status, 303);
    assert.match(signedIn.location ?? '', /^\/welcome/);

    const welcome = await client.get(`${next()}/welcome`);
    assert.equal(welcome.status, 200, 'signed in on the other process too');
    assert.equal(
      (await client.post(`${next()}/welcome`, { _csrf: csrfTokenIn(welcome.html), name: 'Grace Hopper' })).status,
      303,
    );
    for (let i = 0; i < 4; i++) {
      const page = await client.get(`${next()}/requests`);
      assert.equal(page.status, 200, `request ${i} on process ${turn % 2}`);
      assert.match(textOf(page.html), /Grace Hopper/);
    }
  });

  it('shares what bounds sign-in: the per-IP limit counts requests to both, and an address asked for on both at once is sent one link', async () => {
    await database.db.deleteFrom('rate_limits').execute();
    const client = new TestClient(servers[0]!.url);
    const csrf = csrfTokenIn((await client.get(`${next()}/sign-in`)).html);
    const ask = (email: string) => client.post(`${next()}/sign-in`, { _csrf: csrf, email });
    const flood = 10;
    const together = await Promise.all(Array.from({ length: flood }, () => ask('flooded@example.com')));
    assert.deepEqual(
      together.map((page) => page.status),
      Array<number>(flood).fill(303),
    );
    const statuses: number[] = [];
    for (let i = flood; i <= SIGN_IN_LIMITS.perIp; i++) statuses.push((await ask(`person${i}@example.com`)).status);
    assert.deepEqual(statuses, [...Array<number>(SIGN_IN_LIMITS.perIp - flood).fill(303), 429]);
    await smtp.waitFor((m) => m.to === 'person29@example.com', 15_000);
    await sleep(500);
    assert.equal(smtp.messages.filter((m) => m.to === 'flooded@example.com').length, 1, 'one email to the address');
  });

  it(`sends each of ${EMAILS} queued emails exactly once from the two workers`, async () => {
    const config = testConfig({ BASE_URL: 'http://127.0.0.1' });
    const emails = Array.from({ length: EMAILS }, (_, i) => ({
      to: `bulk${i}@example.com`,
      name: 'sign-in-link' as const,
      data: { link: `/sign-in/link/${i}`, minutes: 10 },
    }));
    await queueEmails(database.db, emails, { config, clock: new ManualClock(new Date()) });

    const bulk = () => smtp.messages.filter((m) => m.to.startsWith('bulk'));
    const deadline = Date.now() + 120_000;
    while (bulk().length < EMAILS && Date.now() < deadline) await sleep(250);
    await sleep(1_500); // a duplicate would arrive now, if there were one
    const received = bulk();
    assert.equal(received.length, EMAILS);
    assert.equal(new Set(received.map((m) => m.messageId)).size, EMAILS, 'no message twice');
    assert.equal(new Set(received.map((m) => m.to)).size, EMAILS, 'every recipient once');
    const rows = await database.db
      .selectFrom('email_outbox')
      .select(['status', 'attempts'])
      .where('to_address', 'like', 'bulk%')
      .execute();
    assert.equal(rows.length, EMAILS);
    assert.ok(
      rows.every((r) => r.status === 'sent' && r.attempts === 1),
      'each claimed once, sent at the first attempt',
    );
  });
});
