import { it, before, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Database } from '../../src/db/schema.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/http/logger.ts';
import { claimDueEmails, InvalidRecipientError, queueEmail } from '../../src/email/outbox.ts';
import { createEmailWorker, type EmailWorkerOptions } from '../../src/email/worker.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { LogCapture, testConfig } from '../helpers/app.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';

const config = testConfig({ BASE_URL: 'https://upward.example.com', MAIL_FROM: 'Upward <upward@example.com>' });
const MINUTE = 60_000;

function queueSignIn(db: Kysely<Database>, clock: ManualClock, to: string, token = 'token') {
  return queueEmail(
    db,
    { to, name: 'sign-in-link', data: { link: `/sign-in/link/${token}`, minutes: 15 } },
    { config, clock },
  );
}

async function statuses(db: Kysely<Database>) {
  const rows = await db.selectFrom('email_outbox').select(['status']).execute();
  return rows.map((r) => r.status).sort();
}

describeEachDatabase('email outbox and worker', (database) => {
  let db: Kysely<Database>;
  let smtp: TestSmtpServer;
  let clock: ManualClock;
  let logs: LogCapture;
  before(() => {
    db = database().db;
  });
  beforeEach(async () => {
    await db.deleteFrom('email_outbox').execute();
    smtp = await startSmtpServer();
    clock = new ManualClock('2026-03-02T09:00:00Z');
    logs = new LogCapture();
  });
  afterEach(() => smtp.close());

  const workerFor = (transport: Transporter, options: Partial<EmailWorkerOptions> = {}) =>
    createEmailWorker({
      db,
      transport,
      clock,
      logger: createLogger('debug', logs),
      options: { from: config.MAIL_FROM, ...options },
    });

  it('refuses a recipient that could inject headers, and queues nothing', async () => {
    await assert.rejects(queueSignIn(db, clock, 'ann@example.com\r\nBcc: all@example.com'), InvalidRecipientError);
    assert.deepEqual(await statuses(db), []);
  });

  it("queues in the caller's transaction: a rollback queues nothing", async () => {
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await queueEmail(
          trx,
          { to: 'ann@example.com', name: 'sign-in-link', data: { link: '/x', minutes: 5 } },
          { config, clock },
        );
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    assert.deepEqual(await statuses(db), []);
  });

  it('sends what is queued through SMTP, with both parts and the stored Message-ID', async () => {
    const queued = [];
    for (const name of ['ann', 'bob', 'cy'])
      queued.push({ to: `${name}@example.com`, ...(await queueSignIn(db, clock, `${name}@example.com`, name)) });

    assert.equal(await workerFor(smtp.transport()).runOnce(), 3);

    assert.equal(smtp.messages.length, 3);
    for (const { to, messageId } of queued) {
      const mail = smtp.messages.find((m) => m.to === to);
      assert.ok(mail, `nothing arrived for ${to}`);
      assert.equal(mail.subject, 'Your sign-in link for Upward');
      assert.equal(mail.messageId, messageId);
      assert.equal(mail.from, 'upward@example.com');
      const link = `https://upward.example.com/sign-in/link/${to.split('@')[0]}`;
      assert.ok(mail.text.includes(link), 'the text part has the link');
      assert.ok(mail.html.includes(`href="${link}"`), 'the HTML part has the link');
    }
    const rows = await db.selectFrom('email_outbox').selectAll().execute();
    assert.ok(
      rows.every((r) => r.status === 'sent' && r.attempts === 1 && r.sent_at?.getTime() === clock.now().getTime()),
    );
    assert.equal(await workerFor(smtp.transport()).runOnce(), 0, 'nothing is sent twice');
  });

  it('loses nothing while the SMTP server is down, and delivers once it is back', async () => {
    const { port } = smtp;
    await smtp.close(); // nothing listens on that port now
    const { messageId } = await queueSignIn(db, clock, 'ann@example.com');
    const worker = workerFor(nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true }));

    assert.equal(await worker.runOnce(), 1);
    const row = await db.selectFrom('email_outbox').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.status, 'pending');
    assert.match(row.last_error!, /ECONNREFUSED/);
    assert.ok(row.next_attempt_at > clock.now(), 'the next attempt is in the future');
    assert.match(logs.text, /will retry/);

    smtp = await startSmtpServer({ port });
    clock.set(row.next_attempt_at);
    assert.equal(await worker.runOnce(), 1);
    assert.equal(await worker.runOnce(), 0);
    assert.deepEqual(
      smtp.messages.map((m) => m.messageId),
      [messageId],
    );
    assert.deepEqual(await statuses(db), ['sent']);
  });

  it('a permanent refusal (550) ends as failed, with the reason in the row and the log', async () => {
    smtp.rejectWith(550);
    await queueSignIn(db, clock, 'nobody@example.com', 'secret-token');
    await workerFor(smtp.transport()).runOnce();

    const row = await db.selectFrom('email_outbox').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.status, 'failed');
    assert.equal(row.attempts, 1);
    assert.match(row.last_error!, /550/);
    assert.match(row.last_error!, /Mailbox does not exist/);
    assert.match(logs.text, /giving up/);
    assert.match(logs.text, /Mailbox does not exist/);
    assert.doesNotMatch(
      logs.text,
      /nobody@example\.com|secret-token/,
      'the log holds neither the address nor the body',
    );
  });

  it('a temporary refusal (451) is retried with growing waits, then given up after the last attempt', async () => {
    smtp.rejectWith(451);
    await queueSignIn(db, clock, 'ann@example.com');
    const worker = workerFor(smtp.transport(), { maxAttempts: 3 });
    const waits = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      assert.equal(await worker.runOnce(), 1);
      const row = await db.selectFrom('email_outbox').selectAll().executeTakeFirstOrThrow();
      assert.match(row.last_error!, /451/);
      if (attempt < 3) {
        assert.equal(row.status, 'pending');
        waits.push(row.next_attempt_at.getTime() - clock.now().getTime());
        assert.equal(await worker.runOnce(), 0, 'not before its next attempt is due');
        clock.set(row.next_attempt_at);
      } else {
        assert.equal(row.status, 'failed');
      }
    }
    assert.deepEqual(waits, [1 * MINUTE, 2 * MINUTE]);
    assert.equal(smtp.messages.length, 0);
  });

  it('takes over an email whose worker crashed once its lease has run out', async () => {
    await queueSignIn(db, clock, 'ann@example.com');
    const [claimed] = await claimDueEmails(db, { now: clock.now(), leaseMs: 5 * MINUTE, limit: 10 }); // then "crashes"
    assert.equal(claimed?.status, 'sending');

    const worker = workerFor(smtp.transport());
    assert.equal(await worker.runOnce(), 0, 'the lease still holds');
    clock.advance(5 * MINUTE);
    assert.equal(await worker.runOnce(), 1);
    await smtp.waitFor(1);
    const row = await db.selectFrom('email_outbox').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.status, 'sent');
    assert.equal(row.attempts, 2);
  });

  it('stop() lets the batch in flight finish; the rest waits for the next run, none sent twice', async () => {
    for (let i = 0; i < 6; i++) await queueSignIn(db, clock, `member${i}@example.com`);
    const slow = smtp.hold();
    const worker = workerFor(smtp.transport(), { batchSize: 3, pollIntervalMs: 5 });
    worker.start();
    await slow.arrived;
    const stopped = worker.stop();
    slow.release();
    await stopped;

    assert.deepEqual(await statuses(db), ['pending', 'pending', 'pending', 'sent', 'sent', 'sent']);
    assert.equal(smtp.messages.length, 3);

    assert.equal(await workerFor(smtp.transport()).runOnce(), 3);
    assert.deepEqual(await statuses(db), Array(6).fill('sent'));
    assert.equal(new Set(smtp.messages.map((m) => m.messageId)).size, 6);
    assert.equal(smtp.messages.length, 6);
  });
});
