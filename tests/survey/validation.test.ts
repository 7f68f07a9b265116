// Mistakes and forgeries on the survey form, over HTTP on both databases: a missing answer
// comes back beside its question with everything kept; a forged post stores nothing and
// never fails with a 500; twenty simultaneous posts of one link store one response.
import { it, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { TestClient, textOf } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { type SurveyRound, surveyRound } from '../helpers/factories.ts';
import { ballotCount, fullAnswers, storedFor } from './survey-helpers.ts';

describeEachDatabase('the survey form', (database) => {
  let client: TestClient;
  const db = () => database().db;
  const { app } = useTestApp(database, { clock: new ManualClock('2026-11-05T10:00:00Z') });

  before(async () => {
    client = new TestClient(app().url);
  });

  async function assertNothingStored(round: SurveyRound) {
    assert.equal((await storedFor(db(), round.request.id)).responses.length, 0, 'no response stored');
    assert.equal(await ballotCount(db(), round.request.id), 5, 'every ballot intact');
  }

  it('brings the page back with every answer kept and each error beside its question', async () => {
    const round = await surveyRound(db());
    const [first, second, choice, comment] = round.questions.map((q) => `q-${q.id}`);
    const page = await client.post(round.path(), {
      [second!]: '2',
      [choice!]: '1',
      [comment!]: 'Kept <b>as typed</b> & whole',
    });
    assert.equal(page.status, 422);
    const text = textOf(page.html);
    assert.match(text, /Some answers need another look/);
    assert.match(
      page.html,
      new RegExp(`<a href="#${first}-1">Question 1: Choose how much you agree, or “Not applicable”\\.</a>`),
    );
    assert.match(page.html, /<title>Error: Feedback about Morgan Manager · Upward<\/title>/);
    // The error sits inside the question's group, which points to it.
    assert.match(
      page.html,
      new RegExp(
        `<fieldset class="question question--error" aria-describedby="${first}-error">\\s*<legend><span class="question__number">Question 1 of 4</span> [^<]+</legend>\\s*<p class="field-error" id="${first}-error">`,
      ),
    );
    // What was given stays given.
    assert.match(page.html, new RegExp(`id="${second}-2" name="${second}" value="2" checked>`));
    assert.match(page.html, new RegExp(`id="${choice}-1" name="${choice}" value="1" checked>`));
    assert.match(page.html, new RegExp(`>Kept &lt;b&gt;as typed&lt;/b&gt; &amp; whole</textarea>`));
    assert.equal((page.html.match(/ checked>/g) ?? []).length, 2);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    await assertNothingStored(round);

    // Fixing the mistake sends it.
    const fixed = await client.post(round.path(), {
      [first!]: '3',
      [second!]: '2',
      [choice!]: '1',
      [comment!]: 'Kept',
    });
    assert.equal(fixed.status, 200);
  });

  it('asks for something when nothing at all was answered', async () => {
    const round = await surveyRound(db());
    const page = await client.post(round.path(), {});
    assert.equal(page.status, 422);
    assert.match(textOf(page.html), /Question 1: Choose how much you agree.*Question 2: Choose how much you agree/);
    await assertNothingStored(round);
  });

  it('stores nothing from forged posts and never fails with a 500', async () => {
    const round = await surveyRound(db());
    const other = await surveyRound(db());
    const valid = fullAnswers(round);
    const [agree, , choice, comment] = round.questions.map((q) => `q-${q.id}`);
    const forms: Array<Record<string, string>> = [
      ...['0', '6', '-1', 'abc', '', '4.5', ' 4', '1e0', 'NA'].map((value) => ({ ...valid, [agree!]: value })),
      { ...valid, [choice!]: '2' },
      { ...valid, [choice!]: '-1' },
      { ...valid, [choice!]: 'na' },
      { ...valid, [choice!]: 'Weekly' },
      { ...valid, [comment!]: 'x'.repeat(5_001) },
      { ...valid, [`q-${randomUUID()}`]: '3' },
      { ...valid, [`q-${other.questions[0]!.id}`]: '3' },
      { ...valid, 'q-not-a-uuid': '3' },
      { ...valid, constructor: '1', toString: '1' },
      { ...valid, _csrf: 'anything' },
    ];
    for (const form of forms) {
      const page = await client.post(round.path(), form);
      assert.ok([400, 422].includes(page.status), `${JSON.stringify(form).slice(0, 200)} gave ${page.status}`);
    }
    const raw = (body: string, type = 'application/x-www-form-urlencoded') =>
      client.request(round.path(), { method: 'POST', headers: { 'content-type': type }, body });
    const base = new URLSearchParams(valid).toString();
    const rawBodies: Array<[string, string?]> = [
      [`${base}&${agree}=5`],
      [`${base}&${comment}=second`],
      [`${base}&${agree}[]=5`],
      [`${base}&__proto__=x&__proto__[polluted]=1`],
      [JSON.stringify({ ...valid, [agree!]: 4 }), 'application/json'],
      [JSON.stringify({ ...valid, [agree!]: ['4'] }), 'application/json'],
      [JSON.stringify({ ...valid, [comment!]: { text: 'x' } }), 'application/json'],
      [JSON.stringify([valid]), 'application/json'],
      ['{not json', 'application/json'],
      [`${base}&${comment}=${'y'.repeat(120_000)}`],
      ['just text', 'text/plain'],
    ];
    for (const [body, type] of rawBodies) {
      const page = await raw(body, type);
      assert.ok(page.status >= 400 && page.status < 500, `${body.slice(0, 120)} gave ${page.status}`);
    }
    await assertNothingStored(round);
    // A value off the scale is shown beside its question, like any mistake.
    const offScale = await client.post(round.path(), { ...valid, [agree!]: '6' });
    assert.match(textOf(offScale.html), /Question 1: Choose one of the answers on the scale\./);
    const tooLong = await client.post(round.path(), { ...valid, [comment!]: 'x'.repeat(5_001) });
    assert.match(textOf(tooLong.html), /Question 4: Keep your answer to 5,000 characters or fewer\./);
    const unknown = await client.post(round.path(), { ...valid, [`q-${randomUUID()}`]: '3' });
    assert.match(textOf(unknown.html), /questions that are not in this survey, so nothing was saved/);
    // And the link still works for the real person.
    assert.equal((await client.post(round.path(), valid)).status, 200);
  });

  it('accepts a comment of exactly the limit, counting a line break once', async () => {
    const round = await surveyRound(db());
    const comment = `${'a'.repeat(2_499)}\r\n${'b'.repeat(2_500)}`;
    assert.equal((await client.post(round.path(), { ...fullAnswers(round), [round.field(3)]: comment })).status, 200);
    const { answers } = await storedFor(db(), round.request.id);
    assert.equal(answers.find((a) => a.text)!.text!.length, 5_000);
  });

  it('stores exactly one response when one link is sent twenty times at once', async () => {
    const round = await surveyRound(db());
    const body = new URLSearchParams(fullAnswers(round)).toString();
    const pages = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${app().url}${round.path()}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        }),
      ),
    );
    const statuses = pages.map((p) => p.status).sort();
    assert.deepEqual(statuses, [200, ...Array<number>(19).fill(410)]);
    const { responses, answers } = await storedFor(db(), round.request.id);
    assert.equal(responses.length, 1);
    assert.equal(answers.length, 4);
    assert.equal(await ballotCount(db(), round.request.id), 4);
  });

  it('thanks twenty people answering at the same moment and stores each response once', async () => {
    // Answers that arrive together are stored in one statement (src/db/fast-path/batches.ts).
    const rounds = await Promise.all([1, 2, 3, 4].map(() => surveyRound(db())));
    const sends = rounds.flatMap((round) => round.tokens.map((_, i) => ({ round, i })));
    const pages = await Promise.all(
      sends.map(({ round, i }) =>
        fetch(`${app().url}${round.path(i)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(fullAnswers(round, `Comment from link ${i}`)).toString(),
        }).then(async (page) => ({ status: page.status, text: await page.text() })),
      ),
    );
    assert.equal(pages.length, 20);
    assert.ok(pages.every((page) => page.status === 200 && /Thank you, your answers are in/.test(page.text)));
    for (const round of rounds) {
      const { responses, answers } = await storedFor(db(), round.request.id);
      assert.equal(responses.length, 5);
      assert.deepEqual(
        answers
          .map((a) => a.text)
          .filter(Boolean)
          .sort(),
        [0, 1, 2, 3, 4].map((i) => `Comment from link ${i}`),
      );
      assert.equal(await ballotCount(db(), round.request.id), 0);
    }
  });
});
