// Two workers, each with its own connection pool as two app processes would have, share one
// PostgreSQL outbox: every message goes out exactly once. (PGlite has one connection and
// belongs to one process, so this can only happen on PostgreSQL.)
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { connectPostgres } from '../../src/db/connect.ts';
import { createLogger } from '../../src/http/logger.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { queueEmail } from '../../src/email/outbox.ts';
import { createEmailWorker } from '../../src/email/worker.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { testConfig } from '../helpers/app.ts';
import { startSmtpServer } from '../helpers/smtp.ts';

const COUNT = 200;

describeEachDatabase(
  'two email workers on one outbox',
  (database) => {
    it(`send each of ${COUNT} queued messages exactly once`, async () => {
      const config = testConfig({ BASE_URL: 'https://upward.example.com' });
      const clock = new ManualClock();
      const { db } = database();
      for (let i = 0; i < COUNT; i++) {
        await queueEmail(
          db,
          { to: `member${i}@example.com`, name: 'sign-in-link', data: { link: `/sign-in/link/${i}`, minutes: 15 } },
          { config, clock },
        );
      }

      const smtp = await startSmtpServer();
      const other = connectPostgres(database().url!, 5);
      const workers = [db, other.db].map((workerDb) =>
        createEmailWorker({
          db: workerDb,
          transport: smtp.transport({ pool: true }),
          clock,
          logger: createLogger('silent'),
          options: { from: config.MAIL_FROM, batchSize: 7, pollIntervalMs: 5 },
        }),
      );
      try {
        for (const worker of workers) worker.start();
        await smtp.waitFor(COUNT, 60_000);
        await Promise.all(workers.map((worker) => worker.stop()));

        const perMessageId = new Map<string, number>();
        for (const mail of smtp.messages) perMessageId.set(mail.messageId, (perMessageId.get(mail.messageId) ?? 0) + 1);
        assert.equal(smtp.messages.length, COUNT);
        assert.equal(perMessageId.size, COUNT);
        assert.ok([...perMessageId.values()].every((n) => n === 1));

        const rows = await db.selectFrom('email_outbox').select(['status', 'attempts']).execute();
        assert.ok(rows.every((r) => r.status === 'sent' && r.attempts === 1));
      } finally {
        await Promise.all(workers.map((worker) => worker.stop()));
        await smtp.close();
        await other.close();
      }
    });
  },
  { kinds: ['postgres'] },
);
