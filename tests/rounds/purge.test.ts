// The invitee purge, INVITEE_RETENTION_DAYS after a round closed, on a round that really
// sent its emails: invitations and a reminder, most delivered (and blanked once sent), one
// refused by the mail server (and so still holding its address and link). The purge deletes
// every one of them with the addresses, and leaves a later round's invitations to the same
// people, still to be sent, alone. Old emails are kept far longer than the addresses here
// (OUTBOX_RETENTION_DAYS), so only the purge can have deleted them.
//
// Then the rule of issue 20 (addressesKeptUntil in src/domain/request-life.ts), one case at a
// time on rounds built straight in the database: nothing planned; a reply not yet sent; a
// focus point not yet asked about by a closed check-back; the cap; a check-back's own team.
import { it, before } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useSmtpWorker, useTestApp } from '../helpers/suite.ts';
import {
  closeAnsweredRound,
  createOpenRound,
  createPeople,
  leaderWithRequest,
  uniqueTag,
} from '../helpers/factories.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { createLogger } from '../../src/http/logger.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { endOfDay } from '../../src/lib/dates.ts';
import { createRoundJobs, type RoundJobs } from '../../src/jobs/runner.ts';
import { purgeExpiredInvitees } from '../../src/jobs/purge-invitees.ts';

describeEachDatabase('purging a round’s invitees', (database) => {
  const db = () => database().db;
  const clock = new ManualClock('2026-11-02T09:00:00Z');
  const { app } = useTestApp(database, {
    clock,
    env: { INVITEE_RETENTION_DAYS: '30', INVITEE_RETENTION_MAX_DAYS: '180', OUTBOX_RETENTION_DAYS: '365' },
  });
  const mail = useSmtpWorker(database, { clock });
  let jobs: RoundJobs;

  before(() => {
    jobs = createRoundJobs({ db: db(), clock, config: app().config, logger: createLogger('silent') });
  });

  const surveyEmails = () =>
    db()
      .selectFrom('email_outbox')
      .select(['name', 'status', 'to_address', 'text', 'created_at'])
      .where('name', 'in', ['invitation', 'reminder'])
      .orderBy('created_at')
      .execute();

  it("deletes a round's invitations and reminders, sent or refused, and no later round's", async () => {
    const [smtp, worker] = [mail.smtp(), mail.worker()];
    const round = await leaderWithRequest(app(), db(), { closesAt: endOfDay('2026-11-16') });
    const refused = round.invitees[4]!;
    smtp.refuse(refused);
    assert.equal((await round.leader.submit(`/collect/${round.request.id}/launch`, {})).status, 303);
    await worker.runOnce();
    clock.set('2026-11-09T17:00:00Z'); // past halfway: nobody has answered, all five are reminded
    assert.equal((await jobs.runOnce()).reminders, 1);
    await worker.runOnce();
    clock.set('2026-11-17T00:00:01Z');
    assert.ok((await jobs.runOnce()).closed >= 1);

    // The round really has emails to purge: ten, the refused two still naming their recipient.
    const sent = await surveyEmails();
    assert.deepEqual(sent.map((e) => `${e.name} ${e.status}`).sort(), [
      'invitation failed',
      ...Array(4).fill('invitation sent'),
      'reminder failed',
      ...Array(4).fill('reminder sent'),
    ]);
    const failed = sent.filter((e) => e.status === 'failed');
    assert.ok(failed.every((e) => e.to_address === refused && /\/s\//.test(e.text)));

    // A later round asks the same team; its invitations wait for the worker.
    clock.set('2026-12-10T09:00:00Z');
    const next = await leaderWithRequest(app(), db(), { invitees: round.invitees, closesAt: endOfDay('2026-12-30') });
    assert.equal((await next.leader.submit(`/collect/${next.request.id}/launch`, {})).status, 303);

    clock.set('2026-12-17T00:00:01Z'); // 30 days after the close
    assert.ok((await jobs.runOnce()).purged >= 1);
    const left = await surveyEmails();
    assert.deepEqual(
      left.map((e) => [e.name, e.status, e.to_address]).sort(),
      round.invitees.map((email) => ['invitation', 'pending', email]).sort(),
      "only the later round's invitations are left, still to be sent",
    );
    const { client } = await signedInClient(app(), db(), round.leaderUser);
    const page = await client.get(`/collect/${round.request.id}`);
    for (const email of round.invitees) assert.ok(!page.html.includes(email), `${email} is purged`);
  });

  // ---- How long the loop keeps the addresses ----

  const CLOSED = new Date('2027-01-04T00:00:00Z');
  /** `days` after CLOSED, give or take a few minutes. */
  const after = (days: number, minutes = 0) => new Date(CLOSED.getTime() + days * 86_400_000 + minutes * 60_000);

  /** Runs the jobs at `when`. */
  async function runAt(when: Date) {
    clock.set(when.toISOString());
    return jobs.runOnce();
  }

  const addressesOf = async (requestId: string) =>
    (await db().selectFrom('invitations').select('email').where('request_id', '=', requestId).execute())
      .map((i) => i.email)
      .sort();
  async function assertKept(requestId: string, emails: string[], why: string) {
    assert.deepEqual(await addressesOf(requestId), [...emails].sort(), why);
  }
  async function assertPurged(requestId: string, when: Date, why: string) {
    assert.deepEqual(await addressesOf(requestId), [null, null, null], why);
    const { invitees_purged_at } = await db()
      .selectFrom('feedback_requests')
      .select('invitees_purged_at')
      .where('id', '=', requestId)
      .executeTakeFirstOrThrow();
    assert.equal(invitees_purged_at?.toISOString(), when.toISOString(), `${why}: then, not earlier`);
  }

  /** A round of three, closed at CLOSED (and released a day later if asked), with its focus points. */
  async function closedRound(opts: { released?: boolean; focusPoints?: number } = {}) {
    const { manager, leader } = await createPeople(db());
    const tag = uniqueTag();
    const invitees = ['a', 'b', 'c'].map((name) => `${name}-${tag}@example.com`);
    const round = await createOpenRound(db(), {
      managerId: manager.id,
      leaderEmail: leader.email,
      invitees,
      now: after(-14),
      closesAt: CLOSED,
    });
    await closeAnsweredRound(db(), round.request.id, {
      status: opts.released ? 'released' : 'closed',
      closedAt: CLOSED,
      releasedAt: after(1),
    });
    const focusPoints = [];
    for (let n = 1; n <= (opts.focusPoints ?? 0); n++) {
      focusPoints.push(
        await db()
          .insertInto('focus_points')
          .values({
            request_id: round.request.id,
            text: `Focus point ${n}`,
            follow_up_on: '2027-02-15',
            created_by: leader.id,
            created_at: after(1),
          })
          .returning('id')
          .executeTakeFirstOrThrow(),
      );
    }
    return { id: round.request.id, manager, leader, invitees, focusPoints: focusPoints.map((fp) => fp.id) };
  }

  /**
   * A check-back of `round`, open from `launchedAt` until `closesAt`, asking about the given
   * focus points, to the round's team (or `invitees`, pasted again), with a reminder due at
   * `reminderAt` if given.
   */
  async function checkBack(
    round: Awaited<ReturnType<typeof closedRound>>,
    opts: { focusPoints: string[]; launchedAt: Date; closesAt: Date; invitees?: string[]; reminderAt?: Date },
  ) {
    const open = await createOpenRound(db(), {
      managerId: round.manager.id,
      leaderEmail: round.leader.email,
      invitees: opts.invitees ?? round.invitees,
      questions: opts.focusPoints.map((_, n) => ({
        kind: 'agree',
        prompt: `Progress on point ${n + 1}`,
        required: true,
      })),
      now: opts.launchedAt,
      closesAt: opts.closesAt,
    });
    await db()
      .updateTable('feedback_requests')
      .set({ kind: 'check-back', check_back_of: round.id })
      .where('id', '=', open.request.id)
      .execute();
    for (const [n, question] of open.questions.entries())
      await db()
        .updateTable('request_questions')
        .set({ focus_point_id: opts.focusPoints[n]! })
        .where('id', '=', question.id)
        .execute();
    if (opts.reminderAt)
      await db().insertInto('reminders').values({ request_id: open.request.id, due_at: opts.reminderAt }).execute();
    return { id: open.request.id, invitees: opts.invitees ?? round.invitees };
  }

  const closeCheckBack = (id: string, when: Date) => closeAnsweredRound(db(), id, { status: 'closed', closedAt: when });

  /** A team email of the loop as the outbox holds it: blanked once sent (leavesNoTrail). */
  const teamEmail = (name: string, to: string, status: 'sent' | 'failed' | 'pending', at: Date) => ({
    message_id: `<${uniqueTag()}@test>`,
    to_address: status === 'sent' ? '' : to,
    name,
    subject: status === 'sent' ? '' : 'To the team',
    html: '',
    text: '',
    status,
    next_attempt_at: at,
    locked_until: null,
    last_error: null,
    created_at: at,
    sent_at: status === 'sent' ? at : null,
  });
  const reply = (to: string, status: 'sent' | 'failed' | 'pending', at: Date) =>
    teamEmail('reply-to-team', to, status, at);
  /** The team emails of these names created between `from` and `to`. */
  const teamEmailsBetween = (names: string[], from: Date, to: Date) =>
    db()
      .selectFrom('email_outbox')
      .select(['name', 'status', 'to_address'])
      .where('name', 'in', names)
      .where('created_at', '>=', from)
      .where('created_at', '<=', to)
      .execute();

  it('(1) with nothing planned, deletes the addresses INVITEE_RETENTION_DAYS after the close, not a run before', async () => {
    const round = await closedRound();
    await runAt(after(30, -1));
    await assertKept(round.id, round.invitees, 'kept until 30 days after the close');
    // Two runners at once (on PostgreSQL, two connections): each round is purged by one of them.
    clock.set(after(30).toISOString());
    const options = { now: after(30), retentionDays: 30, retentionMaxDays: 180 };
    const runs = await Promise.all([purgeExpiredInvitees(db(), options), purgeExpiredInvitees(db(), options)]);
    await assertPurged(round.id, after(30), 'deleted 30 days after the close');
    const purgedThen = await db()
      .selectFrom('feedback_requests')
      .select('id')
      .where('invitees_purged_at', '=', after(30))
      .execute();
    assert.equal(runs[0] + runs[1], purgedThen.length, 'each round purged once');
  });

  it('(2) keeps them while the released report awaits the reply to the team, and deletes them at the run after it is sent', async () => {
    const round = await closedRound({ released: true });
    await runAt(after(30));
    await db()
      .insertInto('team_replies')
      .values({ request_id: round.id, heard: 'Draft', sent_at: null, created_at: after(31), updated_at: after(31) })
      .execute();
    await runAt(after(45));
    await assertKept(round.id, round.invitees, 'a draft reply is not sent: kept past 30 days');

    // The reply goes: one email per invitee, one of them refused by the mail server.
    await db()
      .updateTable('team_replies')
      .set({ sent_at: after(45, 10) })
      .where('request_id', '=', round.id)
      .execute();
    await db()
      .insertInto('email_outbox')
      .values([
        reply(round.invitees[0]!, 'sent', after(45, 10)),
        reply(round.invitees[1]!, 'sent', after(45, 10)),
        reply(round.invitees[2]!, 'failed', after(45, 10)),
      ])
      .execute();
    // A later reply of another round to the same person, still to be sent, stays.
    await db()
      .insertInto('email_outbox')
      .values(reply(round.invitees[2]!, 'pending', after(45, 20)))
      .execute();
    await runAt(after(45, 30));
    await assertPurged(round.id, after(45, 30), 'deleted at the first run after the reply was sent');
    const left = await db()
      .selectFrom('email_outbox')
      .select(['status', 'to_address'])
      .where('name', '=', 'reply-to-team')
      .where('created_at', '>=', after(45))
      .where('created_at', '<=', after(45, 30))
      .execute();
    assert.deepEqual(
      left,
      [{ status: 'pending', to_address: round.invitees[2] }],
      "the reply's emails go with the addresses",
    );
  });

  it('(3) keeps them until every focus point was asked about by a closed check-back; a check-back keeps its own INVITEE_RETENTION_DAYS after its close', async () => {
    const round = await closedRound({ released: true, focusPoints: 2 });
    await db()
      .insertInto('team_replies')
      .values({ request_id: round.id, sent_at: after(2), created_at: after(2), updated_at: after(2) })
      .execute();
    const [first, second] = round.focusPoints as [string, string];
    const one = await checkBack(round, { focusPoints: [first], launchedAt: after(35), closesAt: after(42) });
    await runAt(after(40));
    await assertKept(round.id, round.invitees, 'two focus points to check back on: kept past 30 days');
    await assertKept(one.id, round.invitees, 'the open check-back keeps its team');

    await db()
      .insertInto('email_outbox')
      .values([
        teamEmail('check-back-invitation', round.invitees[0]!, 'sent', after(35)),
        teamEmail('check-back-invitation', round.invitees[1]!, 'failed', after(35)),
      ])
      .execute();
    await closeCheckBack(one.id, after(42));
    await runAt(after(42, 1));
    await assertKept(round.id, round.invitees, 'the second focus point has not been asked about yet');
    await runAt(after(72, -1));
    await assertKept(one.id, round.invitees, "the check-back's own addresses: kept until 30 days after its close");
    await runAt(after(72));
    await assertPurged(one.id, after(72), "the check-back's own addresses: deleted 30 days after its close");
    assert.deepEqual(
      await teamEmailsBetween(['check-back-invitation'], after(35), after(35)),
      [],
      "the check-back's invitations go with its addresses",
    );
    await assertKept(round.id, round.invitees, "the round's stay: the second focus point is still to come");

    const two = await checkBack(round, { focusPoints: [second], launchedAt: after(80), closesAt: after(87) });
    await runAt(after(85));
    await assertKept(round.id, round.invitees, 'asked about by a check-back still open: kept');
    await closeCheckBack(two.id, after(87));
    await runAt(after(87, 1));
    await assertPurged(round.id, after(87, 1), 'every focus point asked about by a closed check-back: deleted');
    await assertPurged(two.id, after(87, 1), "a check-back's team goes with its round's, before its own 30 days");
  });

  it('(4) deletes them INVITEE_RETENTION_MAX_DAYS after the close whatever is planned, an open check-back’s too, whose reminder then goes to nobody', async () => {
    const round = await closedRound({ released: true, focusPoints: 1 });
    const open = await checkBack(round, {
      focusPoints: round.focusPoints,
      launchedAt: after(175),
      closesAt: after(185),
      reminderAt: after(181),
    });
    await db()
      .insertInto('email_outbox')
      .values(teamEmail('check-back-reminder', round.invitees[0]!, 'failed', after(178)))
      .execute();
    await runAt(after(180, -1));
    await assertKept(round.id, round.invitees, 'reply not sent and a focus point open: kept until the cap');
    await assertKept(open.id, round.invitees, "the open check-back's team is kept with the round's");
    await runAt(after(180));
    await assertPurged(round.id, after(180), 'deleted 180 days after the close in any case');
    await assertPurged(open.id, after(180), "the open check-back's addresses go too");
    assert.deepEqual(
      await teamEmailsBetween(['check-back-reminder'], after(178), after(178)),
      [],
      'its refused reminder, still naming its recipient, goes too',
    );

    const run = await runAt(after(181));
    assert.equal(run.reminders, 1, 'the reminder point is spent');
    const queued = await db()
      .selectFrom('email_outbox')
      .select('to_address')
      .where('created_at', '>=', after(180))
      .where('to_address', 'in', round.invitees)
      .execute();
    assert.deepEqual(queued, [], 'and reminds nobody');

    // Once they are gone, the manager pastes the team again for a check-back: that team is
    // its own, kept until 30 days after it closes.
    const pasted = await checkBack(round, {
      focusPoints: round.focusPoints,
      launchedAt: after(190),
      closesAt: after(197),
      invitees: round.invitees,
    });
    await runAt(after(190, 1));
    await assertKept(pasted.id, round.invitees, 'a pasted team is not deleted with the round’s, long gone');
    await closeCheckBack(pasted.id, after(197));
    await runAt(after(227));
    await assertPurged(pasted.id, after(227), 'deleted 30 days after that check-back closes');
  });
});
