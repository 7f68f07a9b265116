// A team member's survey at /s/<token>, over HTTP on both databases: what the page says,
// one submission per link, used / closed / unknown links, and answers kept on a mistake.
import { it, before } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { TestClient, textOf } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { randomToken } from '../../src/lib/tokens.ts';
import { surveyRound } from '../helpers/factories.ts';
import { ballotCount, fullAnswers, storedFor } from './survey-helpers.ts';

describeEachDatabase('the survey behind a link', (database) => {
  const clock = new ManualClock('2026-11-05T10:00:00Z');
  let client: TestClient;
  const db = () => database().db;
  const { app } = useTestApp(database, { clock });

  before(async () => {
    client = new TestClient(app().url);
  });

  it('says who asked, who collects, until when and what is stored, and spends nothing on GET', async () => {
    const round = await surveyRound(db(), { teamNote: 'Please be candid.\nIt helps Morgan.' });
    const page = await client.get(round.path());
    assert.equal(page.status, 200);
    const text = textOf(page.html);
    assert.match(text, /Feedback about Morgan Manager/);
    assert.match(text, /Who asked Morgan Manager/);
    assert.match(text, /Who collects Lee Leader/);
    assert.match(text, /Answer by 20 November 2026/);
    assert.match(text, /Please be candid\. It helps Morgan\./);
    assert.match(
      text,
      /stored with no link to you: not your name or email address, not this link, not when you answered, not your IP address or browser/,
    );
    assert.match(
      text,
      /Your email address is deleted 30 days after the round closes, or later while Morgan Manager still has to reply to the team or check back on what they said they would work on, but never more than 180 days after\./,
    );
    assert.match(text, /only if at least 3 people answered/);
    assert.match(text, /Until the round closes they stay sealed: encrypted, in rows all of one size/);
    assert.match(text, /not even a copy of the database shows them or who has answered/);
    assert.match(text, /shuffled among everyone else’s with nothing that groups yours/);
    assert.match(text, /If fewer than 3 people answered, only that number is kept: the answers are deleted unread/);
    assert.match(text, /comments word for word, shuffled among the others/);
    assert.match(text, /Nobody is shown who has answered and who has not/);
    assert.match(text, /Morgan Manager sees them once Lee Leader has talked them through and released them/);
    assert.match(text, /4 questions · about 2 minutes/);
    assert.match(text, /Question 1 of 4 My manager listens to me\.(?! \(optional\))/);
    assert.match(text, /Question 3 of 4 How often should we meet\? \(optional\)/);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    assert.doesNotMatch(page.html, /href="\/sign-in"/, 'a team member is not offered a sign-in');
    assert.equal(page.setCookies.length, 0, 'no cookie is set on a survey page');
    assert.equal(page.setCookies.length, 0, 'no session is started for a survey');

    assert.equal((await client.get(round.path())).status, 200, 'a second look shows the survey again');
    assert.equal(await ballotCount(db(), round.request.id), 5, 'opening a link spends nothing');
    assert.equal((await storedFor(db(), round.request.id)).responses.length, 0);
  });

  it("says a check-back's addresses are deleted after it closes, or sooner with its round's", async () => {
    const round = await surveyRound(db());
    await db()
      .updateTable('feedback_requests')
      .set({ kind: 'check-back' })
      .where('id', '=', round.request.id)
      .execute();
    const text = textOf((await client.get(round.path())).html);
    assert.match(
      text,
      /Your email address is deleted 30 days after this check-back closes, or sooner, when the addresses of the round it follows up on are deleted\./,
    );
    assert.doesNotMatch(text, /180 days/);
  });

  it('names a leader without an account by their address', async () => {
    const round = await surveyRound(db(), { leaderName: null });
    assert.match(
      textOf((await client.get(round.path())).html),
      new RegExp(`Who collects ${round.leaderEmail.replace(/\./g, '\\.')}`),
    );
  });

  it('shows the questions in order, as groups with legends and labelled controls', async () => {
    const round = await surveyRound(db());
    const { html } = await client.get(round.path());
    const [agree, , choice, comment] = round.questions;
    assert.ok(
      html.indexOf(agree!.prompt) < html.indexOf(choice!.prompt) &&
        html.indexOf(choice!.prompt) < html.indexOf(comment!.prompt),
    );
    for (const [value, label] of [
      ['1', 'Strongly disagree'],
      ['5', 'Strongly agree'],
      ['na', 'Not applicable'],
    ]) {
      assert.match(
        html,
        new RegExp(
          `<label class="option" for="q-${agree!.id}-${value}"><input type="radio" id="q-${agree!.id}-${value}" name="q-${agree!.id}" value="${value}"> <span>${label}</span></label>`,
        ),
      );
    }
    assert.match(
      html,
      new RegExp(`<legend><span class="question__number">Question 1 of 4</span> ${agree!.prompt.replace('.', '\\.')}`),
    );
    assert.match(html, new RegExp(`<label class="option" for="q-${choice!.id}-1"><input[^>]+> <span>Monthly</span>`));
    assert.match(
      html,
      new RegExp(
        `<textarea id="q-${comment!.id}" name="q-${comment!.id}" rows="3" maxlength="5000"\\s+aria-describedby="q-${comment!.id}-hint"`,
      ),
    );
    assert.match(textOf(html), /Shown word for word, shuffled among the others\. Up to 5,000 characters\./);
    assert.doesNotMatch(html, /<script/);
  });

  it('stores one response with its answers, thanks the person, then says the link was used', async () => {
    const round = await surveyRound(db());
    const sent = await client.post(round.path(), fullAnswers(round, 'Line one\r\nLine two  '));
    assert.equal(sent.status, 200);
    assert.equal(sent.location, null, 'no redirect carries the token');
    assert.match(textOf(sent.html), /Thank you, your answers are in/);
    assert.match(
      textOf(sent.html),
      /Lee Leader will see the combined results after the round closes on 20 November 2026, and only if at least 3 people answered/,
    );
    assert.equal(sent.headers.get('cache-control'), 'no-store');

    const { responses, answers } = await storedFor(db(), round.request.id);
    assert.equal(responses.length, 1);
    const byQuestion = new Map(answers.map((a) => [a.question_id, a]));
    assert.equal(answers.length, 4);
    assert.deepEqual(pick(byQuestion.get(round.questions[0]!.id)), { value: 4, not_applicable: false, text: null });
    assert.deepEqual(pick(byQuestion.get(round.questions[1]!.id)), { value: null, not_applicable: true, text: null });
    assert.deepEqual(pick(byQuestion.get(round.questions[2]!.id)), { value: 1, not_applicable: false, text: null });
    assert.deepEqual(pick(byQuestion.get(round.questions[3]!.id)), {
      value: null,
      not_applicable: false,
      text: 'Line one\nLine two',
    });
    assert.ok(answers.every((a) => a.response_id === responses[0]!.id));
    assert.equal(await ballotCount(db(), round.request.id), 4, 'only this link was spent');

    const again = await client.get(round.path());
    assert.equal(again.status, 410);
    assert.match(textOf(again.html), /This link has already been used/);
    assert.match(textOf(again.html), /thank you, your answers are in/i);
    const resent = await client.post(round.path(), fullAnswers(round));
    assert.equal(resent.status, 410);
    assert.equal((await storedFor(db(), round.request.id)).responses.length, 1, 'a second post stores nothing');
    assert.equal((await client.get(round.path(1))).status, 200, 'the other links still work');
  });

  it('skips unanswered optional questions', async () => {
    const round = await surveyRound(db());
    const sent = await client.post(round.path(), {
      [round.field(0)]: '1',
      [round.field(1)]: '5',
      [round.field(3)]: '   ',
    });
    assert.equal(sent.status, 200);
    const { answers } = await storedFor(db(), round.request.id);
    assert.deepEqual(answers.map((a) => a.question_id).sort(), [round.questions[0]!.id, round.questions[1]!.id].sort());
  });

  it('shows a closed round as closed, also once its closing time passed before the job ran', async () => {
    const closedRound = await surveyRound(db());
    await db()
      .updateTable('feedback_requests')
      .set({ status: 'closed', closed_at: new Date('2026-11-04T15:00:00Z') })
      .where('id', '=', closedRound.request.id)
      .execute();
    const closed = await client.get(closedRound.path());
    assert.equal(closed.status, 410);
    assert.match(textOf(closed.html), /This survey has closed.*The round closed on 4 November 2026/);
    assert.equal((await client.post(closedRound.path(), fullAnswers(closedRound))).status, 410);

    const lateRound = await surveyRound(db());
    const form = await client.get(lateRound.path());
    assert.equal(form.status, 200);
    clock.set('2026-11-21T00:00:00Z');
    try {
      const late = await client.get(lateRound.path());
      assert.equal(late.status, 410);
      assert.match(textOf(late.html), /The round closed on 20 November 2026/);
      const lateSend = await client.post(lateRound.path(), fullAnswers(lateRound));
      assert.equal(lateSend.status, 410);
      assert.equal((await storedFor(db(), lateRound.request.id)).responses.length, 0);
      assert.equal(await ballotCount(db(), lateRound.request.id), 5);
    } finally {
      clock.set('2026-11-05T10:00:00Z');
    }
  });

  it('gives unknown and malformed links the same page, apart from the request id', async () => {
    const round = await surveyRound(db());
    const pages = await Promise.all([
      client.get(`/s/${randomToken(16)}`),
      client.get(`/s/${round.tokens[0]!.slice(0, 20)}`),
      client.get('/s/not-a-link'),
      client.get(`/s/${'x'.repeat(300)}`),
      client.post(`/s/${randomToken(16)}`, fullAnswers(round)),
      client.post('/s/not-a-link', fullAnswers(round)),
    ]);
    const normalised = pages.map((p) => ({
      status: p.status,
      html: p.html.replaceAll(p.headers.get('x-request-id')!, 'REQUEST-ID'),
      cache: p.headers.get('cache-control'),
      type: p.headers.get('content-type'),
    }));
    assert.equal(normalised[0]!.status, 404);
    assert.match(textOf(normalised[0]!.html), /We do not recognise this link/);
    for (const page of normalised.slice(1)) assert.deepEqual(page, normalised[0]);
    assert.equal(await ballotCount(db(), round.request.id), 5);
  });

  it('a round that is not launched has no survey', async () => {
    const round = await surveyRound(db());
    await db()
      .updateTable('feedback_requests')
      .set({ status: 'submitted' })
      .where('id', '=', round.request.id)
      .execute();
    assert.equal((await client.get(round.path())).status, 404);
  });

  // The survey routes sit in front of the app's own body parsers and same-origin check
  // (app.ts), so they bring their own: these say that nothing was lost on the way.
  it('refuses answers sent from another site, spends nothing, and keeps the link working', async () => {
    const round = await surveyRound(db());
    await client.get(round.path());
    client.extraHeaders = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
    try {
      const crossSite = await client.post(round.path(), fullAnswers(round));
      assert.equal(crossSite.status, 403);
      assert.match(textOf(crossSite.html), /This form has expired/);
    } finally {
      client.extraHeaders = {};
    }
    assert.equal(await ballotCount(db(), round.request.id), 5, 'the link was not spent');
    assert.equal((await client.post(round.path(), fullAnswers(round))).status, 200, 'the person can still answer');
  });

  it('sends the security headers and starts no session on any survey address, also a mistyped one', async () => {
    const round = await surveyRound(db());
    for (const path of [round.path(), `${round.path()}/extra`, '/s/']) {
      const page = await client.get(path);
      assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/, path);
      assert.equal(page.headers.get('x-frame-options'), 'DENY', path);
      assert.equal(page.setCookies.length, 0, `${path} starts no session`);
    }
  });

  // Once a round's page has been opened, this process knows its questions, and a post that
  // answers them is stored in one round trip (routes.ts). These cover that path's way out.
  it('stores and thanks the same way once the round’s page has been opened', async () => {
    const round = await surveyRound(db(), { leaderName: null });
    assert.equal((await client.get(round.path())).status, 200);
    const sent = await client.post(round.path(1), fullAnswers(round));
    assert.equal(sent.status, 200);
    assert.match(
      textOf(sent.html),
      new RegExp(
        `${round.leaderEmail.replace(/[.]/g, '\\.')} will see the combined results after the round closes on 20 November 2026, and only if at least 3 people answered`,
      ),
      'a leader without an account is named by their address',
    );
    assert.equal((await storedFor(db(), round.request.id)).answers.length, 4);
    assert.equal((await client.post(round.path(1), fullAnswers(round))).status, 410, 'then the link is used');
    const mistaken = await client.post(round.path(2), {
      [round.field(0)]: '9',
      [round.field(3)]: 'Kept while I fix the rest',
    });
    assert.equal(mistaken.status, 422);
    assert.match(mistaken.html, /Kept while I fix the rest/);
    assert.equal((await storedFor(db(), round.request.id)).responses.length, 1);
  });

  it('stores nothing when a link’s post answers another round’s questions', async () => {
    const mine = await surveyRound(db());
    const other = await surveyRound(db());
    await client.get(mine.path());
    await client.get(other.path());
    const crossed = await client.post(mine.path(), fullAnswers(other));
    assert.equal(crossed.status, 422);
    assert.match(textOf(crossed.html), /answers to questions that are not in this survey/);
    assert.equal((await storedFor(db(), mine.request.id)).responses.length, 0);
    assert.equal((await storedFor(db(), other.request.id)).responses.length, 0);
    assert.equal(await ballotCount(db(), mine.request.id), 5);
    assert.equal(await ballotCount(db(), other.request.id), 5);
    assert.equal((await client.post(mine.path(), fullAnswers(mine))).status, 200, 'the link still works');

    const unknown = await client.post(`/s/${randomToken(16)}`, fullAnswers(other));
    assert.equal(unknown.status, 404);
    assert.equal((await storedFor(db(), other.request.id)).responses.length, 0);
  });

  it('gives everyone opening their link at the same moment their own page', async () => {
    // Links looked up together share one query (src/db/fast-path/batches.ts).
    const first = await surveyRound(db(), { teamNote: 'A note for the first team.' });
    const second = await surveyRound(db(), { teamNote: 'A note for the second team.' });
    assert.equal((await client.post(first.path(1), fullAnswers(first))).status, 200);
    const paths = [
      ...[0, 1, 2, 3, 4].map((i) => first.path(i)),
      ...[0, 1, 2, 3, 4].map((i) => second.path(i)),
      `/s/${randomToken(16)}`,
    ];
    const pages = await Promise.all(paths.map((path) => client.get(path)));
    const seen = pages.map((page) => {
      const text = textOf(page.html);
      return `${page.status} ${/first team/.test(text) ? 'first' : /second team/.test(text) ? 'second' : /already been used/.test(text) ? 'used' : /do not recognise/.test(text) ? 'unknown' : '?'}`;
    });
    assert.deepEqual(seen, [
      '200 first',
      '410 used',
      '200 first',
      '200 first',
      '200 first',
      ...Array(5).fill('200 second'),
      '404 unknown',
    ]);
  });
});

function pick(answer: { value: number | null; not_applicable: boolean; text: string | null } | undefined) {
  return answer && { value: answer.value, not_applicable: answer.not_applicable, text: answer.text };
}
