// Answers and their questions (migration 0020), on both databases: checked once per statement
// instead of by a foreign key per row, with the foreign key's rules kept. An answer naming a
// question that does not exist is refused with the statement it came in; a question with
// answers written but not yet committed cannot be deleted meanwhile; deleting questions
// deletes their answers.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { connectPostgres } from '../../src/db/connect.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { createRequest, createUser } from '../helpers/factories.ts';

async function roundWithQuestions(db: Kysely<Database>) {
  const manager = await createUser(db);
  return createRequest(db, {
    managerId: manager.id,
    leaderEmail: 'lee@example.com',
    questions: [
      { kind: 'agree', prompt: 'Listens.' },
      { kind: 'text', prompt: 'Keep doing?' },
    ],
    invitees: [],
  });
}

/** The error a statement failed with, or undefined if it succeeded. */
const failureOf = (statement: Promise<unknown>) =>
  statement.then(
    () => undefined,
    (error: { code?: string }) => error,
  );

const answersTo = (db: Kysely<Database>, questionIds: string[]) =>
  db.selectFrom('answers').select('id').where('question_id', 'in', questionIds).execute();

describeEachDatabase('answers and their questions', (database, kind) => {
  const db = () => database().db;

  it('refuses a statement whose answers name a question that does not exist, and stores none of it', async () => {
    const { questions } = await roundWithQuestions(db());
    const good = { question_id: questions[0]!.id, value: 4 };
    const failure = await failureOf(
      db()
        .insertInto('answers')
        .values([good, { question_id: randomUUID(), value: 2 }, good])
        .execute(),
    );
    assert.equal(failure?.code, '23503', 'refused as a foreign key refuses');
    assert.equal((await answersTo(db(), [questions[0]!.id])).length, 0);

    await db().insertInto('answers').values([good, good]).execute();
    const [answer] = await answersTo(db(), [questions[0]!.id]);
    const moved = await failureOf(
      db().updateTable('answers').set({ question_id: randomUUID() }).where('id', '=', answer!.id).execute(),
    );
    assert.equal(moved?.code, '23503', 'an answer cannot be moved to a question that does not exist');
  });

  it('deletes the answers of deleted questions, and of a deleted round', async () => {
    const kept = await roundWithQuestions(db());
    const gone = await roundWithQuestions(db());
    for (const round of [kept, gone])
      await db()
        .insertInto('answers')
        .values(round.questions.map((question) => ({ question_id: question.id, value: 3 })))
        .execute();
    await db().deleteFrom('request_questions').where('id', '=', gone.questions[0]!.id).execute();
    assert.equal((await answersTo(db(), [gone.questions[0]!.id])).length, 0);
    await db().deleteFrom('feedback_requests').where('id', '=', gone.request.id).execute();
    assert.equal((await answersTo(db(), [gone.questions[1]!.id])).length, 0, 'through the round’s questions');
    assert.equal(
      (
        await answersTo(
          db(),
          kept.questions.map((q) => q.id),
        )
      ).length,
      2,
      'another round’s stay',
    );
  });

  it(
    'keeps a question whose answers are being written from being deleted until they are committed',
    { skip: kind !== 'postgres' && 'two connections need PostgreSQL' },
    async () => {
      const { questions } = await roundWithQuestions(db());
      const other = connectPostgres(database().url!, 1);
      try {
        const writing = await db().startTransaction().execute();
        await writing.insertInto('answers').values({ question_id: questions[0]!.id, value: 5 }).execute();
        const deleting = await other.db.connection().execute(async (connection) => {
          await sql`set lock_timeout = '300ms'`.execute(connection);
          return failureOf(connection.deleteFrom('request_questions').where('id', '=', questions[0]!.id).execute());
        });
        await writing.commit().execute();
        assert.equal(deleting?.code, '55P03', 'the delete waited for the answers’ transaction');
        assert.equal((await answersTo(db(), [questions[0]!.id])).length, 1, 'no answer left without its question');
        assert.ok(
          await db().selectFrom('request_questions').select('id').where('id', '=', questions[0]!.id).executeTakeFirst(),
        );
      } finally {
        await other.close();
      }
    },
  );
});
