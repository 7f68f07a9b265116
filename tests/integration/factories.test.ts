// The test factories build rows the schema accepts, on both databases.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { createOpenRound, createUser, SAMPLE_QUESTIONS } from '../helpers/factories.ts';
import { hashToken } from '../../src/lib/tokens.ts';

describeEachDatabase('test factories', (database) => {
  it('make an open round with a ballot per link and the built-in templates are seeded', async () => {
    const db = database().db;
    const manager = await createUser(db, { name: 'Mo' });
    const round = await createOpenRound(db, { managerId: manager.id, leaderEmail: 'lee@example.com' });
    assert.equal(round.tokens.length, 5);
    assert.deepEqual(
      round.questions.map((q) => q.prompt),
      SAMPLE_QUESTIONS.map((q) => q.prompt),
    );
    assert.deepEqual(round.questions[2]!.choices, ['Weekly', 'Monthly'], 'jsonb choices come back as an array');
    const links = await db
      .selectFrom('survey_links')
      .select('key')
      .where('request_id', '=', round.request.id)
      .execute();
    assert.deepEqual(links.map((link) => link.key).sort(), round.tokens.map(hashToken).sort());
    const templates = await db.selectFrom('templates').select(['slug']).orderBy('position').execute();
    assert.deepEqual(
      templates.map((t) => t.slug),
      ['one-on-one-leadership', 'pulse'],
    );
    const questions = await db.selectFrom('template_questions').select(['kind']).execute();
    assert.equal(questions.length, 16);
  });
});
