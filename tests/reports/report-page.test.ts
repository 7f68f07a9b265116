// What the report page shows: participation, strengths and focus areas, the fixture's figures
// with a chart and its text alternative, the change since the previous round, the threshold,
// and comments the leader hid.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { csrfOf, csrfTokenIn, textOf } from '../helpers/client.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { commentIds, createAnsweredRound, createUser, type RoundSpec } from '../helpers/factories.ts';

const SIX_STATEMENTS = [
  'Listens',
  'Follows up',
  'Explains why',
  'Shares credit',
  'Gives feedback',
  'Protects focus',
].map((prompt) => ({
  kind: 'agree' as const,
  prompt: `My manager: ${prompt}.`,
}));

describeEachDatabase('report page', (database) => {
  const { app, people, leader, manager } = useTestApp(database, {
    clock: new ManualClock('2026-12-01T09:00:00Z'),
    signIn: ['leader', 'manager'],
  });

  const round = (spec: Partial<RoundSpec> = {}) =>
    createAnsweredRound(database().db, { managerId: people().manager.id, leaderEmail: people().leader.email, ...spec });

  it("shows the leader participation, the fixture's figures and a chart with a text alternative", async () => {
    const { id, questionIds } = await round({
      invitees: [
        'a@example.com',
        'b@example.com',
        'c@example.com',
        'd@example.com',
        'e@example.com',
        'f@example.com',
        'g@example.com',
        'h@example.com',
      ],
    });
    const page = await leader().get(`/reports/${id}`);
    assert.equal(page.status, 200);
    const text = textOf(page.html);
    assert.match(text, /Participation 5 of 8 answered/);
    assert.match(page.html, /<rect class="meter__fill" width="63"/);
    // Statement 1: 2, 4, 4, 5, 5 → mean 4.0, one "disagree", two "agree", two "strongly agree".
    assert.match(text, /1\. My manager listens to me\. 4\.0 out of 5 80% favourable 5 answers/);
    const first = page.html.slice(page.html.indexOf(`id="q-${questionIds[0]}"`));
    assert.match(
      first,
      /<div class="chart"[^>]*role="img"[^>]*aria-label="Answers per option: Strongly disagree 0, Disagree 1, Neither agree nor disagree 0, Agree 2, Strongly agree 2\."/,
    );
    assert.match(
      first,
      /<div class="visually-hidden sr-table">\s*<table>\s*<caption>Answers per option: My manager listens to me\.<\/caption>/,
    );
    assert.match(
      textOf(first),
      /Strongly disagree 0 0% Disagree 1 20% Neither agree nor disagree 0 0% Agree 2 40% Strongly agree 2 40%/,
    );
    // The sides and the % favourable are in the table too: 1 of 5 disagrees, 4 of 5 agree.
    assert.match(textOf(first), /Disagree in all 1 20% Neutral in all 0 0% Agree in all \(favourable\) 4 80%/);
    assert.match(first, /role="img" aria-label="Disagree 1 \(20%\), neutral 0 \(0%\), agree 4 \(80%\)\."/);
    // Statement 2 had two answers and three "not applicable": fewer than k = 3.
    assert.match(text, /2\. My manager follows up on what I raise\. Not enough answers\./);
    // The choice question: Weekly 3, Monthly 1; no mean.
    assert.match(text, /3\. How often should we meet\? 4 answers .*Weekly 3 75% Monthly 1 25%/);
    assert.match(text, /4\. What should your manager keep doing\?/);
    for (const comment of ['Keep the weekly check-ins', 'More focus time', 'Clearer goals'])
      assert.ok(text.includes(comment), comment);
    assert.doesNotMatch(page.html, /style=/, 'no style attributes: the CSP forbids them');
  });

  it('names the three highest means as strengths and the three lowest as focus areas', async () => {
    const scores = [
      [5, 4, 3, 2, 1, 5],
      [5, 4, 3, 2, 2, 4],
      [4, 4, 3, 1, 1, 4],
    ];
    const { id } = await round({ questions: SIX_STATEMENTS, answers: scores });
    const text = textOf((await leader().get(`/reports/${id}`)).html);
    const strengths = /Strengths (.*?) Focus areas/.exec(text)![1];
    const focus = /Focus areas (.*?) Means are/.exec(text)![1];
    assert.equal(strengths, 'My manager: Listens. 4.7 My manager: Protects focus. 4.3 My manager: Follows up. 4.0');
    assert.equal(focus, 'My manager: Gives feedback. 1.3 My manager: Shares credit. 1.7 My manager: Explains why. 3.0');
  });

  it("shows the change since the manager's previous released round, matching statements word for word", async () => {
    // A manager of their own, so no other test's rounds count as "previous".
    const managerId = (await createUser(database().db)).id;
    const round = (spec: Partial<RoundSpec>) =>
      createAnsweredRound(database().db, { managerId, leaderEmail: people().leader.email, ...spec });
    // Earlier and released: 3, 3, 4, 4, 4 → 3.6 on statement 1; statement 2 suppressed there too.
    await round({ createdAt: '2026-05-01T09:00:00Z', status: 'released', answers: [[3, 'na'], [3], [4], [4], [4]] });
    // Later, but released below its threshold: never the comparison.
    await round({ createdAt: '2026-08-01T09:00:00Z', status: 'released', answers: [[1], [1]] });
    const { id } = await round({ createdAt: '2026-11-02T09:00:00Z' });
    const text = textOf((await leader().get(`/reports/${id}`)).html);
    assert.match(text, /My manager listens to me\. 4\.0 out of 5 80% favourable \+0\.4 since 15 May 2026/);
    assert.equal(text.match(/since 15 May 2026/g)!.length, 1, 'only statements with figures in both rounds');
  });

  it('gives the change between the means as shown, and calls it the same within ±0.1, as the overview does', async () => {
    const db = database().db;
    const changeOn = async (earlier: number[], later: number[]) => {
      const managerId = (await createUser(db)).id;
      const round = (spec: Partial<RoundSpec>) =>
        createAnsweredRound(db, { managerId, leaderEmail: people().leader.email, ...spec });
      await round({ createdAt: '2026-05-01T09:00:00Z', status: 'released', answers: earlier.map((a) => [a]) });
      const { id } = await round({ createdAt: '2026-11-02T09:00:00Z', answers: later.map((a) => [a]) });
      const html = (await leader().get(`/reports/${id}`)).html;
      return /<span class="change change--(\w+)">(\S+) since/.exec(html)!.slice(1);
    };
    // 2.25 is shown as 2.3 and 4.0 as 4.0: a reader works out +1.7, and so must the page.
    assert.deepEqual(await changeOn([2, 2, 2, 3], [4, 4, 4, 4, 4]), ['up', '+1.7']);
    // 3.6 to 3.7 reads "about the same" in the leader overview, so it does here too.
    assert.deepEqual(await changeOn([3, 4, 4, 4, 3], [4, 4, 4, 3, 3, 4, 4, 4, 3, 4]), ['same', '+0.1']);
  });

  it('shows nothing for a round below its threshold, to the leader too, and says so plainly', async () => {
    const { id } = await round({
      answers: [
        [5, 5, 0, 'Great'],
        [4, 4, 1, 'Fine'],
      ],
      threshold: 3,
    });
    const page = await leader().get(`/reports/${id}`);
    assert.equal(page.status, 200);
    assert.match(
      textOf(page.html),
      /closed on 16 November 2026 with 2 answers, fewer than 3, so no results can be shown, ever/,
    );
    assert.doesNotMatch(page.html, /<div class="chart"|Great|out of 5/);
    assert.equal((await leader().get(`/reports/${id}.csv`)).status, 404);
  });

  it('never shows the manager a hidden comment, and tells both how many are hidden', async () => {
    const db = database().db;
    const { id } = await round({ status: 'closed' });
    const hidden = (await commentIds(db, id)).find((c) => c.text === 'Clearer goals')!;
    const hide = await leader().post(`/reports/${id}/comments/${hidden.id}/hide`, {
      _csrf: await csrfOf(leader(), '/account'),
    });
    assert.equal(hide.status, 303);
    const leaderText = textOf((await leader().follow(hide)).html);
    assert.match(leaderText, /The comment is hidden/);
    assert.match(leaderText, /1 comment is hidden from Mira Manager/);
    assert.match(leaderText, /Clearer goals Hidden from Mira Manager Show comment \d of question 4 again/);

    // An answer id from another round is not this round's comment.
    const other = await round();
    const [foreign] = await commentIds(db, other.id);
    assert.equal(
      (
        await leader().post(`/reports/${id}/comments/${foreign!.id}/hide`, {
          _csrf: await csrfOf(leader(), '/account'),
        })
      ).status,
      404,
    );

    await db.updateTable('feedback_requests').set({ status: 'released' }).where('id', '=', id).execute();
    const managerPage = await manager().get(`/reports/${id}`);
    assert.equal(managerPage.status, 200);
    assert.doesNotMatch(managerPage.html, /Clearer goals/);
    assert.match(textOf(managerPage.html), /Leo Leader hid 1 comment because they could identify who wrote them/);
    assert.match(managerPage.html, /Keep the weekly check-ins/);
    assert.doesNotMatch(managerPage.html, /\/hide"|\/unhide"|name="notes"/, 'no leader tools for the manager');
  });

  it("carries each session's own CSRF token in every form, and the page's forms work", async () => {
    const { id } = await round({ status: 'released' });
    const other = (await signedInClient(app(), database().db, people().leader)).client;
    const [mine, theirs] = [await leader().get(`/reports/${id}`), await other.get(`/reports/${id}`)];
    const tokensIn = (html: string) => [...html.matchAll(/name="_csrf" value="([^"]*)"/g)].map((m) => m[1]);
    const forms = (mine.html.match(/<form method="post"/g) ?? []).length;
    assert.ok(forms >= 5, `hide forms, notes and a focus point: ${forms} forms`);
    assert.deepEqual(tokensIn(mine.html), Array(forms).fill(await csrfOf(leader(), '/account')));
    assert.deepEqual(tokensIn(theirs.html), Array(forms).fill(await csrfOf(other, '/account')));
    assert.notEqual(csrfTokenIn(mine.html), csrfTokenIn(theirs.html));

    const comment = (await commentIds(database().db, id)).find((c) => c.text === 'More focus time')!;
    const hidePath = `/reports/${id}/comments/${comment.id}/hide`;
    assert.equal(
      (await other.post(hidePath, { _csrf: csrfTokenIn(mine.html) })).status,
      403,
      "another session's token",
    );
    assert.match((await manager().get(`/reports/${id}`)).html, /More focus time/);
    assert.equal((await other.post(hidePath, { _csrf: csrfTokenIn(theirs.html) })).status, 303);
    assert.doesNotMatch((await manager().get(`/reports/${id}`)).html, /More focus time/);
  });
});
