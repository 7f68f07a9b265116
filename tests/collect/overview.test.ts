// The leader's overview on /collect: one entry per manager with the latest round's state and
// participation, which way each statement moved since the previous round, totals across
// teams that leave out every team below k, and links to the report once a round closed.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { checkBackOfPoint } from '../helpers/check-backs.ts';
import { t } from '../../src/i18n/translate.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { textOf } from '../helpers/client.ts';
import { signedInClient } from '../helpers/sessions.ts';
import {
  addResponse,
  createAnsweredRound,
  createFocusPoint,
  createOpenRound,
  createRequest,
  createUser,
  type AnswerSpec,
  type QuestionSpec,
  uniqueTag,
} from '../helpers/factories.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { leftOutSentence } from '../../src/collect/overview/view.ts';
import { changeBetween } from '../../src/domain/request-life.ts';

const agree = (prompt: string): QuestionSpec => ({ kind: 'agree', prompt, required: false });

/** The visible text of one manager's entry in "Your teams". */
function entryOf(html: string, name: string): string {
  const entries = html
    .split('<li class="card">')
    .slice(1)
    .map((part) => part.split('<h2')[0]!);
  const found = entries.filter((entry) => entry.includes(`>${name}</a></h3>`));
  assert.equal(found.length, 1, `${name} has exactly one entry`);
  return textOf(found[0]!);
}

describeEachDatabase('the leader overview', (database) => {
  const db = () => database().db;
  const { app } = useTestApp(database, { clock: new ManualClock('2026-12-01T09:00:00Z') });

  async function leaderAndManagers(count: number) {
    const t = uniqueTag();
    const leaderUser = await createUser(db(), { email: `leader-${t}@example.com`, name: `Leo ${t}` });
    const { client } = await signedInClient(app(), db(), leaderUser);
    const managers = [];
    for (let i = 0; i < count; i++)
      managers.push(await createUser(db(), { email: `m${i}-${t}@example.com`, name: `Manager ${i} ${t}` }));
    return { leader: client, leaderEmail: leaderUser.email, managers };
  }

  it('lists each manager once with the latest round, and which way each statement moved', async () => {
    const { leader, leaderEmail, managers } = await leaderAndManagers(3);
    const [mira, otto, sue] = managers as [(typeof managers)[0], (typeof managers)[0], (typeof managers)[0]];
    const questions = [
      agree('My manager listens to me.'),
      agree('My manager follows up.'),
      agree('My manager explains why.'),
      agree('My manager gives credit.'),
      { kind: 'choice', prompt: 'How often should we meet?', choices: ['Weekly', 'Monthly'] } satisfies QuestionSpec,
    ];
    // Hand-made: listens 2.33 → 4.33 (up), follows up 4.67 → 2.33 (down: shown as 4.7 and 2.3,
    // so −2.4, the difference a reader works out, not the −2.3 of the unrounded means), explains why
    // 3.67 → 3.67 (same), gives credit one answer in the first round (suppressed) → none.
    const first = await createAnsweredRound(db(), {
      managerId: mira.id,
      leaderEmail,
      questions,
      createdAt: '2026-09-01T09:00:00Z',
      answers: [
        [2, 5, 3, 4, 0],
        [2, 5, 4, 'na', 1],
        [3, 4, 4, undefined, 0],
      ],
    });
    const latest = await createAnsweredRound(db(), {
      managerId: mira.id,
      leaderEmail,
      questions,
      createdAt: '2026-11-02T09:00:00Z',
      answers: [
        [4, 2, 4, 4, 0],
        [4, 3, 4, 4, 1],
        [5, 2, 3, 4, 1],
      ],
    });
    const open = await createOpenRound(db(), {
      managerId: otto.id,
      leaderEmail,
      invitees: ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com'],
    });
    await addResponse(
      db(),
      open.request.id,
      open.questions.map((q) => q.id),
      [4, 4, 0],
    );
    await createRequest(db(), { managerId: sue.id, leaderEmail });

    const page = await leader.get('/collect');
    assert.equal(page.status, 200);
    assert.equal(page.html.match(/<h3><a href="\/collect\//g)?.length, 3, 'one entry per manager');

    const miraEntry = entryOf(page.html, mira.display_name!);
    assert.match(miraEntry, /^Manager 0 \S+ Closed Closed 16 November 2026/);
    assert.match(miraEntry, /3 of 5 answered/);
    assert.match(miraEntry, /Since the round that closed on 15 September 2026/);
    assert.match(miraEntry, /My manager listens to me\. ▲ Up \(\+2\.0\)/);
    assert.match(miraEntry, /My manager follows up\. ▼ Down \(−2\.4\)/);
    assert.match(miraEntry, /My manager explains why\. ● About the same \(±0\.0\)/);
    assert.match(miraEntry, /My manager gives credit\. Not compared: too few answers to it in the previous round\./);
    assert.doesNotMatch(miraEntry, /How often should we meet/, 'only statements on the agree scale have a direction');
    // The symbol is decoration for sighted readers; the word carries the meaning.
    assert.match(page.html, /<span aria-hidden="true">▲<\/span> Up/);
    assert.ok(page.html.includes(`href="/reports/${latest.id}"`));

    const ottoEntry = entryOf(page.html, otto.display_name!);
    assert.match(ottoEntry, /Open: collecting answers/);
    assert.match(ottoEntry, /1 of 4 answered/, 'the live count of an open round');
    assert.match(ottoEntry, /Changes show once this round has closed/);
    assert.ok(!page.html.includes(`href="/reports/${open.request.id}"`));

    const sueEntry = entryOf(page.html, sue.display_name!);
    assert.match(sueEntry, /Waiting for you to review and launch/);
    assert.doesNotMatch(sueEntry, /answered/);

    // The earlier round is still listed, with its own link and report.
    const table = textOf(page.html.split('<h2>Earlier requests</h2>')[1]!);
    assert.match(
      table,
      new RegExp(
        `${mira.display_name} Closed Closed 15 September 2026 .*3 of 5 answered .*Open the report for ${mira.display_name}, closed 15 September 2026`,
      ),
    );
    assert.ok(page.html.includes(`href="/collect/${first.id}"`));
    assert.ok(page.html.includes(`href="/reports/${first.id}"`));
  });

  it('shows after each last round the one-on-one planned or held, the open focus points and the next round', async () => {
    const { leader, leaderEmail, managers } = await leaderAndManagers(4);
    const [mira, otto, sue, tim] = managers as [
      (typeof managers)[0],
      (typeof managers)[0],
      (typeof managers)[0],
      (typeof managers)[0],
    ];
    const meeting = (requestId: string, startsAt: string, cancelledAt: string | null = null) =>
      db()
        .insertInto('one_on_ones')
        .values({
          request_id: requestId,
          starts_at: new Date(startsAt),
          cancelled_at: cancelledAt ? new Date(cancelledAt) : null,
          created_at: new Date('2026-11-20T09:00:00Z'),
          updated_at: new Date('2026-11-20T09:00:00Z'),
        })
        .execute();
    // Mira: released, the meeting ahead, two points open of three, the next round set.
    const miras = await createAnsweredRound(db(), { managerId: mira.id, leaderEmail, status: 'released' });
    await meeting(miras.id, '2026-12-04T14:30:00Z');
    await createFocusPoint(db(), miras.id, { text: 'Share the roadmap monthly', followUpOn: '2027-01-15' });
    await createFocusPoint(db(), miras.id, { text: 'Protect focus time', followUpOn: '2026-12-20' });
    const done = await createFocusPoint(db(), miras.id, { text: 'Already sorted' });
    await db().updateTable('focus_points').set({ done_at: new Date() }).where('id', '=', done.id).execute();
    await db()
      .updateTable('feedback_requests')
      .set({ next_round_on: '2027-06-01' })
      .where('id', '=', miras.id)
      .execute();
    // Otto: closed, the meeting held, not released yet. Sue: her meeting was cancelled.
    const ottos = await createAnsweredRound(db(), { managerId: otto.id, leaderEmail });
    await meeting(ottos.id, '2026-11-25T10:00:00Z');
    const sues = await createAnsweredRound(db(), { managerId: sue.id, leaderEmail, status: 'released' });
    await meeting(sues.id, '2026-12-10T10:00:00Z', '2026-11-28T10:00:00Z');
    // Tim: a follow-up round is open; what followed his released round is shown, named.
    const tims = await createAnsweredRound(db(), {
      managerId: tim.id,
      leaderEmail,
      status: 'released',
      createdAt: '2026-06-01T09:00:00Z',
    });
    await db()
      .updateTable('feedback_requests')
      .set({ next_round_on: '2026-11-30' })
      .where('id', '=', tims.id)
      .execute();
    await createOpenRound(db(), { managerId: tim.id, leaderEmail, invitees: ['a@example.com', 'b@example.com'] });

    const page = await leader.get('/collect');
    const miraEntry = entryOf(page.html, mira.display_name!);
    assert.match(
      miraEntry,
      /One-on-one Planned for 4 December 2026 at 14:30 UTC Reply to the team Not sent yet Focus points 2 open, 1 done Next round 1 June 2027/,
    );
    assert.match(
      miraEntry,
      /Focus points Protect focus time Follow up on 20 December 2026 Share the roadmap monthly Follow up on 15 January 2027 Already sorted Done · Follow up on 15 January 2027/,
    );
    assert.match(
      entryOf(page.html, otto.display_name!),
      /One-on-one Held on 25 November 2026 at 10:00 UTC Reply to the team After the release Focus points After the release Next round Not planned/,
    );
    assert.match(
      entryOf(page.html, sue.display_name!),
      /One-on-one Not planned yet Reply to the team Not sent yet Focus points None agreed yet Next round Not planned/,
    );
    assert.match(
      entryOf(page.html, tim.display_name!),
      /After the round that closed on 15 June 2026 One-on-one Not planned yet Reply to the team Not sent yet Focus points None agreed yet Next round 30 November 2026/,
    );
  });

  it('shows whether the reply went to the team, and each focus point with its latest check-back', async () => {
    const { leader, leaderEmail, managers } = await leaderAndManagers(1);
    const mira = managers[0]!;
    const round = await createAnsweredRound(db(), { managerId: mira.id, leaderEmail, status: 'released' });
    await db()
      .insertInto('team_replies')
      .values({
        request_id: round.id,
        sent_at: new Date('2026-11-20T10:00:00Z'),
        created_at: new Date('2026-11-19T10:00:00Z'),
        updated_at: new Date('2026-11-20T10:00:00Z'),
      })
      .execute();
    const listens = await createFocusPoint(db(), round.id, { text: 'Listen first', followUpOn: '2026-11-25' });
    const credit = await createFocusPoint(db(), round.id, { text: 'Give credit', followUpOn: '2026-11-26' });
    const focus = await createFocusPoint(db(), round.id, { text: 'Protect focus time', followUpOn: '2026-11-27' });
    await createFocusPoint(db(), round.id, { text: 'Share the roadmap', followUpOn: '2027-01-15' });
    // A check-back is a round of its own kind; its statement points to the focus point it asks about.
    const checkBack = async (pointId: string, answers: AnswerSpec[], status: 'open' | 'closed') => {
      const spec = {
        managerId: mira.id,
        leaderEmail,
        questions: [agree('Since 20 November 2026, Mira has made progress on it')],
        invitees: ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com'],
        createdAt: '2026-11-25T09:00:00Z',
      };
      await checkBackOfPoint(db(), spec, { roundId: round.id, pointId }, answers, status);
    };
    await checkBack(listens.id, [5, 4, 4, 2], 'closed');
    // Four answered, but only two rated the statement (two said not applicable): below k, no figures.
    await checkBack(credit.id, [5, 'na', 'na', 4], 'closed');
    await checkBack(focus.id, [4], 'open');

    const page = await leader.get('/collect');
    assert.equal(page.html.match(/<h3><a href="\/collect\//g)?.length, 1, 'a check-back is never a team of its own');
    assert.doesNotMatch(page.html, /Earlier requests/, 'nor an earlier request');
    const entry = entryOf(page.html, mira.display_name!);
    assert.match(entry, /Closed, report released/, 'the latest round is still the released one');
    assert.match(entry, /Reply to the team Sent on 20 November 2026/);
    assert.match(
      entry,
      /Listen first Follow up on 25 November 2026 Check-back: 3\.8 out of 5, 75% favourable \(4 answers\)/,
    );
    assert.match(
      entry,
      /Give credit Follow up on 26 November 2026 Check-back: not enough answers to show \(fewer than 3\)/,
    );
    assert.match(
      entry,
      /Protect focus time Follow up on 27 November 2026 Check-back open until \d+ \w+ 2026: 1 of 4 answered/,
    );
    assert.match(entry, /Share the roadmap Follow up on 15 January 2027( This|$)/, 'no check-back yet');
  });

  it('compares only rounds that both met their threshold', async () => {
    const { leader, leaderEmail, managers } = await leaderAndManagers(1);
    const questions = [agree('My manager listens to me.')];
    await createAnsweredRound(db(), {
      managerId: managers[0]!.id,
      leaderEmail,
      questions,
      createdAt: '2026-09-01T09:00:00Z',
      answers: [[2], [2]],
    });
    await createAnsweredRound(db(), {
      managerId: managers[0]!.id,
      leaderEmail,
      questions,
      createdAt: '2026-11-02T09:00:00Z',
      answers: [[4], [4], [4]],
    });
    const entry = entryOf((await leader.get('/collect')).html, managers[0]!.display_name!);
    assert.match(entry, /The previous round had too few answers to compare with/);
    assert.doesNotMatch(entry, /▲|Up \(/);
  });

  it('leaves every team below k out of the totals, says so, and totals the others', async () => {
    const { leader, leaderEmail, managers } = await leaderAndManagers(5);
    const questions = [agree('The team is heard.'), agree('Priorities are clear.')];
    const round = (index: number, answers: Array<Array<number | 'na'>>) =>
      createAnsweredRound(db(), { managerId: managers[index]!.id, leaderEmail, questions, answers });
    // Heard: 4.0, 3.0, 4.67 (and 1.0 in the team below k); clear: 5.0, suppressed, 3.0.
    await round(0, [
      [4, 5],
      [4, 5],
      [5, 5],
      [3, 5],
    ]);
    await round(1, [
      [2, 4],
      [3, 'na'],
      [4, 'na'],
    ]);
    await round(2, [
      [5, 3],
      [5, 3],
      [4, 3],
    ]);
    await round(3, [
      [1, 1],
      [1, 1],
    ]);
    const open = await createOpenRound(db(), { managerId: managers[4]!.id, leaderEmail, questions });
    await addResponse(
      db(),
      open.request.id,
      open.questions.map((q) => q.id),
      [1, 1],
    );

    const text = textOf((await leader.get('/collect')).html);
    // By hand over the three teams that met k: 4 + 3 + 3 of 5 + 5 + 5; (4 + 3 + 4.67) / 3; (5 + 3) / 2.
    assert.match(text, /Across 3 teams: 10 of 15 answered\./);
    assert.match(text, /1 team with fewer than 3 answers is left out, so no team can be worked out by subtraction\./);
    assert.match(text, /1 team whose latest round has not closed yet is not counted\./);
    assert.match(text, /The team is heard\. 3\.9 out of 5, across 3 teams\./);
    assert.match(
      text,
      /Priorities are clear\. 4\.0 out of 5, across 2 teams\. 1 team with too few answers to this statement is left out\./,
    );
    // Had the team below k been counted: 12 of 20, and 3.2 for the first statement.
    assert.doesNotMatch(text, /12 of 20|3\.2 out of 5/);
    assert.match(
      entryOf((await leader.get('/collect')).html, managers[3]!.display_name!),
      /2 of 5 answered.*Fewer people answered than the round needed/,
    );
  });

  it('gives no totals for a single counted team', async () => {
    const { leader, leaderEmail, managers } = await leaderAndManagers(2);
    const questions = [agree('The team is heard.')];
    await createAnsweredRound(db(), { managerId: managers[0]!.id, leaderEmail, questions, answers: [[4], [4], [4]] });
    await createAnsweredRound(db(), { managerId: managers[1]!.id, leaderEmail, questions, answers: [[1], [1]] });
    const text = textOf((await leader.get('/collect')).html);
    assert.match(text, /Totals appear once at least two teams' latest rounds have closed with enough answers\./);
    assert.doesNotMatch(text, /Across 1 team|out of 5, across/);
  });

  it("never shows another leader's managers or rounds, nor counts them", async () => {
    const mine = await leaderAndManagers(1);
    const theirs = await leaderAndManagers(1);
    const shared = mine.managers[0]!;
    const questions = [agree('The team is heard.')];
    // The same manager asked another leader later: this leader keeps seeing only their own round.
    const own = await createAnsweredRound(db(), {
      managerId: shared.id,
      leaderEmail: mine.leaderEmail,
      questions,
      createdAt: '2026-09-01T09:00:00Z',
      answers: [[4], [4], [4]],
    });
    const other = await createAnsweredRound(db(), {
      managerId: shared.id,
      leaderEmail: theirs.leaderEmail,
      questions,
      createdAt: '2026-11-02T09:00:00Z',
      answers: [[1], [1], [1], [1]],
      invitees: ['p@example.com', 'q@example.com', 'r@example.com', 's@example.com', 't@example.com', 'u@example.com'],
    });
    await createAnsweredRound(db(), {
      managerId: theirs.managers[0]!.id,
      leaderEmail: theirs.leaderEmail,
      questions,
      answers: [[2], [2], [2]],
    });

    const page = await mine.leader.get('/collect');
    assert.equal(page.html.match(/<h3><a href="\/collect\//g)?.length, 1);
    assert.ok(!page.html.includes(theirs.managers[0]!.display_name!));
    assert.ok(!page.html.includes(other.id));
    const entry = entryOf(page.html, shared.display_name!);
    assert.match(entry, /3 of 5 answered/);
    assert.match(entry, /This is the first round/);
    assert.ok(page.html.includes(`href="/reports/${own.id}"`));
    assert.doesNotMatch(textOf(page.html), /Across|4 of 6/);
  });

  it('links to the report from a closed or released round, not from an open or waiting one', async () => {
    const { leader, leaderEmail, managers } = await leaderAndManagers(4);
    const closed = await createAnsweredRound(db(), { managerId: managers[0]!.id, leaderEmail });
    const released = await createAnsweredRound(db(), { managerId: managers[1]!.id, leaderEmail, status: 'released' });
    const open = await createAnsweredRound(db(), { managerId: managers[2]!.id, leaderEmail, status: 'open' });
    const { request: waiting } = await createRequest(db(), { managerId: managers[3]!.id, leaderEmail });

    for (const id of [closed.id, released.id]) {
      const page = await leader.get(`/collect/${id}`);
      assert.equal(page.status, 200);
      assert.match(page.html, new RegExp(`<a class="button" href="/reports/${id}">Open the report</a>`));
    }
    for (const id of [open.id, waiting.id]) {
      const page = await leader.get(`/collect/${id}`);
      assert.equal(page.status, 200);
      assert.doesNotMatch(page.html, /href="\/reports\//);
      assert.doesNotMatch(textOf(page.html), /Open the report|answers so far/);
    }
    const overview = await leader.get('/collect');
    assert.equal(overview.html.match(/href="\/reports\//g)?.length, 2);
  });

  it('says which way a mean moved, about the same within ±0.1 as printed, and who a total leaves out', () => {
    const same = changeBetween(3.6, 3.7, 'en');
    assert.deepEqual(same, { direction: 'same', symbol: '●', wordKey: 'change.same', amount: '+0.1' });
    assert.equal(t('en', same.wordKey), 'About the same');
    assert.equal(changeBetween(3.64, 3.5, 'en').direction, 'same');
    assert.equal(changeBetween(3.5, 3.65, 'en').direction, 'up');
    assert.equal(changeBetween(3.7, 3.5, 'en').direction, 'down');
    assert.equal(leftOutSentence(0, null, 'en'), null);
    assert.equal(
      leftOutSentence(2, { min: 3, max: 3 }, 'en'),
      '2 teams with fewer than 3 answers are left out, so no team can be worked out by subtraction.',
    );
    assert.equal(
      leftOutSentence(2, { min: 3, max: 5 }, 'en'),
      '2 teams with fewer answers than their rounds needed are left out, so no team can be worked out by subtraction.',
    );
  });
});
