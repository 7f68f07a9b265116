// Reminders: at each due point the job emails every invitee whose link is unused (their
// ballot remains), with the same link as the invitation, through a real SMTP server; never
// twice, never after the round closed, and once only with two job runners at once.
import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';
import { connectPostgres } from '../../src/db/connect.ts';
import { createEmailWorker, type EmailWorker } from '../../src/email/worker.ts';
import { createLogger } from '../../src/http/logger.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { endOfDay } from '../../src/lib/dates.ts';
import { hashLinkToken } from '../../src/rounds/link-tokens.ts';
import { createRoundJobs, type RoundJobs } from '../../src/jobs/runner.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { leaderWithRequest } from '../helpers/factories.ts';
import { outbox, surveyPathsIn } from './helpers.ts';

const HALFWAY = '2026-11-09T16:29:59.999Z';

async function launch(app: TestApp, db: Parameters<typeof leaderWithRequest>[1]) {
  const round = await leaderWithRequest(app, db, { closesAt: endOfDay('2026-11-16') });
  const launched = await round.leader.submit(`/collect/${round.request.id}/launch`, {});
  assert.equal(launched.location, `/collect/${round.request.id}?done=launched`);
  return round;
}

describeEachDatabase('reminders', (database) => {
  let smtp: TestSmtpServer;
  let worker: EmailWorker;
  let jobs: RoundJobs;
  const db = () => database().db;
  const clock = new ManualClock('2026-11-02T09:00:00Z');
  const { app } = useTestApp(database, { clock });

  before(async () => {
    smtp = await startSmtpServer();
    worker = createEmailWorker({
      db: db(),
      transport: smtp.transport(),
      clock,
      logger: createLogger('silent'),
      options: { from: app().config.MAIL_FROM, batchSize: 50 },
    });
    jobs = createRoundJobs({ db: db(), clock, config: app().config, logger: createLogger('silent') });
  });
  after(() => smtp.close());

  it('reach only unused links, with the invitation link, once per point and never after close', async () => {
    const { request, invitees, leaderUser } = await launch(app(), db());
    await worker.runOnce();
    const invitationLinks = new Map<string, string>();
    for (const email of invitees) {
      const mail = await smtp.waitFor((m) => m.to === email && m.subject.includes('asks for your anonymous feedback'));
      invitationLinks.set(email, surveyPathsIn(mail.text)[0]!);
    }
    // Two people answer: their links are spent.
    const answered = invitees.slice(0, 2);
    for (const email of answered) {
      await db()
        .updateTable('survey_links')
        .set({ spent: true })
        .where('key', '=', hashLinkToken(invitationLinks.get(email)!.slice(3)))
        .execute();
    }

    clock.set('2026-11-09T16:00:00Z');
    assert.equal((await jobs.runOnce()).reminders, 0, 'nothing before halfway');
    clock.set(HALFWAY);
    assert.equal((await jobs.runOnce()).reminders, 1);
    const queued = (await outbox(db(), { name: 'reminder' })).filter((m) => invitees.includes(m.to_address));
    assert.deepEqual(queued.map((m) => m.to_address).sort(), invitees.slice(2).sort());

    await worker.runOnce();
    for (const email of invitees.slice(2)) {
      const mail = await smtp.waitFor((m) => m.to === email && m.subject.startsWith('Reminder:'));
      assert.equal(
        mail.subject,
        `Reminder: your feedback for ${(await db().selectFrom('users').select('display_name').where('id', '=', request.manager_id).executeTakeFirstOrThrow()).display_name} is open until 16 November 2026, 23:59 UTC`,
      );
      assert.deepEqual(surveyPathsIn(mail.text), [invitationLinks.get(email)], 'the same link as the invitation');
      assert.ok(mail.html.includes(`${app().url}${invitationLinks.get(email)}`));
      assert.match(mail.text, /nobody is told who has answered/);
    }
    assert.equal(smtp.messages.filter((m) => answered.includes(m.to) && m.subject.startsWith('Reminder:')).length, 0);
    const rows = await db()
      .selectFrom('reminders')
      .selectAll()
      .where('request_id', '=', request.id)
      .orderBy('due_at')
      .execute();
    assert.equal(rows[0]!.sent_at?.toISOString(), HALFWAY);
    assert.equal(rows[1]!.sent_at, null);
    // The point records that it was sent, and nothing of to whom or to how many.
    assert.deepEqual(Object.keys(rows[0]!).sort(), ['due_at', 'id', 'request_id', 'sent_at']);

    // Sent reminders keep no address (tests/email/survey-emails-no-trail.test.ts), so what
    // counts is that no reminder row is added and no further reminder reaches the server.
    const remindersDelivered = () => smtp.messages.filter((m) => m.subject.startsWith('Reminder:')).length;
    assert.equal((await jobs.runOnce()).reminders, 0, 'a second run sends nothing more');
    await worker.runOnce();
    assert.equal((await outbox(db(), { name: 'reminder' })).length, 3);
    assert.equal(remindersDelivered(), 3);

    // A week on, the leader signs in again and closes the round early.
    const { client: leader } = await signedInClient(app(), db(), leaderUser);
    assert.equal((await leader.submit(`/collect/${request.id}/close`, {})).status, 303);
    clock.set('2026-11-16T00:00:00Z');
    assert.equal((await jobs.runOnce()).reminders, 0, 'none after close');
    await worker.runOnce();
    assert.equal((await outbox(db(), { name: 'reminder' })).length, 3);
    assert.equal(remindersDelivered(), 3);
  });

  it('skip reminder points already past at launch and send nothing once the closing time passed', async () => {
    clock.set('2026-11-16T01:00:00Z');
    const { request, invitees } = await leaderWithRequest(app(), db(), { closesAt: endOfDay('2026-11-16') }).then(
      async (round) => {
        await round.leader.submit(`/collect/${round.request.id}/launch`, {});
        return round;
      },
    );
    const due = await db().selectFrom('reminders').select('due_at').where('request_id', '=', request.id).execute();
    assert.deepEqual(
      due.map((r) => r.due_at.toISOString()),
      ['2026-11-16T12:29:59.999Z'],
      'halfway only: one day before had passed',
    );
    clock.set('2026-11-17T00:00:00Z');
    const run = await jobs.runOnce();
    assert.equal(run.reminders, 0);
    assert.ok(run.closed >= 1);
    assert.equal((await outbox(db(), { name: 'reminder' })).filter((m) => invitees.includes(m.to_address)).length, 0);
  });

  it("reach an open round while another round's earlier point waits in vain after its early close", async () => {
    // The closed round's point falls due first, so a claim that did not skip closed rounds
    // would take it each time, find the round closed and stop: no round's reminder would go.
    clock.set('2026-11-02T09:00:00Z');
    const closed = await launch(app(), db());
    clock.set('2026-11-03T09:00:00Z');
    const open = await launch(app(), db());
    await worker.runOnce();
    clock.set('2026-11-05T09:00:00Z');
    const { client: leader } = await signedInClient(app(), db(), closed.leaderUser);
    assert.equal((await leader.submit(`/collect/${closed.request.id}/close`, {})).status, 303);

    // Past both halfway points: 11-09 16:30, and 11-10 04:30, which is at night on the round's
    // clock (UTC) and so waits for 09:00.
    clock.set('2026-11-10T09:00:00Z');
    assert.equal((await jobs.runOnce()).reminders, 1, "the open round's point, and only it");
    await worker.runOnce();
    for (const email of open.invitees) await smtp.waitFor((m) => m.to === email && m.subject.startsWith('Reminder:'));
    const remindedClosed = smtp.messages.filter(
      (m) => closed.invitees.includes(m.to) && m.subject.startsWith('Reminder:'),
    );
    assert.deepEqual(remindedClosed, [], 'nobody of the closed round is reminded');
    const sent = async (id: string) =>
      (
        await db().selectFrom('reminders').select('sent_at').where('request_id', '=', id).orderBy('due_at').execute()
      ).map((r) => r.sent_at?.toISOString() ?? null);
    assert.deepEqual(await sent(open.request.id), ['2026-11-10T09:00:00.000Z', null]);
    assert.deepEqual(await sent(closed.request.id), [null, null]);
    assert.equal((await jobs.runOnce()).reminders, 0, 'and nothing more on the next run');
  });
});

describeEachDatabase(
  'reminders with two job runners at once',
  (database) => {
    it('go out once per invitee', async () => {
      const clock = new ManualClock('2026-11-02T09:00:00Z');
      const app = await startTestApp({ db: database().db, clock });
      const other = connectPostgres(database().url!, 5);
      try {
        const rounds = [];
        for (let i = 0; i < 4; i++) rounds.push(await launch(app, database().db));
        clock.set(HALFWAY);
        const runners = [database().db, other.db].map((db) =>
          createRoundJobs({ db, clock, config: app.config, logger: createLogger('silent') }),
        );
        const results = await Promise.all([...runners, ...runners].map((jobs) => jobs.runOnce()));
        assert.equal(
          results.reduce((sum, run) => sum + run.reminders, 0),
          4,
          'each round reminded once in all',
        );
        const reminders = await outbox(database().db, { name: 'reminder' });
        assert.equal(reminders.length, 20);
        assert.equal(new Set(reminders.map((m) => m.to_address)).size, 20);
        assert.equal((await runners[1]!.runOnce()).reminders, 0);
      } finally {
        await other.close();
        await app.close();
      }
    });
  },
  { kinds: ['postgres'] },
);
