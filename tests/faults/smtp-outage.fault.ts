// An hour without a mail server, starting with a launch: first it answers 451 (try later),
// then it is gone altogether, then it comes back on the same port. On an injected clock
// the worker retries with back-off; every invitation and the reminder that fell due during
// the outage arrive exactly once, and the reminder point is not sent twice however often
// the jobs run.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import { describeEachDatabase } from '../helpers/databases.ts';
import { testConfig } from '../helpers/app.ts';
import { createRequest, createUser } from '../helpers/factories.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';
import { createLogger } from '../../src/http/logger.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { launchRequest } from '../../src/collect/actions.ts';
import { createEmailWorker } from '../../src/email/worker.ts';
import { createRoundJobs } from '../../src/jobs/runner.ts';

const TEAM = 40;
const MINUTE = 60_000;

describeEachDatabase('an SMTP outage of an hour during a launch', (database) => {
  it('delivers every invitation and the reminder once the server is back, each once', async () => {
    const db = database().db;
    const start = new Date('2026-11-02T09:00:00Z');
    const clock = new ManualClock(start);
    const config = testConfig({ BASE_URL: 'https://upward.example.com', REMINDERS: 'halfway' });
    const manager = await createUser(db, { name: 'Mona Manager' });
    const leader = await createUser(db, { name: 'Leo Leader' });
    const team = Array.from({ length: TEAM }, (_, i) => `member${i}@example.com`);
    // Closes 100 minutes after launch: the halfway reminder falls due at 50, inside the outage.
    const { request } = await createRequest(db, {
      managerId: manager.id,
      leaderEmail: leader.email,
      invitees: team,
      now: start,
      closesAt: new Date(start.getTime() + 100 * MINUTE),
    });

    let smtp: TestSmtpServer = await startSmtpServer();
    const port = smtp.port;
    smtp.rejectWith(451);
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port,
      secure: false,
      ignoreTLS: true,
      connectionTimeout: 2_000,
    });
    const logger = createLogger('silent');
    const worker = createEmailWorker({ db, transport, clock, logger, options: { from: config.MAIL_FROM } });
    const jobs = createRoundJobs({ db, clock, config, logger });
    let down = false;
    try {
      const launched = await launchRequest({ db, config, clock }, { requestId: request.id, leaderEmail: leader.email });
      assert.deepEqual(launched, { launched: true, invited: TEAM });

      for (let minute = 0; minute <= 90; minute++) {
        clock.set(new Date(start.getTime() + minute * MINUTE));
        if (minute === 20) {
          await smtp.close(); // gone: connections refused
          down = true;
        }
        if (minute === 60) {
          smtp = await startSmtpServer({ port }); // back, accepting
          down = false;
        }
        await jobs.runOnce();
        while ((await worker.runOnce()) > 0);
        if (minute < 60) assert.equal(smtp.messages.length, 0, `nothing delivered at minute ${minute}`);
      }

      const names = new Map(
        (await db.selectFrom('email_outbox').select(['message_id', 'name', 'status']).execute()).map((row) => [
          row.message_id,
          row,
        ]),
      );
      assert.ok(
        [...names.values()].every((row) => row.status === 'sent'),
        'the outbox is empty of work',
      );
      const received = smtp.messages.map((mail) => ({ to: mail.to, name: names.get(mail.messageId)?.name }));
      assert.equal(new Set(smtp.messages.map((mail) => mail.messageId)).size, smtp.messages.length, 'no message twice');
      for (const address of team) {
        assert.equal(
          received.filter((m) => m.to === address && m.name === 'invitation').length,
          1,
          `${address}: one invitation`,
        );
        assert.equal(
          received.filter((m) => m.to === address && m.name === 'reminder').length,
          1,
          `${address}: one reminder`,
        );
      }
      assert.equal(received.filter((m) => m.name === 'request-launched').length, 1, 'the manager is told once');
      const reminders = await db
        .selectFrom('reminders')
        .select(['sent_at'])
        .where('request_id', '=', request.id)
        .execute();
      // Each of the team received exactly one reminder (above); the point itself is one row.
      assert.equal(reminders.length, 1, 'one reminder point, sent once');
      assert.equal(received.filter((m) => m.name === 'reminder').length, TEAM);
      assert.equal(reminders[0]!.sent_at?.toISOString(), new Date(start.getTime() + 50 * MINUTE).toISOString());
    } finally {
      await worker.stop();
      transport.close();
      if (!down) await smtp.close();
    }
  });
});
