// Asking for feedback: choosing a template (or none) creates a draft with its own copy of
// the template's questions.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { textOf } from '../helpers/client.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { managerWithDraft } from '../helpers/factories.ts';

describeEachDatabase('asking for feedback', (database) => {
  const db = () => database().db;
  const { app } = useTestApp(database, { clock: new ManualClock('2026-11-02T15:30:00Z') });

  it('offers each template with its description, and a blank start, as one radio group', async () => {
    const { client } = await signedInClient(app(), db(), { email: 'chooser@example.com' });
    const page = await client.get('/requests/new');
    assert.equal(page.status, 200);
    assert.match(page.html, /<title>Ask for feedback · Upward<\/title>/);
    assert.match(page.html, /<fieldset[^>]*>\s*<legend>Survey to start from<\/legend>/);
    const text = textOf(page.html);
    assert.match(text, /One-on-one leadership Ten statements .* 12 questions\./);
    assert.match(text, /Pulse Four quick questions .* 4 questions\./);
    assert.match(text, /Start blank/);
    assert.equal((page.html.match(/type="radio" [^>]*name="template"/g) ?? []).length, 3);
  });

  for (const slug of ['one-on-one-leadership', 'pulse']) {
    it(`creates a draft from "${slug}" with a copy of its questions that later template edits do not touch`, async () => {
      const { id, user } = await managerWithDraft(app(), db(), slug);
      const request = await db()
        .selectFrom('feedback_requests')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(request.status, 'draft');
      assert.equal(request.manager_id, user.id);
      assert.deepEqual(request.created_at, new Date('2026-11-02T15:30:00Z'));
      assert.deepEqual(
        request.closes_at,
        new Date('2026-11-16T23:59:59.999Z'),
        '14 days ahead, at the end of the day (UTC)',
      );

      const template = await db()
        .selectFrom('templates')
        .select('id')
        .where('slug', '=', slug)
        .executeTakeFirstOrThrow();
      const fromTemplate = await db()
        .selectFrom('template_questions')
        .select(['position', 'kind', 'prompt', 'required', 'choices'])
        .where('template_id', '=', template.id)
        .orderBy('position')
        .execute();
      const copied = async () =>
        db()
          .selectFrom('request_questions')
          .select(['position', 'kind', 'prompt', 'required', 'choices'])
          .where('request_id', '=', id)
          .orderBy('position')
          .execute();
      assert.deepEqual(await copied(), fromTemplate);

      await db()
        .updateTable('template_questions')
        .set({ prompt: 'Changed later' })
        .where('template_id', '=', template.id)
        .execute();
      try {
        assert.deepEqual(await copied(), fromTemplate, 'the request keeps its own questions');
      } finally {
        for (const q of fromTemplate) {
          await db()
            .updateTable('template_questions')
            .set({ prompt: q.prompt })
            .where('template_id', '=', template.id)
            .where('position', '=', q.position)
            .execute();
        }
      }
    });
  }

  it('starts blank with no questions and opens the edit page', async () => {
    const { client, id, created } = await managerWithDraft(app(), db(), 'blank');
    assert.equal(created.status, 303);
    assert.equal(
      (await db().selectFrom('request_questions').select('id').where('request_id', '=', id).execute()).length,
      0,
    );
    const edit = await client.get(created.location!);
    assert.equal(edit.status, 200);
    assert.match(textOf(edit.html), /Edit your request .* No questions yet\./);
  });

  it('refuses an unknown template with the choices shown again', async () => {
    const { client } = await signedInClient(app(), db(), { email: 'tamperer@example.com' });
    for (const template of ['nonsense', '4b0a3b9e-8a3e-4c1e-9d6b-2f1f3c1d2e3f', '']) {
      const page = await client.submit('/requests/new', { template }, '/requests');
      assert.equal(page.status, 422);
      assert.match(textOf(page.html), /Choose a template, or start blank\./);
      assert.match(page.html, /name="template"/);
    }
    assert.equal(
      (
        await db()
          .selectFrom('feedback_requests')
          .innerJoin('users', 'users.id', 'manager_id')
          .where('users.email', '=', 'tamperer@example.com')
          .select('feedback_requests.id')
          .execute()
      ).length,
      0,
    );
  });
});
