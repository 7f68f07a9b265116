// Closing a round on time (the job) or early (the leader, after a confirmation page):
// status closed, unspent ballots gone, the leader told "N of M answered"; extending once;
// invitee addresses purged INVITEE_RETENTION_DAYS after the close.
import { it, before } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { textOf } from '../helpers/client.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { addResponse, createOpenRound, createUser } from '../helpers/factories.ts';
import { createLogger } from '../../src/http/logger.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { endOfDay } from '../../src/lib/dates.ts';
import { hashLinkToken } from '../../src/rounds/link-tokens.ts';
import { createRoundJobs, type RoundJobs } from '../../src/jobs/runner.ts';
import { outbox } from './helpers.ts';

describeEachDatabase('closing a round', (database) => {
  const clock = new ManualClock('2026-11-02T09:00:00Z');
  let jobs: RoundJobs;
  const db = () => database().db;
  const { app } = useTestApp(database, { clock, env: { INVITEE_RETENTION_DAYS: '30' } });

  before(async () => {
    jobs = createRoundJobs({ db: db(), clock, config: app().config, logger: createLogger('silent') });
  });

  /** An open round for a signed-in leader, of which `answers` people already answered. */
  async function openRound(answers: number, closesOn = '2026-11-16') {
    clock.set('2026-11-02T09:00:00Z');
    const manager = await createUser(db(), { name: 'Mona Manager' });
    const leader = await createUser(db(), { name: 'Leo Leader' });
    const round = await createOpenRound(db(), {
      managerId: manager.id,
      leaderEmail: leader.email,
      closesAt: endOfDay(closesOn),
      now: clock.now(),
    });
    for (const token of round.tokens.slice(0, answers)) {
      // What the survey does when a link is spent: the link is marked spent, a sealed row comes.
      await db().updateTable('survey_links').set({ spent: true }).where('key', '=', hashLinkToken(token)).execute();
      await addResponse(
        db(),
        round.request.id,
        round.questions.map((q) => q.id),
        [4, 'na', 1, 'A comment'],
      );
    }
    return { ...round, leader };
  }

  const lastVacuum = async () =>
    (
      await sql<{
        last_vacuum: Date | null;
      }>`select last_vacuum from pg_stat_user_tables where relname = 'survey_links'`.execute(db())
    ).rows[0]?.last_vacuum ?? null;
  const statusOf = async (id: string) =>
    db().selectFrom('feedback_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const ballotsOf = async (id: string) =>
    db().selectFrom('survey_links').select('key').where('request_id', '=', id).execute();

  it('closes on time: the job closes it once, deletes unused ballots and tells the leader', async () => {
    const round = await openRound(2);
    clock.set('2026-11-16T23:59:59.000Z');
    await jobs.runOnce();
    assert.equal((await statusOf(round.request.id)).status, 'open', 'still open on its last day');
    clock.set('2026-11-17T00:00:00Z');
    assert.ok((await jobs.runOnce()).closed >= 1);
    const row = await statusOf(round.request.id);
    assert.equal(row.status, 'closed');
    assert.equal(row.closed_at?.toISOString(), '2026-11-17T00:00:00.000Z');
    assert.deepEqual(await ballotsOf(round.request.id), []);
    const [mail, ...more] = await outbox(db(), { to: round.leader.email, name: 'round-closed' });
    assert.equal(more.length, 0);
    assert.equal(mail!.subject, 'The feedback round for Mona Manager has closed');
    assert.match(mail!.text, /2 of 5 invited people answered/);
    assert.ok(mail!.text.includes(`${app().url}/reports/${round.request.id}`), 'the email opens the report');
    assert.equal((await jobs.runOnce()).closed, 0, 'closed once');
    assert.equal((await outbox(db(), { to: round.leader.email })).length, 1);
  });

  it('closes early by the leader, after a confirmation page', async () => {
    const round = await openRound(3);
    const { client } = await signedInClient(app(), db(), round.leader);
    const page = await client.get(`/collect/${round.request.id}`);
    assert.match(textOf(page.html), /3 of 5 answered/);
    assert.match(page.html, /<meter[^>]+max="5" value="3"/);
    const confirm = await client.get(`/collect/${round.request.id}/close`);
    assert.equal(confirm.status, 200);
    assert.match(textOf(confirm.html), /Close this round now\?/);
    assert.equal((await statusOf(round.request.id)).status, 'open', 'the page alone changes nothing');
    const vacuumedBefore = await lastVacuum();
    const closed = await client.submit(`/collect/${round.request.id}/close`, {});
    assert.equal(closed.status, 303);
    const after = textOf((await client.follow(closed)).html);
    assert.match(after, /The round is closed/);
    assert.match(after, /3 of 5 answered/);
    assert.doesNotMatch(after, /Close now/);
    assert.equal((await statusOf(round.request.id)).status, 'closed');
    assert.deepEqual(await ballotsOf(round.request.id), []);
    const vacuumed = await lastVacuum();
    assert.ok(
      vacuumed && (!vacuumedBefore || vacuumed > vacuumedBefore),
      'the links were vacuumed after the close, so no dead row of a spent link remains',
    );
    const mails = await outbox(db(), { to: round.leader.email, name: 'round-closed' });
    assert.equal(mails.length, 1);
    assert.match(mails[0]!.text, /3 of 5 invited people answered/);
    const again = await client.submit(`/collect/${round.request.id}`, {}, `/collect/${round.request.id}/close`);
    assert.equal(
      again.location,
      `/collect/${round.request.id}`,
      'closing again changes nothing and goes back to the page',
    );
    assert.equal((await outbox(db(), { to: round.leader.email, name: 'round-closed' })).length, 1);
  });

  it('extends the closing date once, moving unsent reminders with it', async () => {
    const round = await openRound(0);
    await db()
      .insertInto('reminders')
      .values([
        {
          request_id: round.request.id,
          due_at: new Date('2026-11-09T16:00:00Z'),
          sent_at: new Date('2026-11-09T16:00:00Z'),
        },
        { request_id: round.request.id, due_at: new Date('2026-11-15T23:59:59.999Z') },
      ])
      .execute();
    clock.set('2026-11-10T09:00:00Z');
    const { client } = await signedInClient(app(), db(), round.leader);
    const path = `/collect/${round.request.id}`;
    for (const [closesOn, message] of [
      ['2026-11-12', /after the current closing date, 16 November 2026/],
      ['2027-01-10', /no more than 60 days from today/],
      ['soon', /Enter a real date/],
    ] as const) {
      const refused = await client.submit(path, { closes_on: closesOn }, `${path}/extend`);
      assert.equal(refused.status, 422);
      assert.match(textOf(refused.html), message);
      assert.match(refused.html, new RegExp(`value="${closesOn}"`));
    }
    const extended = await client.submit(path, { closes_on: '2026-11-23' }, `${path}/extend`);
    assert.equal(extended.status, 303);
    const page = textOf((await client.follow(extended)).html);
    assert.match(page, /Open until 23 November 2026, 23:59 UTC \(extended\)/);
    assert.match(page, /cannot be extended again/);
    const row = await statusOf(round.request.id);
    assert.equal(row.closes_at.toISOString(), '2026-11-23T23:59:59.999Z');
    assert.equal(row.extended, true);
    const reminders = await db()
      .selectFrom('reminders')
      .select(['due_at', 'sent_at'])
      .where('request_id', '=', round.request.id)
      .orderBy('due_at')
      .execute();
    assert.deepEqual(
      reminders.map((r) => r.due_at.toISOString()),
      ['2026-11-09T16:00:00.000Z', '2026-11-22T23:59:59.999Z'],
    );

    const again = await client.submit(path, { closes_on: '2026-11-30' }, `${path}/extend`);
    assert.equal(again.status, 409, 'only once');
    assert.equal((await statusOf(round.request.id)).closes_at.toISOString(), '2026-11-23T23:59:59.999Z');
  });

  it('purges the invitee addresses INVITEE_RETENTION_DAYS after the close', async () => {
    const round = await openRound(1);
    const emails = round.invitations.map((i) => i.email!);
    clock.set('2026-11-17T00:00:00Z');
    await jobs.runOnce();
    clock.set('2026-12-16T23:00:00Z');
    await jobs.runOnce();
    const kept = await db()
      .selectFrom('invitations')
      .select('email')
      .where('request_id', '=', round.request.id)
      .execute();
    assert.deepEqual(kept.map((i) => i.email).sort(), [...emails].sort(), 'kept for 30 days');
    clock.set('2026-12-17T00:00:00Z');
    assert.ok((await jobs.runOnce()).purged >= 1);
    const purged = await db()
      .selectFrom('invitations')
      .select('email')
      .where('request_id', '=', round.request.id)
      .execute();
    assert.deepEqual(
      purged.map((i) => i.email),
      [null, null, null, null, null],
    );
    assert.equal((await statusOf(round.request.id)).invitees_purged_at?.toISOString(), '2026-12-17T00:00:00.000Z');
    assert.equal((await jobs.runOnce()).purged, 0);
    const { client } = await signedInClient(app(), db(), round.leader);
    const page = textOf((await client.get(`/collect/${round.request.id}`)).html);
    assert.match(page, /addresses were deleted after the round/);
    for (const email of emails) assert.ok(!page.includes(email));
  });
});
