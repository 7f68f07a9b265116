// Time zones (issue 21), over HTTP on both databases and the injected clock: a person picks
// their zone on the account page; a round closes at the end of its closing day on its
// leader's clock, across clock changes and the date line; pages show times on the viewer's
// clock with the zone named; the team's survey shows the leader's time and UTC; reminders
// wait for the morning on the leader's clock, nudges too, and the next round's email for
// the morning on the manager's.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { TestClient, textOf } from '../helpers/client.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { leaderWithRequest, surveyRound } from '../helpers/factories.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { endOfDayIn } from '../../src/lib/dates.ts';
import { releasedRoundWithPoints } from '../helpers/check-backs.ts';
import { sendDueFollowUpNudges } from '../../src/jobs/follow-up-nudges.ts';
import { sendDueNextRoundEmails } from '../../src/jobs/next-round-emails.ts';

describeEachDatabase('time zones', (database) => {
  const db = () => database().db;
  const clock = new ManualClock('2026-12-01T09:00:00Z');
  const { app } = useTestApp(database, { clock });

  const zoneOf = async (id: string) =>
    (await db().selectFrom('users').select('time_zone').where('id', '=', id).executeTakeFirstOrThrow()).time_zone;

  it('saves the zone picked on the account page, refuses one not on the list, and goes back to the default', async () => {
    const { client, user } = await signedInClient(app(), db(), { email: `tz-${Date.now()}@example.com` });
    const page = await client.get('/account');
    assert.match(page.html, /<optgroup label="America">/);
    assert.match(page.html, /<option value="America\/Los_Angeles">Los Angeles<\/option>/);
    assert.match(page.html, /<option value="" selected>This service’s zone \(UTC\)<\/option>/);

    const saved = await client.submit('/account', { time_zone: 'America/Los_Angeles' }, '/account/time-zone');
    assert.equal(saved.status, 303);
    assert.equal(await zoneOf(user.id), 'America/Los_Angeles');
    const after = await client.follow(saved);
    assert.match(textOf(after.html), /Your time zone is saved\./);
    assert.match(after.html, /<option value="America\/Los_Angeles" selected>/);

    const refused = await client.submit('/account', { time_zone: 'Mars/Olympus_Mons' }, '/account/time-zone');
    assert.equal(refused.status, 422);
    assert.match(textOf(refused.html), /Pick a time zone from the list\./);
    assert.match(refused.html, /<select id="time_zone"[^>]*aria-invalid="true"/);
    assert.equal(await zoneOf(user.id), 'America/Los_Angeles', 'nothing changed');

    await client.submit('/account', { time_zone: '' }, '/account/time-zone');
    assert.equal(await zoneOf(user.id), null);
  });

  /** A leader in `zone` reviews a waiting request, sets the closing day, and we read closes_at. */
  async function closingMomentFor(zone: string | null, day: string) {
    const round = await leaderWithRequest(app(), db());
    await db().updateTable('users').set({ time_zone: zone }).where('id', '=', round.leaderUser.id).execute();
    const path = `/collect/${round.request.id}`;
    const saved = await round.leader.submit(path, { closes_on: day, team_note: '' });
    assert.equal(saved.status, 303, `saving ${day} in ${zone}`);
    const row = await db()
      .selectFrom('feedback_requests')
      .select('closes_at')
      .where('id', '=', round.request.id)
      .executeTakeFirstOrThrow();
    return { closesAt: row.closes_at.toISOString(), round, path };
  }

  it("closes a round at midnight on its leader's clock: Los Angeles in winter and summer, and on the day the clocks change", async () => {
    clock.set(new Date('2026-12-01T09:00:00Z'));
    assert.equal((await closingMomentFor('America/Los_Angeles', '2026-12-20')).closesAt, '2026-12-21T07:59:59.999Z');
    assert.equal((await closingMomentFor(null, '2026-12-20')).closesAt, '2026-12-20T23:59:59.999Z', 'TIME_ZONE: UTC');
    clock.set(new Date('2027-03-01T09:00:00Z'));
    // 14 March 2027: Los Angeles moves from PST (-8) to PDT (-7) at 02:00, so the day ends at 07:00Z.
    assert.equal((await closingMomentFor('America/Los_Angeles', '2027-03-14')).closesAt, '2027-03-15T06:59:59.999Z');
    assert.equal((await closingMomentFor('America/Los_Angeles', '2027-03-13')).closesAt, '2027-03-14T07:59:59.999Z');
    // 28 March 2027: Berlin moves from CET (+1) to CEST (+2): a 23-hour day, ending at 22:00Z.
    assert.equal((await closingMomentFor('Europe/Berlin', '2027-03-28')).closesAt, '2027-03-28T21:59:59.999Z');
    assert.equal((await closingMomentFor('Europe/Berlin', '2027-03-27')).closesAt, '2027-03-27T22:59:59.999Z');
    clock.set(new Date('2026-12-01T09:00:00Z'));
  });

  it('across the date line: an Auckland leader\'s "today" and closing day are on their clock', async () => {
    // 11:00Z on 1 December is already 00:00 on 2 December in Auckland (NZDT, +13).
    clock.set(new Date('2026-12-01T11:00:00Z'));
    const { round, path } = await closingMomentFor('Pacific/Auckland', '2026-12-20');
    const row = await db()
      .selectFrom('feedback_requests')
      .select('closes_at')
      .where('id', '=', round.request.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.closes_at.toISOString(), '2026-12-20T10:59:59.999Z');
    const today = await round.leader.submit(path, { closes_on: '2026-12-02', team_note: '' });
    assert.equal(today.status, 422, '2 December is today in Auckland, though still 1 December in UTC');
    assert.match(textOf(today.html), /Pick a date after today\./);
    clock.set(new Date('2026-12-01T09:00:00Z'));
  });

  it('closes at a time of day the leader picks, on their clock, and shows it back; a bad time is refused beside the field', async () => {
    const round = await leaderWithRequest(app(), db());
    await db()
      .updateTable('users')
      .set({ time_zone: 'America/Los_Angeles' })
      .where('id', '=', round.leaderUser.id)
      .execute();
    const path = `/collect/${round.request.id}`;
    const bad = await round.leader.submit(path, { closes_on: '2026-12-20', closes_at_time: '25:00', team_note: '' });
    assert.equal(bad.status, 422);
    assert.match(textOf(bad.html), /Enter a time such as 17:00, or leave it empty to close at the end of the day\./);
    assert.match(bad.html, /name="closes_at_time" value="25:00"/);
    assert.match(bad.html, /name="closes_on" value="2026-12-20"/);

    const saved = await round.leader.submit(path, { closes_on: '2026-12-20', closes_at_time: '17:00', team_note: '' });
    assert.equal(saved.status, 303);
    const row = await db()
      .selectFrom('feedback_requests')
      .select('closes_at')
      .where('id', '=', round.request.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.closes_at.toISOString(), '2026-12-21T01:00:00.000Z', '17:00 PST');
    const page = await round.leader.get(path);
    assert.match(page.html, /name="closes_on" value="2026-12-20"/);
    assert.match(page.html, /name="closes_at_time" value="17:00"/);
  });

  it('shows the leader the closing moment on their own clock, with the zone named', async () => {
    const { round, path } = await closingMomentFor('Europe/Berlin', '2026-12-20');
    await db()
      .updateTable('feedback_requests')
      .set({ status: 'open', launched_at: clock.now() })
      .where('id', '=', round.request.id)
      .execute();
    const text = textOf((await round.leader.get(path)).html);
    assert.match(text, /Open until 20 December 2026, 23:59 CET/);
  });

  it("lays out a round's reminders in waking hours on its leader's clock: a point at night waits for 09:00 there", async () => {
    clock.set(new Date('2026-12-01T18:00:00Z')); // 10:00 in Los Angeles
    const round = await leaderWithRequest(app(), db(), { closesAt: endOfDayIn('2026-12-04', 'America/Los_Angeles') });
    await db()
      .updateTable('users')
      .set({ time_zone: 'America/Los_Angeles' })
      .where('id', '=', round.leaderUser.id)
      .execute();
    assert.equal((await round.leader.submit(`/collect/${round.request.id}/launch`, {})).status, 303);
    const due = await db()
      .selectFrom('reminders')
      .select('due_at')
      .where('request_id', '=', round.request.id)
      .orderBy('due_at')
      .execute();
    // Halfway is 04:59 on 3 December there: it waits for 09:00 (17:00Z). A day before the
    // close is 23:59 on 3 December: it waits for 09:00 on the 4th. (On UTC's clock both were
    // daytime: 12:59 and 07:59 would have gone out as they were, or at 09:00 UTC.)
    assert.deepEqual(
      due.map((row) => row.due_at.toISOString()),
      ['2026-12-03T17:00:00.000Z', '2026-12-04T17:00:00.000Z'],
    );
    // The team has no zone: their invitation gives the leader's time, and UTC beside it.
    const invitation = await db()
      .selectFrom('email_outbox')
      .select(['subject', 'text'])
      .where('to_address', '=', round.invitees[0]!)
      .executeTakeFirstOrThrow();
    assert.match(invitation.text, /open until 4 December 2026, 23:59 PST \(5 December 2026, 07:59 UTC\)/);
    clock.set(new Date('2026-12-01T09:00:00Z'));
  });

  it("nudges on a focus point's date at 09:00 on the leader's clock, and emails the next round at 09:00 on the manager's, across the date line", async () => {
    clock.set(new Date('2026-12-15T09:00:00Z'));
    const round = await releasedRoundWithPoints(app(), db());
    await db()
      .updateTable('users')
      .set({ time_zone: 'America/Los_Angeles' })
      .where('email', '=', round.leaderEmail)
      .execute();
    const deps = { clock, config: app().config };
    // 09:00 UTC on the follow-up date is 01:00 in Los Angeles: the nudge waits for 09:00 there.
    assert.equal(await sendDueFollowUpNudges(db(), deps), 0);
    clock.set(new Date('2026-12-15T16:59:00Z'));
    assert.equal(await sendDueFollowUpNudges(db(), deps), 0);
    clock.set(new Date('2026-12-15T17:00:00Z'));
    assert.equal(await sendDueFollowUpNudges(db(), deps), 2, 'the leader and the manager, once');
    assert.equal(await sendDueFollowUpNudges(db(), deps), 0);

    // The manager in Auckland: 09:00 on 20 December there is 20:00Z on the 19th.
    await db().updateTable('users').set({ time_zone: 'Pacific/Auckland' }).where('id', '=', round.managerId).execute();
    await db()
      .updateTable('feedback_requests')
      .set({ next_round_on: '2026-12-20' })
      .where('id', '=', round.roundId)
      .execute();
    clock.set(new Date('2026-12-19T19:59:00Z'));
    assert.equal(await sendDueNextRoundEmails(db(), deps), 0);
    clock.set(new Date('2026-12-19T20:00:00Z'));
    assert.equal(await sendDueNextRoundEmails(db(), deps), 1);
    clock.set(new Date('2026-12-01T09:00:00Z'));
  });

  it("shows the manager the closing moment on their own clock: a Los Angeles leader's day ends at 08:59 in Berlin", async () => {
    const round = await leaderWithRequest(app(), db(), { closesAt: endOfDayIn('2026-12-20', 'America/Los_Angeles') });
    await db().updateTable('users').set({ time_zone: 'Europe/Berlin' }).where('id', '=', round.manager.id).execute();
    const { client } = await signedInClient(app(), db(), round.manager);
    const text = textOf((await client.get(`/requests/${round.request.id}`)).html);
    assert.match(text, /Closing date 21 December 2026, 08:59 CET/);
  });

  it("shows the team the closing time on the leader's clock and in UTC", async () => {
    clock.set(new Date('2026-11-05T10:00:00Z'));
    const berlin = await surveyRound(db());
    await db()
      .updateTable('users')
      .set({ time_zone: 'Europe/Berlin' })
      .where('email', '=', berlin.leaderEmail)
      .execute();
    await db()
      .updateTable('feedback_requests')
      .set({ closes_at: new Date('2026-11-20T22:59:59.999Z') })
      .where('id', '=', berlin.request.id)
      .execute();
    const page = textOf((await new TestClient(app().url).get(berlin.path())).html);
    assert.match(page, /Answer by 20 November 2026, 23:59 CET \(20 November 2026, 22:59 UTC\)/);

    const utc = await surveyRound(db());
    const plain = textOf((await new TestClient(app().url).get(utc.path())).html);
    assert.match(plain, /Answer by 20 November 2026, 23:59 UTC(?! \()/, 'once, where the two are the same');
    clock.set(new Date('2026-12-01T09:00:00Z'));
  });
});
