// The next round (issue 19): its date, suggested at the release six months on and changed
// or cleared on the report by either person; on that date the manager's email, sent once,
// whose link starts the follow-up round in one step.
import { afterEach, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { csrfOf, csrfTokenIn, textOf, TestClient } from '../helpers/client.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/http/logger.ts';
import { createRoundJobs } from '../../src/jobs/runner.ts';
import { sendDueNextRoundEmails } from '../../src/jobs/next-round-emails.ts';
import { connectPostgres } from '../../src/db/connect.ts';
import { createAnsweredRound } from '../helpers/factories.ts';

const START = '2026-12-01T09:00:00Z';

describeEachDatabase('the next round', (database, kind) => {
  const clock = new ManualClock(START);
  const { app, people } = useTestApp(database, { clock, people: true });
  const db = () => database().db;
  afterEach(() => clock.set(START));

  const closedRound = () =>
    createAnsweredRound(db(), { managerId: people().manager.id, leaderEmail: people().leader.email });
  const releasedRound = async (nextRoundOn: string) => {
    const round = await closedRound();
    const released = await (
      await signedIn('leader')
    ).submit(`/reports/${round.id}/release`, { next_round_on: nextRoundOn });
    assert.equal(released.status, 303);
    return round;
  };
  const stored = (id: string) =>
    db()
      .selectFrom('feedback_requests')
      .select(['status', 'next_round_on', 'next_round_emailed_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  /** The next-round emails about this round, oldest first. */
  const emailsAbout = async (id: string) =>
    (
      await db()
        .selectFrom('email_outbox')
        .select(['to_address', 'subject', 'text', 'html'])
        .where('name', '=', 'next-round-due')
        .orderBy('created_at')
        .orderBy('id')
        .execute()
    ).filter((email) => email.text.includes(`/reports/${id}/next-round`));
  /** Signed in again at the clock's time: a session lasts hours, the tests move days. */
  const signedIn = async (who: 'leader' | 'manager') => (await signedInClient(app(), db(), people()[who])).client;
  const run = () => sendDueNextRoundEmails(db(), { clock, config: app().config });
  const changeDate = async (client: TestClient, id: string, fields: Record<string, string>) =>
    client.post(`/reports/${id}/next-round`, { _csrf: await csrfOf(client, '/account'), ...fields });

  it('suggests the next round six months after the release, and keeps a bad date beside its field', async () => {
    const { id } = await closedRound();
    const leo = await signedIn('leader');
    const page = await leo.get(`/reports/${id}/release`);
    assert.equal(page.status, 200);
    assert.match(page.html, /<input type="date" id="next-round-on" name="next_round_on" value="2027-06-01"/);
    assert.match(textOf(page.html), /Next round On this day Mira Manager is emailed a link/);

    // Before the release the date is set on the release page only: the report offers no form
    // whose button would be refused.
    const before = await leo.get(`/reports/${id}`);
    assert.doesNotMatch(before.html, /id="next-round-on"/);
    assert.doesNotMatch(textOf(before.html), /No next round is planned/);

    const csrf = csrfTokenIn(page.html);
    for (const [value, message] of [
      ['2026-12-01', 'Pick a date after today.'],
      ['2026-02-30', 'Pick a date, for example 2027-06-01.'],
      ['2029-01-01', 'Pick a date within 2 years from today.'],
    ] as const) {
      const refused = await leo.post(`/reports/${id}/release`, { _csrf: csrf, next_round_on: value });
      assert.equal(refused.status, 422, value);
      assert.match(refused.html, new RegExp(`id="next_round_on-error"[^>]*>.*${message.replace('.', '\\.')}`));
      assert.match(refused.html, new RegExp(`name="next_round_on" value="${value}"[^>]*aria-invalid="true"`));
      assert.equal((await stored(id)).status, 'closed', 'not released with a bad date');
    }

    const released = await leo.post(`/reports/${id}/release`, { _csrf: csrf, next_round_on: '2027-06-01' });
    assert.equal(released.status, 303);
    assert.deepEqual(await stored(id), {
      status: 'released',
      next_round_on: '2027-06-01',
      next_round_emailed_at: null,
    });
    const report = textOf((await (await signedIn('manager')).get(`/reports/${id}`)).html);
    assert.match(report, /Next round Planned for 1 June 2027 ?\. On that day you are emailed a link/);
  });

  it('emails the manager once on the date, and its link starts the follow-up round in one step', async () => {
    const { id, questions } = await releasedRound('2026-12-10');
    const jobs = createRoundJobs({ db: db(), clock, config: app().config, logger: createLogger('silent') });

    clock.set('2026-12-09T23:59:00Z');
    await jobs.runOnce();
    assert.equal((await emailsAbout(id)).length, 0, 'not the day before');
    clock.set('2026-12-10T08:59:00Z');
    assert.equal((await jobs.runOnce()).nextRounds, 0, "the day has come, but not 09:00 on the manager's clock (UTC)");
    clock.set('2026-12-10T09:00:00Z');
    assert.equal((await jobs.runOnce()).nextRounds, 1);
    assert.equal((await jobs.runOnce()).nextRounds, 0, 'a second run finds nothing left');
    clock.set('2026-12-12T09:00:00Z');
    await run();
    const sent = await emailsAbout(id);
    assert.equal(sent.length, 1, 'sent once');
    assert.equal(sent[0]!.to_address, people().manager.email);
    assert.equal(sent[0]!.subject, 'Time for your follow-up feedback round');
    assert.match(sent[0]!.text, /planned for 10 December 2026/);
    assert.match(sent[0]!.html, />Start the follow-up round<\/a>/);
    const link = `${app().url}/reports/${id}/next-round`;
    assert.ok(sent[0]!.text.includes(`Start the follow-up round: ${link}`));

    // Signed out, the link goes through the sign-in and back to the page.
    const signedOut = await new TestClient(app().url).get(link);
    assert.equal(signedOut.status, 303);
    assert.equal(signedOut.location, `/sign-in?next=${encodeURIComponent(`/reports/${id}/next-round`)}`);
    const mira = await signedIn('manager');
    const page = await mira.get(link);
    assert.equal(page.status, 200);
    assert.match(textOf(page.html), /Start your follow-up round .* planned the next one for 10 December 2026/);
    const buttons = page.html.match(/<button[^>]*>[^<]*<\/button>/g)!.filter((b) => !/Sign out/.test(b));
    assert.deepEqual(buttons, ['<button type="submit">Start the follow-up round</button>']);
    assert.match(page.html, new RegExp(`<form method="post" action="/reports/${id}/follow-up">`));
    const started = await mira.post(`/reports/${id}/follow-up`, { _csrf: csrfTokenIn(page.html) });
    assert.equal(started.status, 303);
    const newId = /^\/requests\/([0-9a-f-]{36})\/edit$/.exec(started.location!)![1]!;
    const draft = await db()
      .selectFrom('feedback_requests')
      .select(['status', 'previous_request_id'])
      .where('id', '=', newId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(draft, { status: 'draft', previous_request_id: id });
    const copied = await db()
      .selectFrom('request_questions')
      .select('prompt')
      .where('request_id', '=', newId)
      .orderBy('position')
      .execute();
    assert.deepEqual(
      copied.map((q) => q.prompt),
      questions.map((q) => q.prompt),
    );
    assert.match(textOf((await mira.get(link)).html), /Continue the follow-up round/);
  });

  it('sends again on a changed date, not for the same date saved again, nor once cleared', async () => {
    const { id } = await releasedRound('2026-12-05');
    clock.set('2026-12-05T09:00:00Z'); // 09:00 on the manager's clock (UTC)
    await run();
    assert.equal((await emailsAbout(id)).length, 1);

    // The manager moves it; a bad date is kept beside the field, nothing changes.
    const mira = await signedIn('manager');
    const refused = await changeDate(mira, id, { next_round_on: '2026-12-05' });
    assert.equal(refused.status, 422);
    assert.match(refused.html, /id="next_round_on-error"[^>]*>.*Pick a date after today/);
    assert.match(refused.html, /name="next_round_on" value="2026-12-05"/);
    const moved = await changeDate(mira, id, { next_round_on: '2026-12-20' });
    assert.equal(moved.status, 303);
    assert.match(textOf((await mira.follow(moved)).html), /The next round's date is saved/);
    assert.equal((await stored(id)).next_round_emailed_at, null);

    clock.set('2026-12-19T12:00:00Z');
    await run();
    assert.equal((await emailsAbout(id)).length, 1, 'not before the new date');
    clock.set('2026-12-20T12:00:00Z');
    await run();
    await run();
    const sent = await emailsAbout(id);
    assert.equal(sent.length, 2, 'once on the new date');
    assert.match(sent[1]!.text, /planned for 20 December 2026/);

    // The same date saved again by the leader sends nothing twice.
    clock.set('2026-12-15T12:00:00Z');
    const leo = await signedIn('leader');
    await changeDate(leo, id, { next_round_on: '2026-12-20' });
    clock.set('2026-12-21T12:00:00Z');
    await run();
    assert.equal((await emailsAbout(id)).length, 2);

    // Cleared: no date, no email.
    clock.set('2026-12-15T12:00:00Z');
    await changeDate(leo, id, { next_round_on: '2027-01-10' });
    const cleared = await changeDate(leo, id, { next_round_on: '2027-01-10', action: 'clear' });
    assert.equal(cleared.status, 303);
    assert.equal((await stored(id)).next_round_on, null);
    assert.match(textOf((await leo.get(`/reports/${id}`)).html), /No next round is planned\./);
    clock.set('2027-02-01T12:00:00Z');
    await run();
    assert.equal((await emailsAbout(id)).length, 2);
  });

  it('sends nothing once the follow-up round was started before the date', async () => {
    const { id } = await releasedRound('2026-12-08');
    const mira = await signedIn('manager');
    await mira.post(`/reports/${id}/follow-up`, { _csrf: await csrfOf(mira, '/account') });
    clock.set('2026-12-08T12:00:00Z');
    await run();
    assert.equal((await emailsAbout(id)).length, 0);
  });

  it(
    'emails each due round once when two processes run the job at once',
    { skip: kind !== 'postgres' && 'two connections need PostgreSQL' },
    async () => {
      const rounds = [];
      for (let i = 0; i < 5; i++) rounds.push(await closedRound());
      await db()
        .updateTable('feedback_requests')
        .set({ status: 'released', released_at: clock.now(), next_round_on: '2026-12-03' })
        .where(
          'id',
          'in',
          rounds.map((r) => r.id),
        )
        .execute();
      const second = connectPostgres(database().url!, 5);
      try {
        const deps = { clock: new ManualClock('2026-12-03T09:00:00Z'), config: app().config }; // 09:00 on the manager's clock (UTC)
        const counts = await Promise.all([
          sendDueNextRoundEmails(db(), deps),
          sendDueNextRoundEmails(second.db, deps),
          sendDueNextRoundEmails(second.db, deps),
        ]);
        assert.equal(
          counts.reduce((a, b) => a + b, 0),
          5,
        );
      } finally {
        await second.close();
      }
      for (const { id } of rounds) assert.equal((await emailsAbout(id)).length, 1, 'one email per round');
    },
  );
});
