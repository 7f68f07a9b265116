// The manager's self-assessment in the report (issue 19): never counted with the team (the
// Done-when test: a self-answer of 1 beside team answers of 5), set beside the team's mean
// with the gap, blind spots and hidden strengths listed with their rule, shown to the leader
// after close and to the manager only once the report is released.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { csrfTokenIn, textOf } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { addResponse, createOpenRound, type AnswerSpec, type QuestionSpec } from '../helpers/factories.ts';
import { findReportRound } from '../../src/reports/queries.ts';
import { loadReportPage } from '../../src/reports/page.ts';

const STATEMENTS: QuestionSpec[] = [
  { kind: 'agree', prompt: 'My manager listens to me.' },
  { kind: 'agree', prompt: 'My manager explains why.' },
  { kind: 'agree', prompt: 'My manager shares credit.' },
];

describeEachDatabase('the self-assessment in the report', (database) => {
  const db = () => database().db;
  const { people, manager, leader } = useTestApp(database, {
    clock: new ManualClock('2026-11-10T09:00:00Z'),
    signIn: ['manager', 'leader'],
  });

  /**
   * An open round of five invitees (threshold 3) in which the manager saves `self` through
   * the page and the team gives `team`; then the leader closes it through theirs.
   */
  async function closedRound(self: Array<string | undefined>, team: AnswerSpec[][]) {
    const round = await createOpenRound(db(), {
      managerId: people().manager.id,
      leaderEmail: people().leader.email,
      questions: STATEMENTS,
      threshold: 3,
    });
    const id = round.request.id;
    const page = await manager().get(`/requests/${id}/self-assessment`);
    const fields = Object.fromEntries(
      round.questions.flatMap((q, i) => (self[i] === undefined ? [] : [[`q-${q.id}`, self[i]]])),
    );
    const saved = await manager().post(`/requests/${id}/self-assessment`, { _csrf: csrfTokenIn(page.html), ...fields });
    assert.equal(saved.status, 303, 'the self-assessment is saved');
    const ids = round.questions.map((q) => q.id);
    for (const answers of team) await addResponse(db(), id, ids, answers);
    assert.equal((await leader().submit(`/collect/${id}/close`, {})).status, 303, 'the leader closes the round');
    return { id, ids };
  }

  const section = (html: string, id: string) => {
    const start = html.indexOf(`id="q-${id}"`);
    return textOf(html.slice(start, html.indexOf('</section>', start)));
  };

  it('never counts a self-answer of 1 with team answers of 5: mean, participation and threshold', async () => {
    // Statement 1: three team answers of 5 (k = 3 met). Statement 2: two team answers of 5 and
    // the manager's own, which must not make it three.
    const { id, ids } = await closedRound(
      ['1', '1', undefined],
      [
        [5, 5],
        [5, 5],
        [5, 'na'],
      ],
    );
    const report = await leader().get(`/reports/${id}`);
    assert.equal(report.status, 200);
    const text = textOf(report.html);
    assert.match(text, /Participation 3 of 5 answered/, 'the manager is not counted as a participant');
    const first = section(report.html, ids[0]!);
    assert.match(first, /5\.0 out of 5 100% favourable 3 answers/, "the team's mean is 5.0, of three answers");
    assert.match(first, /Team 5\.0 Mira Manager 1 Strongly disagree Gap −4\.0 hidden strength/);
    const second = section(report.html, ids[1]!);
    assert.match(second, /Not enough answers\. Fewer than 3 people answered/, 'the threshold is unaffected');
    assert.doesNotMatch(second, /Team|Gap/, 'a suppressed statement takes no part in the comparison');

    // What the report reads later, stored at close: the same three answers, the same suppression.
    const stored = await db()
      .selectFrom('round_results')
      .select(['figures', 'response_count'])
      .where('request_id', '=', id)
      .executeTakeFirst();
    if (stored) {
      assert.equal(stored.response_count, 3);
      const figures = (typeof stored.figures === 'string' ? JSON.parse(stored.figures) : stored.figures) as Array<{
        answered: number;
        suppressed: boolean;
      }>;
      assert.equal(figures[0]!.answered, 3, 'three answers to the first statement');
      assert.deepEqual(
        figures.slice(0, 2).map((f) => f.suppressed),
        [false, true],
        'the second statement stays suppressed',
      );
    }
    const counted = await db()
      .selectFrom('feedback_requests')
      .select('response_count')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(counted.response_count, 3);
  });

  it('keeps a round of two team answers below the threshold, whatever the manager answered', async () => {
    const { id } = await closedRound(
      ['5', '5', '5'],
      [
        [4, 4, 4],
        [4, 4, 4],
      ],
    );
    const report = textOf((await leader().get(`/reports/${id}`)).html);
    assert.match(report, /closed on 10 November 2026 with 2 answers, fewer than 3, so no results can be shown/);
    assert.doesNotMatch(report, /Blind spots|out of 5/, 'no figures at all, so no comparison either');
  });

  it('lists a blind spot and a hidden strength for the leader, with the rule, after close', async () => {
    // Team: 2, 2, 3 (2.3) against 5: +2.7; 5, 5, 4 (4.7) against 3: −1.7; 4, 4, 4 against 4: ±0.0.
    const { id, ids } = await closedRound(
      ['5', '3', '4'],
      [
        [2, 5, 4],
        [2, 5, 4],
        [3, 4, 4],
      ],
    );
    const report = await leader().get(`/reports/${id}`);
    const text = textOf(report.html);
    assert.match(text, /Mira Manager and the team/);
    assert.match(
      text,
      /A statement counts when the manager's own answer is at least 1\.0 point away from the team's mean as shown: higher is a blind spot, lower is a hidden strength\./,
    );
    assert.match(
      text,
      /Blind spots Rated clearly higher by Mira Manager than by the team\. My manager listens to me\. Self 5 · team 2\.3 · \+2\.7 Hidden strengths/,
    );
    assert.match(
      text,
      /Hidden strengths Rated clearly lower by Mira Manager than by the team\. My manager explains why\. Self 3 · team 4\.7 · −1\.7/,
    );
    assert.doesNotMatch(
      text.slice(text.indexOf('Blind spots'), text.indexOf('Question by question')),
      /shares credit/,
      'a statement the manager rates as the team does is in neither list',
    );
    assert.match(section(report.html, ids[2]!), /Team 4\.0 Mira Manager 4 Agree Gap ±0\.0/);
  });

  it('shows the manager the comparison only once the report is released', async () => {
    const { id } = await closedRound(
      ['5', '3', '4'],
      [
        [2, 5, 4],
        [2, 5, 4],
        [3, 4, 4],
      ],
    );
    const before = await manager().get(`/reports/${id}`);
    assert.equal(before.status, 200);
    const waiting = textOf(before.html);
    assert.doesNotMatch(
      waiting,
      /Blind spots|Hidden strengths|\+2\.7|2\.3/,
      'nothing of the comparison before release',
    );
    // Nor does the report's data for the manager hold it, whatever page would show it.
    const round = (await findReportRound(db(), id))!;
    const data = await loadReportPage(db(), {
      round,
      viewer: 'manager',
      threshold: 3,
      responses: 3,
      fallbackThreshold: 3,
    });
    assert.equal(data.selfComparison, null, 'not loaded for the manager before release');
    assert.ok(
      data.items.every((item) => item.type !== 'figures' || item.self === null),
      'no statement carries the self-answer',
    );
    const own = textOf((await manager().get(`/requests/${id}/self-assessment`)).html);
    assert.match(own, /My manager listens to me\. Strongly agree/, 'their own answers, always');
    assert.doesNotMatch(own, /2\.3|Blind spots/);

    const confirm = await leader().get(`/reports/${id}/release`);
    const released = await leader().post(`/reports/${id}/release`, { _csrf: csrfTokenIn(confirm.html) });
    assert.equal(released.status, 303);
    const after = textOf((await manager().get(`/reports/${id}`)).html);
    assert.match(after, /You and your team/);
    assert.match(
      after,
      /Blind spots Rated clearly higher by you than by the team\. My manager listens to me\. You 5 · team 2\.3 · \+2\.7/,
    );
    assert.match(after, /Team 2\.3 You 5 Strongly agree Gap \+2\.7 blind spot/);
    const link = (await manager().get(`/requests/${id}/self-assessment`)).html;
    assert.match(link, new RegExp(`href="/reports/${id}#self-comparison"`), 'their answers page links to it');
  });

  it('says nothing of a self-assessment the manager did not make', async () => {
    const { id } = await closedRound(
      [],
      [
        [4, 4, 4],
        [4, 4, 4],
        [4, 4, 4],
      ],
    );
    const text = textOf((await leader().get(`/reports/${id}`)).html);
    assert.match(text, /4\.0 out of 5/);
    assert.doesNotMatch(text, /Blind spots|Gap/);
  });
});
