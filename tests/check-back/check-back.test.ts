// The check-back (issue 20, point 2): offered from a focus point's follow-up date on a
// released round, launched by the leader in one step (once, however often the button is
// pressed), a round in every respect (its own links, reminders in its own words, the
// threshold locked at launch, results only after close and with at least k answers), its
// results beside each focus point in the round's report; and the team pasted again by the
// manager once the round's addresses were deleted.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useSmtpWorker, useTestApp } from '../helpers/suite.ts';
import { csrfOf, textOf, TestClient } from '../helpers/client.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { releasedRoundWithPoints } from '../helpers/check-backs.ts';
import { createFocusPoint } from '../helpers/factories.ts';
import { outbox, surveyPathsIn } from '../rounds/helpers.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { endOfDay } from '../../src/lib/dates.ts';
import { closeRound } from '../../src/rounds/close-round.ts';
import { sendDueReminders } from '../../src/rounds/send-reminders.ts';
import { sendDueFollowUpNudges } from '../../src/jobs/follow-up-nudges.ts';
import { CHECK_BACK_COMMENT_PROMPT } from '../../src/domain/request-life.ts';

const TODAY = '2027-01-12';

describeEachDatabase('the check-back on the focus points', (database) => {
  const clock = new ManualClock(`${TODAY}T09:00:00Z`);
  const { app, people } = useTestApp(database, { clock, people: true });
  const mail = useSmtpWorker(database, { clock });
  const db = () => database().db;

  /** A client signed in anew (the clock moves, and sessions lapse). */
  const as = async (who: 'leader' | 'manager' | 'stranger') =>
    (await signedInClient(app(), db(), people()[who])).client;
  /** A released round of this suite's manager and leader, five invitees, the given focus points due today. */
  async function released(points = ['Protect focus time']) {
    // Each test reads the emails of its own round only.
    await db().deleteFrom('email_outbox').execute();
    return releasedRoundWithPoints(app(), db(), {
      points,
      managerId: people().manager.id,
      leaderEmail: people().leader.email,
    });
  }
  const post = async (client: TestClient, path: string, fields: Record<string, string> = {}) =>
    client.post(path, { _csrf: await csrfOf(client, '/account'), ...fields });
  const launch = async (roundId: string, fields: Record<string, string> = {}) =>
    post(await as('leader'), `/reports/${roundId}/check-back/launch`, { closes_on: '2027-01-19', ...fields });
  const checkBacksOf = (roundId: string) =>
    db().selectFrom('feedback_requests').selectAll().where('check_back_of', '=', roundId).execute();
  /** Answers a check-back through its link: `ratings` for its statements, then a comment. */
  async function answer(path: string, questionIds: string[], ratings: number[], comment = '') {
    const client = new TestClient(app().url);
    assert.equal((await client.get(path)).status, 200);
    const fields = Object.fromEntries(
      questionIds.map((id, i) => [`q-${id}`, i < ratings.length ? String(ratings[i]) : comment]),
    );
    assert.equal((await client.post(path, fields)).status, 200);
  }
  async function linksOf(checkBackId: string) {
    const rows = await outbox(db(), { name: 'check-back-invitation' });
    const questions = await db()
      .selectFrom('request_questions')
      .selectAll()
      .where('request_id', '=', checkBackId)
      .orderBy('position')
      .execute();
    return { paths: rows.flatMap((row) => surveyPathsIn(row.text)), questions };
  }

  it('is offered from the follow-up date only: the report, the check-back page and the nudge say so', async () => {
    clock.set(`${TODAY}T09:00:00Z`);
    const round = await released([]);
    await createFocusPoint(db(), round.roundId, {
      text: 'Protect focus time',
      followUpOn: '2027-01-14',
      createdAt: new Date('2026-12-01T10:00:00Z'),
    });
    const leader = await as('leader');
    const before = await leader.get(`/reports/${round.roundId}`);
    assert.equal(before.status, 200);
    assert.ok(!textOf(before.html).includes('Check back with the team'), 'no offer before the date');
    const early = textOf((await leader.get(`/reports/${round.roundId}/check-back`)).html);
    assert.match(early, /Nothing to ask yet: the check-back is offered from the next follow-up date, 14 January 2027/);
    const refused = await launch(round.roundId);
    assert.equal(refused.status, 303, 'a launch before the date leads back to the page');
    assert.equal((await checkBacksOf(round.roundId)).length, 0, 'and launches nothing');

    clock.set('2027-01-14T08:00:00Z');
    for (const who of ['leader', 'manager'] as const) {
      const report = textOf((await (await as(who)).get(`/reports/${round.roundId}`)).html);
      assert.match(report, /Check back with the team/, `the ${who}'s report offers it`);
    }
    const page = textOf((await (await as('manager')).get(`/reports/${round.roundId}/check-back`)).html);
    assert.match(page, /Since 1 December 2026, Mira Manager has made progress on: Protect focus time/);
    assert.match(page, new RegExp(CHECK_BACK_COMMENT_PROMPT.replace(/[?()]/g, '\\$&')));
    assert.ok(!page.includes('Send to'), 'the manager cannot launch it');
    const leaderPage = textOf((await (await as('leader')).get(`/reports/${round.roundId}/check-back`)).html);
    assert.match(leaderPage, /Send to 5 team members, closes on 21 January 2027/);

    clock.set('2027-01-14T09:00:00Z'); // the nudge goes out at 09:00 on the round's clock (UTC)
    assert.ok((await sendDueFollowUpNudges(db(), { clock, config: app().config })) >= 2);
    const nudges = await outbox(db(), { name: 'follow-up-nudge', to: people().manager.email });
    assert.ok(
      nudges.some((row) => row.text.includes(`${app().url}/reports/${round.roundId}/check-back`)),
      'the nudge links to the check-back',
    );
  });

  it('launches once on a double click: a question per due point, one invitation per team member, leaving no trail', async () => {
    clock.set(`${TODAY}T09:00:00Z`);
    const round = await released(['Protect focus time', 'Share the plan early']);
    const later = await createFocusPoint(db(), round.roundId, { text: 'Not due yet', followUpOn: '2027-03-01' });
    await db().deleteFrom('email_outbox').execute();
    const past = await launch(round.roundId, { closes_on: '2027-01-12' });
    assert.equal(past.status, 422);
    assert.match(textOf(past.html), /Pick a date after today\./);
    assert.match(
      past.html,
      /<input type="date" id="closes-on" name="closes_on" value="2027-01-12"[^>]*aria-invalid="true"/,
    );
    assert.match(
      textOf(past.html),
      /Send to 5 team members, closes on 12 January 2027/,
      'the button says the date typed',
    );
    const [first, second] = await Promise.all([launch(round.roundId), launch(round.roundId)]);
    assert.deepEqual([first.status, second.status], [303, 303]);
    const rows = await checkBacksOf(round.roundId);
    assert.equal(rows.length, 1, 'one check-back');
    const [checkBack] = rows;
    assert.equal(checkBack!.kind, 'check-back');
    assert.equal(checkBack!.status, 'open');
    assert.equal(checkBack!.anonymity_threshold, 3);
    assert.equal(checkBack!.invited_count, 5);
    assert.equal(checkBack!.closes_at.toISOString(), endOfDay('2027-01-19').toISOString());

    const { paths, questions } = await linksOf(checkBack!.id);
    assert.deepEqual(
      questions.map((q) => [q.kind, q.prompt, q.required, q.focus_point_id !== null]),
      [
        ['agree', 'Since 1 October 2026, Mira Manager has made progress on: Protect focus time', true, true],
        ['agree', 'Since 1 October 2026, Mira Manager has made progress on: Share the plan early', true, true],
        ['text', CHECK_BACK_COMMENT_PROMPT, false, false],
      ],
    );
    assert.ok(!questions.some((q) => q.focus_point_id === later.id), 'a point not yet due is not asked about');
    const queued = await outbox(db());
    assert.deepEqual(
      queued.map((row) => row.name),
      Array(5).fill('check-back-invitation'),
      'five invitations and nothing else (no self-assessment for the manager)',
    );
    assert.deepEqual(queued.map((row) => row.to_address).sort(), [...round.invitees].sort());
    assert.equal(new Set(paths).size, 5, 'each with its own link');

    await mail.worker().runOnce();
    const received = await mail.smtp().waitFor((m) => m.to === round.invitees[0]);
    assert.match(received.subject, /Has Mira Manager made progress\?/);
    assert.match(received.text, /Protect focus time/);
    assert.match(received.text, /open until 19 January 2027/);
    assert.match(
      received.text.replace(/\s+/g, ' '),
      /Your email address is deleted 30 days after this check-back closes, or sooner, when the addresses of the round it follows up on are deleted\./,
      'the invitation says how long the address is kept',
    );
    for (const row of await outbox(db(), { name: 'check-back-invitation' }))
      assert.deepEqual([row.status, row.to_address, row.subject, row.text], ['sent', '', '', ''], 'no trail once sent');

    const survey = await new TestClient(app().url).get(surveyPathsIn(received.text)[0]!);
    assert.equal(survey.status, 200);
    assert.match(textOf(survey.html), /Check-back about Mira Manager/);
    // The comment question is marked optional once, by the survey, not again by its own words.
    assert.match(textOf(survey.html), /Question 3 of 3 Anything you would like to add\? \(optional\) Shown/);

    const page = textOf((await (await as('leader')).get(`/reports/${round.roundId}/check-back`)).html);
    assert.match(page, /Check-back open until 19 January 2027/);
  });

  it('reminds in its own words and keeps the threshold it was launched with', async () => {
    clock.set(`${TODAY}T09:00:00Z`);
    const round = await released();
    assert.equal((await launch(round.roundId)).status, 303);
    const [checkBack] = await checkBacksOf(round.roundId);
    const { paths, questions } = await linksOf(checkBack!.id);
    const ids = questions.map((q) => q.id);
    await db().deleteFrom('email_outbox').execute();
    for (const [i, rating] of [4, 5, 2].entries()) await answer(paths[i]!, ids, [rating], '');

    // The leader reminds by hand from the check-back's own page, as for a round.
    const reminded = await post(await as('leader'), `/collect/${checkBack!.id}/remind`);
    assert.equal(reminded.status, 303);
    const byHand = (await outbox(db())).filter((row) => round.invitees.includes(row.to_address));
    assert.deepEqual(
      byHand.map((row) => row.name),
      ['check-back-reminder', 'check-back-reminder'],
    );
    await db().deleteFrom('email_outbox').execute();

    clock.set('2027-01-16T09:00:00Z'); // past halfway
    assert.ok((await sendDueReminders(db(), { clock, config: app().config })) >= 1);
    const reminders = (await outbox(db())).filter((row) => round.invitees.includes(row.to_address));
    assert.deepEqual(new Set(reminders.map((row) => row.name)), new Set(['check-back-reminder']));
    assert.equal(reminders.length, 2, 'to the two who have not answered');
    assert.match(reminders[0]!.subject, /Reminder: the check-back about Mira Manager is open until 19 January 2027/);

    // The deployment's threshold rises to 5 after the launch: the check-back keeps its 3.
    const deps = { clock, config: { ...app().config, ANONYMITY_THRESHOLD: 5 } };
    assert.equal(await closeRound(db(), checkBack!.id, deps), true);
    const report = textOf((await (await as('manager')).get(`/reports/${round.roundId}`)).html);
    assert.match(report, /Check-back, closed 16 January 2027 \(3 of 5 answered\): 3\.7 · 67% favourable · 3 answers/);
  });

  it('shows results only after close: open until, participation to the leader alone, then figures and comments', async () => {
    clock.set(`${TODAY}T09:00:00Z`);
    const round = await released();
    assert.equal((await launch(round.roundId)).status, 303);
    const [checkBack] = await checkBacksOf(round.roundId);
    const { paths, questions } = await linksOf(checkBack!.id);
    const ids = questions.map((q) => q.id);
    const comments = ['Much better focus now', 'Meetings moved to afternoons', 'Still interrupted a lot'];
    for (const [i, rating] of [4, 5, 2].entries()) await answer(paths[i]!, ids, [rating], comments[i]);

    const leaderOpen = textOf((await (await as('leader')).get(`/reports/${round.roundId}`)).html);
    assert.match(leaderOpen, /Check-back open until 19 January 2027\. 3 of 5 answered so far\./);
    const managerOpen = textOf((await (await as('manager')).get(`/reports/${round.roundId}`)).html);
    assert.match(managerOpen, /Check-back open until 19 January 2027\./);
    assert.ok(!managerOpen.includes('answered so far'), 'the manager sees no participation while open');
    assert.ok(!managerOpen.includes('3.7'), 'and no figure');

    clock.set('2027-01-20T09:00:00Z');
    assert.equal(await closeRound(db(), checkBack!.id, { clock, config: app().config }), true);
    for (const who of ['leader', 'manager'] as const) {
      const report = textOf((await (await as(who)).get(`/reports/${round.roundId}`)).html);
      assert.match(
        report,
        /Protect focus time .*Check-back, closed 20 January 2027 \(3 of 5 answered\): 3\.7 · 67% favourable · 3 answers/,
      );
      for (const comment of comments) assert.ok(report.includes(comment), `the ${who} reads "${comment}"`);
    }
    const closed = await outbox(db(), { name: 'round-closed', to: people().leader.email });
    const email = closed.find((row) => row.text.includes(`/reports/${round.roundId}#focus-points`));
    assert.ok(email, "the leader's email leads to the round's report");
    assert.match(email.subject, /The check-back about Mira Manager has closed/);

    // The check-back's own address leads to the round's report; its report tools do not exist.
    const leader = await as('leader');
    const own = await leader.get(`/reports/${checkBack!.id}`);
    assert.equal(own.status, 303);
    assert.equal(own.location, `/reports/${round.roundId}#focus-points`);
    assert.equal((await leader.get(`/reports/${checkBack!.id}/release`)).status, 404);
    assert.equal((await (await as('stranger')).get(`/reports/${checkBack!.id}`)).status, 404);
  });

  it('shows "not enough answers" for a statement fewer than its threshold rated, and no figure nor comment below it', async () => {
    clock.set(`${TODAY}T09:00:00Z`);
    const round = await released(['Protect focus time', 'Share the plan early']);
    assert.equal((await launch(round.roundId)).status, 303);
    const [checkBack] = await checkBacksOf(round.roundId);
    const { paths, questions } = await linksOf(checkBack!.id);
    const ids = questions.map((q) => q.id);
    // Three answered; one found the second statement not applicable, so two rated it.
    await answer(paths[0]!, ids, [5, 4], 'First comment');
    await answer(paths[1]!, ids, [4, 2], 'Second comment');
    const client = new TestClient(app().url);
    await client.get(paths[2]!);
    assert.equal((await client.post(paths[2]!, { [`q-${ids[0]}`]: '3', [`q-${ids[1]}`]: 'na' })).status, 200);
    clock.set('2027-01-20T09:00:00Z');
    assert.equal(await closeRound(db(), checkBack!.id, { clock, config: app().config }), true);
    const report = textOf((await (await as('manager')).get(`/reports/${round.roundId}`)).html);
    assert.match(report, /Protect focus time .*\(3 of 5 answered\): 4\.0 · 67% favourable · 3 answers/);
    assert.match(report, /Share the plan early .*\(3 of 5 answered\): not enough answers/);
    assert.ok(!report.includes('First comment'), 'two comments are fewer than its threshold: none is shown');
  });

  it('shows "not enough answers" and no comment when fewer than its threshold answered', async () => {
    clock.set(`${TODAY}T09:00:00Z`);
    const round = await released();
    assert.equal((await launch(round.roundId)).status, 303);
    const [checkBack] = await checkBacksOf(round.roundId);
    const { paths, questions } = await linksOf(checkBack!.id);
    const ids = questions.map((q) => q.id);
    await answer(paths[0]!, ids, [5], 'Only two of us answered');
    await answer(paths[1]!, ids, [4], 'A second comment');
    clock.set('2027-01-20T09:00:00Z');
    assert.equal(await closeRound(db(), checkBack!.id, { clock, config: app().config }), true);
    for (const who of ['leader', 'manager'] as const) {
      const report = textOf((await (await as(who)).get(`/reports/${round.roundId}`)).html);
      assert.match(report, /Check-back, closed 20 January 2027 \(2 of 5 answered\): not enough answers/);
      assert.ok(!report.includes('Only two of us answered'), 'no comment is shown');
      assert.ok(!/favourable · /.test(report), 'no figure is shown');
    }
  });

  it('takes the team pasted again once the addresses are gone, with the request form’s checks, then launches to it', async () => {
    clock.set(`${TODAY}T09:00:00Z`);
    const round = await released();
    await db().updateTable('invitations').set({ email: null }).where('request_id', '=', round.roundId).execute();
    await db()
      .updateTable('feedback_requests')
      .set({ invitees_purged_at: clock.now() })
      .where('id', '=', round.roundId)
      .execute();
    const leaderPage = textOf((await (await as('leader')).get(`/reports/${round.roundId}/check-back`)).html);
    assert.match(leaderPage, /Waiting for Mira Manager to add the team again/);
    assert.equal((await launch(round.roundId)).status, 409, 'there is nobody to send it to');
    const report = textOf((await (await as('manager')).get(`/reports/${round.roundId}`)).html);
    assert.match(report, /Add the team again/);

    const manager = await as('manager');
    const team = (invitees: string) => post(manager, `/reports/${round.roundId}/check-back/team`, { invitees });
    const cases: Array<[string, RegExp]> = [
      ['ann@example.com\nnot-an-address', /Line 2: “not-an-address” is not an email address\./],
      ['ann@example.com, bob@example.com', /Invite at least 3 people \(you listed 2\)/],
      [`ann@example.com, bob@example.com, ${people().leader.email}`, /Your leader is also in the team list/],
      [`ann@example.com, bob@example.com, ${people().manager.email}`, /reaches your own inbox/],
    ];
    for (const [typed, message] of cases) {
      const refused = await team(typed);
      assert.equal(refused.status, 422, typed);
      assert.match(textOf(refused.html), message);
      assert.match(refused.html, /<textarea id="invitees"[^>]*aria-invalid="true"[^>]*>/, 'marked beside the field');
      assert.ok(refused.html.includes(typed.split('\n')[0]!), 'what was typed is kept');
    }
    assert.equal((await checkBacksOf(round.roundId)).length, 0, 'nothing stored');

    const pasted = ['ann@example.com', 'bob@example.com', 'cy@example.com', 'di@example.com'];
    const saved = await team([...pasted, 'Ann <ANN@example.com>'].join('\n'));
    assert.equal(saved.status, 303);
    const [waiting] = await checkBacksOf(round.roundId);
    assert.equal(waiting!.status, 'submitted');
    assert.equal((await (await as('leader')).get(`/collect/${waiting!.id}`)).status, 404, 'not a request to review');
    const waitingPage = textOf((await (await as('leader')).get(`/reports/${round.roundId}/check-back`)).html);
    assert.match(waitingPage, /Send to 4 team members/);

    await db().deleteFrom('email_outbox').execute();
    assert.equal((await launch(round.roundId)).status, 303);
    const [launched] = await checkBacksOf(round.roundId);
    assert.equal(launched!.id, waiting!.id, 'the waiting check-back is the one launched');
    assert.equal(launched!.status, 'open');
    const queued = await outbox(db(), { name: 'check-back-invitation' });
    assert.deepEqual(queued.map((row) => row.to_address).sort(), pasted);
  });

  it('is no request in the manager’s list; the leader follows it on its own page', async () => {
    clock.set(`${TODAY}T09:00:00Z`);
    const round = await released();
    assert.equal((await launch(round.roundId)).status, 303);
    const [checkBack] = await checkBacksOf(round.roundId);
    const manager = await as('manager');
    const list = await manager.get('/requests');
    assert.equal(list.status, 200);
    assert.ok(list.html.includes(round.roundId), 'the round is listed');
    assert.ok(!list.html.includes(checkBack!.id), 'the check-back is not');
    assert.equal((await manager.get(`/requests/${checkBack!.id}`)).status, 404);
    const followed = await (await as('leader')).get(`/collect/${checkBack!.id}`);
    assert.equal(followed.status, 200);
    assert.match(textOf(followed.html), /Check-back: Mira Manager/);
    assert.match(textOf(followed.html), /0 of 5/);
  });
});
