// Two workers, each with its own connection pool as two app processes would have, share one
// PostgreSQL outbox: every message goes out exactly once. (PGlite has one connection and
// belongs to one process, so this can only happen on PostgreSQL.)
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { connectPostgres } from '../../src/db/connect.ts';
import { createLogger } from '../../src/http/logger.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { queueEmail } from '../../src/email/outbox.ts';
import { emailDefinitions, type EmailMessage } from '../../src/email/definitions.ts';
import { createEmailWorker } from '../../src/email/worker.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { testConfig } from '../helpers/app.ts';
import { startSmtpServer } from '../helpers/smtp.ts';

const COUNT = 200;

/** A calendar invitation as the one-on-one sends it (its METHOD inside), shortened. */
const calendar = (method: string) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Upward//Test//EN', `METHOD:${method}`, 'END:VCALENDAR', ''].join(
    '\r\n',
  );

/**
 * One of each email the one-on-one and the next round added (issue 19), two with a calendar,
 * and of each the loop with the team added (issue 20).
 */
const LOOP_EMAILS: Array<EmailMessage & { calendar?: string }> = [
  {
    to: 'mia@example.com',
    name: 'self-assessment-invitation',
    data: { managerName: 'Mia', leaderName: 'Lee', closesOn: '16 November 2026', link: '/requests/x/self-assessment' },
  },
  {
    to: 'mia@example.com',
    name: 'one-on-one-invitation',
    data: {
      recipientName: 'Mia',
      otherName: 'Lee',
      managerName: 'Mia',
      moved: false,
      when: 'Wednesday, 18 November 2026, 10:00–10:30',
      minutes: 30,
      zone: 'Europe/Berlin',
      place: 'Room 4',
      link: '/reports/x',
    },
    calendar: calendar('REQUEST'),
  },
  {
    to: 'lee@example.com',
    name: 'one-on-one-cancelled',
    data: { recipientName: 'Lee', otherName: 'Mia', managerName: 'Mia', when: '18 November 2026', link: '/reports/x' },
    calendar: calendar('CANCEL'),
  },
  {
    to: 'lee@example.com',
    name: 'how-is-it-going',
    data: {
      recipientName: 'Lee',
      otherName: 'Mia',
      managerName: 'Mia',
      points: ['Weekly check-ins'],
      link: '/reports/x',
    },
  },
  {
    to: 'mia@example.com',
    name: 'next-round-due',
    data: {
      managerName: 'Mia',
      leaderName: 'Lee',
      closedOn: '16 November 2026',
      nextRoundOn: '20 May 2027',
      link: '/reports/x/next-round',
    },
  },
  {
    to: 'ann@example.com',
    name: 'reply-to-team',
    data: {
      managerName: 'Mia',
      leaderName: 'Lee',
      threshold: 3,
      heard: 'You said I listen well.',
      willDo: 'I will agree goals with each of you.',
      figures: [{ prompt: 'My manager listens to me.', mean: '4.5', favourable: 100 }],
    },
  },
  {
    to: 'bo@example.com',
    name: 'check-back-invitation',
    data: {
      managerName: 'Mia',
      leaderName: 'Lee',
      points: ['Set clear goals'],
      closesOn: '23 December 2026',
      link: '/s/x',
      threshold: 3,
      addressesKept: 'Your email address is deleted 30 days after this check-back closes.',
    },
  },
  {
    to: 'cy@example.com',
    name: 'check-back-reminder',
    data: { managerName: 'Mia', leaderName: 'Lee', closesOn: '23 December 2026', link: '/s/y', threshold: 3 },
  },
];

describeEachDatabase(
  'two email workers on one outbox',
  (database) => {
    it(`send each of ${COUNT} queued messages exactly once, and each email of the one-on-one and of the loop with the team with its parts`, async () => {
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
      for (const email of LOOP_EMAILS) await queueEmail(db, email, { config, clock });
      const total = COUNT + LOOP_EMAILS.length;

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
        await smtp.waitFor(total, 60_000);
        await Promise.all(workers.map((worker) => worker.stop()));

        const perMessageId = new Map<string, number>();
        for (const mail of smtp.messages) perMessageId.set(mail.messageId, (perMessageId.get(mail.messageId) ?? 0) + 1);
        assert.equal(smtp.messages.length, total);
        assert.equal(perMessageId.size, total);
        assert.ok([...perMessageId.values()].every((n) => n === 1));

        // Each new email arrived once with both parts; the two with a calendar carry it, METHOD and all.
        for (const sent of LOOP_EMAILS) {
          const subject = (emailDefinitions[sent.name].subject as (data: unknown) => string)(sent.data);
          const [mail, ...again] = smtp.messages.filter((m) => m.to === sent.to && m.subject === subject);
          assert.ok(mail && again.length === 0, `${sent.name}: delivered once`);
          assert.ok(mail.text.trim() && mail.html.trim(), `${sent.name}: an HTML and a text part`);
          const part = mail.parsed.attachments.find((a) => a.contentType.startsWith('text/calendar'));
          if (!sent.calendar) assert.equal(part, undefined, `${sent.name}: no calendar`);
          else assert.match(part!.content.toString(), new RegExp(`METHOD:${/METHOD:(\w+)/.exec(sent.calendar)![1]}`));
        }

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
