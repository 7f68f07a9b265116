// The open round's reminders on the leader's page (issue 18): when each went out or is due,
// how many were sent, never to whom; and "Send a reminder now", at most once a day, only to
// the people whose link is unused.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import type { TestApp } from '../helpers/app.ts';
import { textOf } from '../helpers/client.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { addResponse, leaderWithRequest } from '../helpers/factories.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { endOfDay } from '../../src/lib/dates.ts';
import { hashLinkToken } from '../../src/rounds/link-tokens.ts';
import { DAY_MS, outbox, surveyPathsIn } from '../rounds/helpers.ts';

async function launched(app: TestApp, db: Parameters<typeof leaderWithRequest>[1]) {
  const round = await leaderWithRequest(app, db, { closesAt: endOfDay('2026-11-16') });
  const launch = await round.leader.submit(`/collect/${round.request.id}/launch`, {});
  assert.equal(launch.location, `/collect/${round.request.id}?done=launched`);
  return round;
}

describeEachDatabase('reminders the leader can see and send', (database) => {
  const db = () => database().db;
  const clock = new ManualClock('2026-11-02T09:00:00Z');
  // Sessions outlast the days these tests move through.
  const { app } = useTestApp(database, { clock, env: { SESSION_IDLE_MINUTES: '10080', SESSION_MAX_HOURS: '720' } });

  /** Spends the links of these invitees and stores their answers, as the survey would. */
  async function answer(request: { id: string }, emails: string[]) {
    const questions = await db()
      .selectFrom('request_questions')
      .select('id')
      .where('request_id', '=', request.id)
      .orderBy('position')
      .execute();
    for (const to of emails) {
      await addResponse(
        db(),
        request.id,
        questions.map((q) => q.id),
        [4, 4],
      );
      const [invitation] = await outbox(db(), { to, name: 'invitation' });
      const [path] = surveyPathsIn(invitation!.text);
      await db()
        .updateTable('survey_links')
        .set({ spent: true })
        .where('key', '=', hashLinkToken(path!.slice(3)))
        .execute();
    }
  }

  it('lists the points, sends one by hand to those who have not answered, then not again for a day', async () => {
    clock.set('2026-11-02T09:00:00Z');
    const { request, leader, invitees } = await launched(app(), db());
    const page = `/collect/${request.id}`;
    let text = textOf((await leader.get(page)).html);
    assert.match(text, /Reminders No reminder sent yet\./);
    assert.match(text, /Due 9 November 2026, 16:29 UTC/, 'the halfway point');
    assert.match(
      text,
      /Due 16 November 2026, 09:00 UTC/,
      'a day before the close is 23:59, at night: the next morning',
    );

    await answer(request, invitees.slice(0, 2));
    clock.set('2026-11-04T10:00:00Z');
    const sent = await leader.submit(page, {}, `${page}/remind`);
    assert.equal(sent.status, 303);
    assert.equal(sent.location, `${page}?done=reminded#reminders`);
    const reminded = await outbox(db(), { name: 'reminder' });
    assert.deepEqual(reminded.map((m) => m.to_address).sort(), invitees.slice(2).sort());
    text = textOf((await leader.get(sent.location!)).html);
    assert.match(text, /A reminder is on its way to everyone who has not answered yet\./);
    assert.match(text, /1 reminder sent so far\./);
    assert.match(text, /Sent 4 November 2026, 10:00 UTC/);
    assert.doesNotMatch(text, /Send a reminder now/);
    assert.match(text, /the next one from 5 November 2026, 10:00 UTC/);
    const card = /Reminders 1 reminder.*?(?=Close or extend)/.exec(text)![0];
    for (const email of invitees) assert.ok(!card.includes(email), 'the reminders name nobody');

    // A second click within the day (a stale page, another tab) sends nothing.
    clock.set('2026-11-05T09:59:00Z');
    const again = await leader.submit(`${page}`, {}, `${page}/remind`);
    assert.equal(again.status, 409);
    assert.match(
      textOf(again.html),
      /A reminder went out less than a day ago\. You can send the next one from 5 November 2026, 10:00 UTC\./,
    );
    assert.equal((await outbox(db(), { name: 'reminder' })).length, 3);

    // A day on, it may go again, still only to those whose link is unused.
    await answer(request, invitees.slice(2, 3));
    clock.set('2026-11-05T10:00:00Z');
    assert.equal((await leader.submit(page, {}, `${page}/remind`)).status, 303);
    const second = (await outbox(db(), { name: 'reminder' })).slice(3);
    assert.deepEqual(second.map((m) => m.to_address).sort(), invitees.slice(3).sort());
    assert.match(textOf((await leader.get(page)).html), /2 reminders sent so far\./);
  });

  it('counts a scheduled reminder in the day between two', async () => {
    clock.set('2026-11-02T09:00:00Z');
    const { request, leaderUser } = await launched(app(), db());
    await db()
      .updateTable('reminders')
      .set({ sent_at: new Date('2026-11-09T16:30:00Z') })
      .where('request_id', '=', request.id)
      .where('due_at', '<', new Date('2026-11-10T00:00:00Z'))
      .execute();
    clock.set('2026-11-10T09:00:00Z');
    const { client: leader } = await signedInClient(app(), db(), leaderUser);
    const refused = await leader.submit(`/collect/${request.id}`, {}, `/collect/${request.id}/remind`);
    assert.equal(refused.status, 409);
    assert.match(textOf(refused.html), /from 10 November 2026, 16:30 UTC/);
  });

  it('has nobody to remind once everyone answered, and records nothing', async () => {
    clock.set('2026-11-02T09:00:00Z');
    const { request, leader, invitees } = await launched(app(), db());
    await answer(request, invitees);
    const page = `/collect/${request.id}`;
    assert.match(textOf((await leader.get(page)).html), /Everyone invited has answered: there is nobody to remind\./);
    const sent = await leader.submit(page, {}, `${page}/remind`);
    assert.equal(sent.location, `${page}?done=all-answered#reminders`);
    const reminded = (await outbox(db(), { name: 'reminder' })).filter((m) => invitees.includes(m.to_address));
    assert.equal(reminded.length, 0);
    const points = await db().selectFrom('reminders').select('sent_at').where('request_id', '=', request.id).execute();
    assert.ok(
      points.every((point) => point.sent_at === null),
      'no reminder point recorded as sent',
    );
  });

  it('is the leader’s alone: the manager and anyone else get the page that does not exist', async () => {
    clock.set('2026-11-02T09:00:00Z');
    const { request, manager, leader, invitees } = await launched(app(), db());
    const token = (await leader.get(`/collect/${request.id}`)).html;
    assert.ok(token);
    const { client: asManager } = await signedInClient(app(), db(), manager);
    const tried = await asManager.submit('/requests', {}, `/collect/${request.id}/remind`);
    assert.equal(tried.status, 404);
    const reminded = (await outbox(db(), { name: 'reminder' })).filter((m) => invitees.includes(m.to_address));
    assert.equal(reminded.length, 0);
  });

  it('is gone once the round has closed', async () => {
    clock.set('2026-11-02T09:00:00Z');
    const { request, leaderUser } = await launched(app(), db());
    clock.set(new Date(endOfDay('2026-11-16').getTime() + DAY_MS));
    const { client: leader } = await signedInClient(app(), db(), leaderUser);
    await db().updateTable('feedback_requests').set({ status: 'closed' }).where('id', '=', request.id).execute();
    assert.doesNotMatch(textOf((await leader.get(`/collect/${request.id}`)).html), /Send a reminder now/);
    const late = await leader.submit(`/collect/${request.id}`, {}, `/collect/${request.id}/remind`);
    assert.equal(late.status, 409);
  });
});
