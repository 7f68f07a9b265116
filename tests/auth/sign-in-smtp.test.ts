// Sign-in end to end through a real SMTP server: the request queues the email, the worker
// delivers it, the test reads the received message, follows its link and lands signed in.
import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';
import { TestClient, textOf } from '../helpers/client.ts';
import { createEmailWorker, type EmailWorker } from '../../src/email/worker.ts';
import { createLogger } from '../../src/http/logger.ts';
import { ManualClock } from '../../src/lib/clock.ts';

describeEachDatabase('sign-in through a real SMTP server', (database) => {
  let smtp: TestSmtpServer;
  let worker: EmailWorker;
  const clock = new ManualClock('2026-11-02T09:00:00Z');
  const { app } = useTestApp(database, { clock, env: { ALLOWED_EMAIL_DOMAINS: 'example.com' } });

  before(async () => {
    smtp = await startSmtpServer();
    worker = createEmailWorker({
      db: database().db,
      transport: smtp.transport(),
      clock,
      logger: createLogger('silent'),
      options: { from: app().config.MAIL_FROM },
    });
  });
  after(() => smtp.close());

  it('delivers the link by email; following it signs the person in, once', async () => {
    const client = new TestClient(app().url);
    assert.equal((await client.submit('/sign-in', { email: 'grace@example.com' }, '/sign-in')).status, 303);
    assert.equal(smtp.messages.length, 0, 'nothing is sent inside the request');
    assert.equal(await worker.runOnce(), 1);

    const [mail] = await smtp.waitFor(1);
    assert.equal(mail!.to, 'grace@example.com');
    assert.equal(mail!.subject, 'Your sign-in link for Upward');
    assert.match(mail!.text, /10 minutes/);
    const link = /http:\/\/\S+\/sign-in\/link\/[\w-]+/.exec(mail!.text)![0];
    assert.ok(mail!.html.includes(link));

    const path = link.replace(app().config.BASE_URL, '');
    const landed = await client.follow(await client.submit(path, {}));
    assert.match(textOf(landed.html), /Welcome to Upward/);
    assert.match(textOf(landed.html), /Signed in as grace@example\.com/);

    const again = await new TestClient(app().url).get(path);
    assert.equal(again.status, 410, 'the link works once');
  });

  it('sends nothing to an address outside the allowed domains, yet answers the same', async () => {
    const client = new TestClient(app().url);
    const before = smtp.messages.length;
    const res = await client.submit('/sign-in', { email: 'stranger@elsewhere.org' }, '/sign-in');
    assert.equal(res.location, '/sign-in/check-email');
    assert.equal(await worker.runOnce(), 0);
    assert.equal(smtp.messages.length, before);
  });
});
