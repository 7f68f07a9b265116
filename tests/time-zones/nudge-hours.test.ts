// Sending hours (issue 21) for the emails the jobs write to the leader and the manager: each
// waits for 09:00 on its own reader's clock, not the round's, and one that comes due at night
// there waits in the outbox for the morning. Which focus points a check-back asks about, and
// the closing day the team's thank-you page names, are days on the leader's clock. On both
// databases and the injected clock.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { TestClient, csrfOf, textOf } from '../helpers/client.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { createFocusPoint, surveyRound } from '../helpers/factories.ts';
import { fullAnswers } from '../survey/survey-helpers.ts';
import { endOfDayIn } from '../../src/lib/dates.ts';
import { releasedRoundWithPoints } from '../helpers/check-backs.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { sendDueFollowUpNudges } from '../../src/jobs/follow-up-nudges.ts';
import { sendDueNextRoundEmails } from '../../src/jobs/next-round-emails.ts';
import { sendDueCheckIns } from '../../src/jobs/one-on-one-check-ins.ts';

describeEachDatabase('nudges at 09:00 on each reader’s clock', (database) => {
  const db = () => database().db;
  const clock = new ManualClock('2026-12-15T07:00:00Z');
  const { app, people } = useTestApp(database, { clock, people: true });
  const deps = () => ({ clock, config: app().config });

  /** The leader in Berlin, the manager in Los Angeles: 09:00 is 08:00Z for one, 17:00Z for the other. */
  async function roundAcrossZones() {
    await db().deleteFrom('email_outbox').execute();
    await db().updateTable('focus_points').set({ nudged_at: clock.now() }).execute();
    for (const [who, zone] of [
      ['leader', 'Europe/Berlin'],
      ['manager', 'America/Los_Angeles'],
    ] as const)
      await db().updateTable('users').set({ time_zone: zone }).where('id', '=', people()[who].id).execute();
    return releasedRoundWithPoints(app(), db(), {
      managerId: people().manager.id,
      leaderEmail: people().leader.email,
    });
  }
  /** When each queued email of `name` goes out: its outbox row's next attempt, by recipient. */
  async function sendingTimes(name: string) {
    const rows = await db()
      .selectFrom('email_outbox')
      .select(['to_address', 'next_attempt_at'])
      .where('name', '=', name)
      .execute();
    return Object.fromEntries(rows.map((row) => [row.to_address, row.next_attempt_at.toISOString()]));
  }

  it('holds the follow-up nudge for each reader until 09:00 on their own clock', async () => {
    clock.set('2026-12-15T07:00:00Z');
    await roundAcrossZones();
    clock.set('2026-12-15T07:59:00Z');
    assert.equal(await sendDueFollowUpNudges(db(), deps()), 0, '08:59 in Berlin, 23:59 in Los Angeles');
    clock.set('2026-12-15T08:00:00Z');
    assert.equal(await sendDueFollowUpNudges(db(), deps()), 2, '09:00 in Berlin: both are queued, once');
    assert.equal(await sendDueFollowUpNudges(db(), deps()), 0);
    assert.deepEqual(await sendingTimes('follow-up-nudge'), {
      [people().leader.email]: '2026-12-15T08:00:00.000Z',
      // Midnight in Los Angeles: the manager's waits for 09:00 there.
      [people().manager.email]: '2026-12-15T17:00:00.000Z',
    });
  });

  it('holds “How’s that going?” until waking hours on each reader’s clock', async () => {
    clock.set('2026-12-15T05:00:00Z');
    const round = await roundAcrossZones();
    await db()
      .insertInto('one_on_ones')
      .values({
        request_id: round.roundId,
        starts_at: new Date('2026-12-13T05:00:00Z'),
        time_zone: 'Europe/Berlin',
        minutes: 45,
        // 06:00 in Berlin and 21:00 the evening before in Los Angeles: both asleep, or nearly.
        check_in_due_at: new Date('2026-12-15T05:00:00Z'),
        checked_in_at: null,
        cancelled_at: null,
        created_at: clock.now(),
        updated_at: clock.now(),
      })
      .execute();
    assert.equal(await sendDueCheckIns(db(), deps()), 2);
    assert.deepEqual(await sendingTimes('how-is-it-going'), {
      [people().leader.email]: '2026-12-15T08:00:00.000Z',
      [people().manager.email]: '2026-12-15T17:00:00.000Z',
    });
  });

  it('holds the next round’s email found late at night on the manager’s clock until the morning', async () => {
    clock.set('2026-12-15T07:00:00Z');
    const round = await roundAcrossZones();
    await db()
      .updateTable('feedback_requests')
      .set({ next_round_on: '2026-12-15' })
      .where('id', '=', round.roundId)
      .execute();
    // 23:30 on the 15th in Los Angeles: the day's 09:00 has passed, the night has begun.
    clock.set('2026-12-16T07:30:00Z');
    assert.equal(await sendDueNextRoundEmails(db(), deps()), 1);
    assert.deepEqual(await sendingTimes('next-round-due'), {
      [people().manager.email]: '2026-12-16T17:00:00.000Z',
    });
  });

  it('writes to someone with no zone of their own on the round’s clock, its leader’s', async () => {
    clock.set('2026-12-15T07:00:00Z');
    await roundAcrossZones();
    await db().updateTable('users').set({ time_zone: null }).where('id', '=', people().manager.id).execute();
    clock.set('2026-12-15T08:00:00Z');
    assert.equal(await sendDueFollowUpNudges(db(), deps()), 2);
    assert.deepEqual(await sendingTimes('follow-up-nudge'), {
      [people().leader.email]: '2026-12-15T08:00:00.000Z',
      [people().manager.email]: '2026-12-15T08:00:00.000Z',
    });
  });

  it('offers and launches the check-back from the follow-up date on the leader’s clock, ahead of UTC', async () => {
    clock.set('2026-12-15T07:00:00Z');
    const round = await roundAcrossZones();
    await db().updateTable('focus_points').set({ nudged_at: clock.now() }).execute();
    await db()
      .updateTable('users')
      .set({ time_zone: 'Pacific/Auckland' })
      .where('id', '=', people().leader.id)
      .execute();
    await db().deleteFrom('focus_points').where('request_id', '=', round.roundId).execute();
    await createFocusPoint(db(), round.roundId, { text: 'Share the plan early', followUpOn: '2026-12-16' });
    const path = `/reports/${round.roundId}/check-back`;

    // 08:59 on the 16th in Auckland: still the 15th in UTC, yet the point is due there.
    clock.set('2026-12-15T19:59:00Z');
    const { client } = await signedInClient(app(), db(), people().leader);
    const page = textOf((await client.get(path)).html);
    assert.match(page, /What the team will be asked/);
    assert.match(page, /Share the plan early/);
    const launched = await client.post(`${path}/launch`, {
      _csrf: await csrfOf(client, '/account'),
      closes_on: '2026-12-22',
    });
    assert.equal(launched.location, `${path}?done=launched`);
  });

  it('thanks the team with the closing day on the leader’s clock, as the survey page gives it', async () => {
    clock.set('2026-11-05T10:00:00Z');
    const round = await surveyRound(db());
    await db()
      .updateTable('users')
      .set({ time_zone: 'America/Los_Angeles' })
      .where('email', '=', round.leaderEmail)
      .execute();
    // The end of 20 November in Los Angeles is 07:59 on the 21st in UTC.
    await db()
      .updateTable('feedback_requests')
      .set({ closes_at: endOfDayIn('2026-11-20', 'America/Los_Angeles') })
      .where('id', '=', round.request.id)
      .execute();
    const thanks = await new TestClient(app().url).post(round.path(), fullAnswers(round));
    assert.equal(thanks.status, 200);
    assert.match(textOf(thanks.html), /after the round closes on 20 November 2026,/);
  });
});
