// The one-form editor: every button keeps what was typed, then adds, removes or moves a
// question, or saves the draft.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { textOf } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { managerWithDraft } from '../helpers/factories.ts';
import { formFields, pressOnEdit, TEAM } from './form-fields.ts';

describeEachDatabase('editing a request', (database) => {
  const db = () => database().db;
  const { app } = useTestApp(database, { clock: new ManualClock('2026-11-02T09:00:00Z') });
  const storedQuestions = (id: string) =>
    db()
      .selectFrom('request_questions')
      .select(['position', 'kind', 'prompt', 'required', 'choices'])
      .where('request_id', '=', id)
      .orderBy('position')
      .execute();
  const prompts = async (id: string) => (await storedQuestions(id)).map((q) => q.prompt);

  it('shows every detail and question in one form, each question a closed row with its own fieldset', async () => {
    const { client, id } = await managerWithDraft(app(), db(), 'pulse');
    const page = await client.get(`/requests/${id}/edit`);
    assert.equal(page.status, 200);
    assert.match(page.html, /<h1>Edit your request<\/h1>/);
    assert.equal((page.html.match(/<legend[^>]*>Question \d+<\/legend>/g) ?? []).length, 4);
    // A compact list: each written question is one closed row that names it and its kind.
    assert.equal((page.html.match(/<details class="question-edit">/g) ?? []).length, 4);
    assert.match(textOf(page.html), /1 I get the support I need from my manager\. Agree scale · required/);
    assert.match(textOf(page.html), /Free text · optional/);
    const fields = formFields(page.html);
    assert.equal(fields.closes_on, '2026-11-16');
    assert.equal(fields.kind_2, 'choice');
    assert.equal(fields.choices_2, 'Every week\nEvery two weeks\nEvery month\nLess often');
    assert.equal(fields.required_0, 'yes');
    assert.equal(fields.required_3, undefined, 'the free-text question is optional');
    assert.match(page.html, /<label for="leader_email">/);
    assert.match(page.html, /<input type="date" id="closes_on"/);
    assert.match(textOf(page.html), /Submit to your leader/);
  });

  it('saves the details, questions and invitees typed, removing repeated addresses and saying how many', async () => {
    const { client, id } = await managerWithDraft(app(), db(), 'pulse');
    const saved = await pressOnEdit(client, id, 'save', {
      leader_email: ' Lea@Example.com ',
      invitees: `${TEAM}\nANN@example.com, Bob <bob@example.com>`,
      note: 'Thank you for doing this.',
      closes_on: '2026-11-20',
      prompt_0: 'I get what I need from my manager.',
      required_1: undefined,
    });
    assert.equal(saved.status, 303);
    assert.equal(saved.location, `/requests/${id}/edit?saved=1&duplicates=2`);
    const page = await client.get(saved.location!);
    assert.match(textOf(page.html), /Your draft is saved\. .*2 repeated addresses were removed from the team list\./);
    const fields = formFields(page.html);
    assert.equal(fields.leader_email, 'lea@example.com');
    assert.equal(fields.invitees, 'ann@example.com\nbob@example.com\ncy@example.com');
    assert.equal(fields.note, 'Thank you for doing this.');
    assert.equal(fields.closes_on, '2026-11-20');
    const request = await db()
      .selectFrom('feedback_requests')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(request.status, 'draft');
    assert.deepEqual(request.closes_at, new Date('2026-11-20T23:59:59.999Z'));
    const questions = await storedQuestions(id);
    assert.equal(questions[0]!.prompt, 'I get what I need from my manager.');
    assert.equal(questions[1]!.required, false);
    const invitations = await db()
      .selectFrom('invitations')
      .select('email')
      .where('request_id', '=', id)
      .orderBy('email')
      .execute();
    assert.deepEqual(
      invitations.map((i) => i.email),
      ['ann@example.com', 'bob@example.com', 'cy@example.com'],
    );
  });

  it('adds a question of the chosen kind at the end, keeping what was typed elsewhere', async () => {
    const { client, id } = await managerWithDraft(app(), db(), 'pulse');
    const added = await pressOnEdit(client, id, 'add-question', {
      new_kind: 'choice',
      note: 'Typed before adding',
      prompt_0: 'Edited first',
    });
    assert.equal(added.status, 303);
    assert.equal(added.location, `/requests/${id}/edit#question-5`);
    const fields = formFields((await client.get(`/requests/${id}/edit`)).html);
    assert.equal(fields.note, 'Typed before adding');
    assert.equal(fields.prompt_0, 'Edited first');
    assert.equal(fields.kind_4, 'choice');
    assert.equal(fields.prompt_4, '');
    assert.equal((await storedQuestions(id)).length, 5);
  });

  it('removes a question without asking, keeping the rest as typed', async () => {
    const { client, id } = await managerWithDraft(app(), db(), 'pulse');
    const before = await prompts(id);
    const removed = await pressOnEdit(client, id, 'remove-1', { prompt_3: 'Anything else?' });
    assert.equal(removed.location, `/requests/${id}/edit#question-2`);
    assert.deepEqual(await prompts(id), [before[0], before[2], 'Anything else?']);
    const fields = formFields((await client.get(`/requests/${id}/edit`)).html);
    assert.equal(fields.kind_1, 'choice', 'the choice question moved up with its choices');
    assert.match(fields.choices_1!, /^Every week\n/);
  });

  it('moves questions up and down; the ends stay put', async () => {
    const { client, id } = await managerWithDraft(app(), db(), 'pulse');
    const [a, b, c, d] = await prompts(id);
    assert.equal((await pressOnEdit(client, id, 'up-2')).location, `/requests/${id}/edit#question-2`);
    assert.deepEqual(await prompts(id), [a, c, b, d]);
    assert.equal(
      (await pressOnEdit(client, id, 'down-0', { prompt_0: `${a} (edited)` })).location,
      `/requests/${id}/edit#question-2`,
    );
    assert.deepEqual(await prompts(id), [c, `${a} (edited)`, b, d]);
    await pressOnEdit(client, id, 'up-0');
    await pressOnEdit(client, id, 'down-3');
    assert.deepEqual(await prompts(id), [c, `${a} (edited)`, b, d]);
    const page = await client.get(`/requests/${id}/edit`);
    assert.doesNotMatch(page.html, /value="up-0"/, 'the first question has no "Move up"');
    assert.doesNotMatch(page.html, /value="down-3"/, 'the last question has no "Move down"');
    assert.match(page.html, /value="up-1"[^>]*>.*?<span class="visually-hidden">Move up question 2<\/span>/);
  });

  it('applies a button even when something typed cannot be stored yet, and loses nothing', async () => {
    const { client, id } = await managerWithDraft(app(), db(), 'pulse');
    const before = await prompts(id);
    const page = await pressOnEdit(client, id, 'up-1', {
      invitees: 'ann@example.com\nbob@',
      closes_on: 'soon',
      note: 'Keep me',
    });
    assert.equal(page.status, 422);
    const fields = formFields(page.html);
    assert.equal(fields.invitees, 'ann@example.com\nbob@');
    assert.equal(fields.closes_on, 'soon');
    assert.equal(fields.note, 'Keep me');
    assert.equal(fields.prompt_0, before[1], 'the move is shown');
    assert.match(textOf(page.html), /Line 2: “bob@” is not an email address\./);
    assert.deepEqual(await prompts(id), before, 'nothing was stored');
  });

  it('checks single-choice questions: 2 to 10 non-empty choices', async () => {
    const { client, id } = await managerWithDraft(app(), db(), 'pulse');
    const tooFew = await pressOnEdit(client, id, 'submit', {
      leader_email: 'lea@example.com',
      invitees: TEAM,
      choices_2: 'Only one\n\n   \n',
    });
    assert.equal(tooFew.status, 422);
    assert.match(tooFew.html, /id="choices_2-error"[^>]*>.*Give between 2 and 10 choices, one per line\./s);
    assert.match(tooFew.html, /aria-describedby="choices_2-hint choices_2-error" aria-invalid="true"/);
    assert.equal(formFields(tooFew.html).choices_2, 'Only one\n\n   \n');

    const eleven = Array.from({ length: 11 }, (_, i) => `Choice ${i + 1}`).join('\n');
    const tooMany = await pressOnEdit(client, id, 'save', { choices_2: eleven });
    assert.equal(tooMany.status, 422, 'more than 10 cannot even be saved');
    assert.match(textOf(tooMany.html), /Give at most 10 choices \(there are 11\)\./);

    const fine = await pressOnEdit(client, id, 'save', { choices_2: ' Weekly \n\nMonthly\n' });
    assert.equal(fine.status, 303);
    assert.deepEqual((await storedQuestions(id))[2]!.choices, ['Weekly', 'Monthly']);
    assert.deepEqual((await storedQuestions(id))[0]!.choices, [], 'other kinds keep no choices');
  });

  it('refuses to submit with no questions, or with an empty one', async () => {
    const { client, id } = await managerWithDraft(app(), db(), 'blank');
    const none = await pressOnEdit(client, id, 'submit', { leader_email: 'lea@example.com', invitees: TEAM });
    assert.equal(none.status, 422);
    assert.match(none.html, /id="questions-error"[^>]*>.*Add at least one question\./s);
    assert.match(none.html, /<a href="#new_kind">Add at least one question\.<\/a>/);

    await pressOnEdit(client, id, 'add-question', {
      leader_email: 'lea@example.com',
      invitees: TEAM,
      new_kind: 'text',
    });
    const empty = await pressOnEdit(client, id, 'submit');
    assert.equal(empty.status, 422);
    assert.match(empty.html, /id="prompt_0-error"[^>]*>.*Write the question, or remove it\./s);
    assert.match(empty.html, /<details class="question-edit" open>/, 'the question to fix is open');
    assert.match(textOf(empty.html), /1 New question Free text · optional · needs a fix/);
    assert.equal(
      (await db().selectFrom('feedback_requests').select('status').where('id', '=', id).executeTakeFirstOrThrow())
        .status,
      'draft',
    );
  });
});
