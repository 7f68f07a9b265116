// The manager's self-assessment (issue 19): the invitation in the launch email, the card on
// the request page, the page that saves and edits the answers until the round closes and
// shows them read-only after, and what it never touches: the team's answers and their count.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { csrfTokenIn, textOf } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { addResponse, createOpenRound, leaderWithRequest, type QuestionSpec } from '../helpers/factories.ts';
import { outbox } from '../rounds/helpers.ts';

const QUESTIONS: QuestionSpec[] = [
  { kind: 'agree', prompt: 'My manager listens to me.', required: true },
  { kind: 'agree', prompt: 'My manager follows up on what I raise.', required: true },
  { kind: 'choice', prompt: 'How often should we meet?', required: true, choices: ['Weekly', 'Monthly'] },
  { kind: 'text', prompt: 'What should your manager keep doing?', required: false },
];

describeEachDatabase('the manager assesses themself', (database) => {
  const db = () => database().db;
  const clock = new ManualClock('2026-11-10T09:00:00Z');
  const { app, people, manager, leader } = useTestApp(database, {
    clock,
    signIn: ['manager', 'leader'],
  });

  const openRound = () =>
    createOpenRound(db(), {
      managerId: people().manager.id,
      leaderEmail: people().leader.email,
      questions: QUESTIONS,
      closesAt: new Date('2026-11-20T23:59:59Z'),
    });

  const selfRows = (requestId: string) =>
    db()
      .selectFrom('self_answers')
      .select(['question_id', 'value', 'not_applicable', 'text'])
      .where('request_id', '=', requestId)
      .execute();

  it('invites the manager by email at launch, with a link to the page', async () => {
    const { leader, request, manager } = await leaderWithRequest(app(), db());
    const confirm = await leader.get(`/collect/${request.id}/launch`);
    assert.equal(
      (await leader.post(`/collect/${request.id}/launch`, { _csrf: csrfTokenIn(confirm.html) })).status,
      303,
    );
    assert.ok(
      (await outbox(db(), { to: manager.email, name: 'request-launched' }))[0],
      'the manager is told of the launch',
    );
    const [mail] = await outbox(db(), { to: manager.email, name: 'self-assessment-invitation' });
    assert.ok(mail, 'and invited to assess themself');
    const link = `${app().url}/requests/${request.id}/self-assessment`;
    for (const part of [mail.text, mail.html]) {
      assert.ok(part.includes(link), 'both parts link to the self-assessment');
      assert.match(textOf(part), /answer the same questions about yourself, until/);
      assert.match(textOf(part), /never counted with your team/);
    }
  });

  it('saves the answers, shows them again to change, and replaces them on the next save', async () => {
    const round = await openRound();
    const id = round.request.id;
    const [q1, q2, q3, q4] = round.questions.map((q) => `q-${q.id}`) as [string, string, string, string];

    const card = textOf((await manager().get(`/requests/${id}`)).html);
    assert.match(card, /Assess yourself Not started · optional · until 20 November 2026/);

    const page = await manager().get(`/requests/${id}/self-assessment`);
    assert.equal(page.status, 200);
    const text = textOf(page.html);
    assert.match(text, /Your answers are not anonymous: your leader sees them beside your team’s\./);
    assert.match(text, /Question 1 of 4 My manager listens to me\. \(optional\)/, 'every question is optional');
    assert.match(text, /Not applicable/);
    assert.match(text, /Weekly/);

    const saved = await manager().post(`/requests/${id}/self-assessment`, {
      _csrf: csrfTokenIn(page.html),
      [q1]: '4',
      [q2]: 'na',
      [q3]: '1',
      [q4]: 'Weekly one-on-ones',
    });
    assert.equal(saved.status, 303);
    assert.equal(saved.location, `/requests/${id}?self=saved`);
    const after = textOf((await manager().follow(saved)).html);
    assert.match(after, /Your self-assessment is saved\. You can change it until the round closes\./);
    assert.match(after, /Saved on 10 November 2026/);

    const again = await manager().get(`/requests/${id}/self-assessment`);
    assert.match(again.html, new RegExp(`id="${q1}-4" name="${q1}" value="4" checked`), 'the saved agree answer');
    assert.match(again.html, new RegExp(`id="${q2}-na" name="${q2}" value="na" checked`), 'not applicable');
    assert.match(again.html, new RegExp(`id="${q3}-1" name="${q3}" value="1" checked`), 'the chosen option');
    assert.match(again.html, />Weekly one-on-ones<\/textarea>/);

    // Saving again replaces: a question left blank loses its earlier answer.
    const replaced = await manager().post(`/requests/${id}/self-assessment`, {
      _csrf: csrfTokenIn(again.html),
      [q1]: '2',
      [q4]: '',
    });
    assert.equal(replaced.status, 303);
    const rows = await selfRows(id);
    assert.deepEqual(
      rows.map((r) => [r.question_id, r.value, r.not_applicable, r.text]),
      [[round.questions[0]!.id, 2, false, null]],
    );

    // Never with the team's answers, nor counted with them.
    const sealed = await db().selectFrom('sealed_responses').select('id').where('request_id', '=', id).execute();
    assert.equal(sealed.length, 0, 'no sealed response was written');
    const leaderPage = textOf((await leader().get(`/collect/${id}`)).html);
    assert.match(leaderPage, /0 of 5/, "the leader's live count does not count the manager");
  });

  it('keeps what was typed, with the error beside it, when an answer is off the scale', async () => {
    const round = await openRound();
    const id = round.request.id;
    const field = `q-${round.questions[0]!.id}`;
    const page = await manager().get(`/requests/${id}/self-assessment`);
    const refused = await manager().post(`/requests/${id}/self-assessment`, {
      _csrf: csrfTokenIn(page.html),
      [field]: '9',
      [`q-${round.questions[3]!.id}`]: 'Kept as typed',
    });
    assert.equal(refused.status, 422);
    assert.match(textOf(refused.html), /Choose one of the answers on the scale\./);
    assert.match(refused.html, />Kept as typed<\/textarea>/);
    assert.deepEqual(await selfRows(id), [], 'nothing is saved');
  });

  it('shows the answers read-only once the round has closed, and refuses to change them', async () => {
    const round = await openRound();
    const id = round.request.id;
    const q1 = `q-${round.questions[0]!.id}`;
    const page = await manager().get(`/requests/${id}/self-assessment`);
    await manager().post(`/requests/${id}/self-assessment`, { _csrf: csrfTokenIn(page.html), [q1]: '5' });
    for (let i = 0; i < 3; i++)
      await addResponse(
        db(),
        id,
        round.questions.map((q) => q.id),
        [4, 4, 0],
      );
    assert.equal((await leader().submit(`/collect/${id}/close`, {})).status, 303);

    const closed = await manager().get(`/requests/${id}/self-assessment`);
    assert.equal(closed.status, 200);
    const text = textOf(closed.html);
    assert.match(text, /The round has closed, so these can no longer be changed\./);
    assert.match(text, /My manager listens to me\. Strongly agree/);
    assert.match(text, /My manager follows up on what I raise\. Not answered/);
    assert.match(text, /once .+ releases the report/);
    assert.doesNotMatch(closed.html, /<form method="post" novalidate/, 'no form to change them');
    assert.doesNotMatch(text, /4\.0|Blind spots|team \d/, 'no team figure before the release');

    const refused = await manager().post(`/requests/${id}/self-assessment`, {
      _csrf: csrfTokenIn(page.html),
      [q1]: '1',
    });
    assert.equal(refused.status, 409, 'the round moved on');
    assert.match(textOf(refused.html), /The round has closed, so your self-assessment can no longer be changed\./);
    assert.deepEqual(
      (await selfRows(id)).map((r) => r.value),
      [5],
      'the answer stays as saved',
    );
    assert.match(
      textOf((await manager().get(`/requests/${id}`)).html),
      /Your self-assessment \(saved on 10 November 2026\)/,
    );
  });

  it('stops taking changes at the closing moment, before the job has closed the round', async () => {
    clock.set('2026-11-10T09:00:00Z');
    const round = await createOpenRound(db(), {
      managerId: people().manager.id,
      leaderEmail: people().leader.email,
      questions: QUESTIONS,
      closesAt: new Date('2026-11-10T09:10:00Z'),
    });
    const id = round.request.id;
    const q1 = `q-${round.questions[0]!.id}`;
    const page = await manager().get(`/requests/${id}/self-assessment`);
    assert.equal(
      (await manager().post(`/requests/${id}/self-assessment`, { _csrf: csrfTokenIn(page.html), [q1]: '5' })).status,
      303,
    );
    // A minute after the closing moment: the team's links no longer take answers, and the
    // round is still "open" until its job runs.
    clock.set('2026-11-10T09:11:00Z');
    try {
      const shown = await manager().get(`/requests/${id}/self-assessment`);
      assert.equal(shown.status, 200);
      assert.match(textOf(shown.html), /The round has closed, so these can no longer be changed\./);
      assert.doesNotMatch(shown.html, /<form method="post" novalidate/, 'no form to change them');
      const refused = await manager().post(`/requests/${id}/self-assessment`, {
        _csrf: csrfTokenIn(page.html),
        [q1]: '1',
      });
      assert.equal(refused.status, 409);
      assert.deepEqual(
        (await selfRows(id)).map((r) => r.value),
        [5],
        'the answer stays as it was at the closing moment',
      );
    } finally {
      clock.set('2026-11-10T09:00:00Z');
    }
  });

  it('has no page before the round is launched', async () => {
    const { request } = await leaderWithRequest(app(), db(), { managerId: people().manager.id });
    assert.equal((await manager().get(`/requests/${request.id}/self-assessment`)).status, 404);
  });
});
