// Answers keyed by their response and question, and checked against the round by the
// statement that stores them rather than by a foreign key: storing a response costs
// PostgreSQL less, and a submission stores twelve answers at once.
//
// - The key (response_id, question_id) puts a response's answers side by side in the index,
//   where their random ids put each answer on a page of its own. It also holds a response to
//   one answer per question. The id stays, a random UUID on every answer, but unindexed:
//   only comments are ever looked up by it (the leader hides and shows them), always among
//   their round's free-text questions, which the index on (question_id, value, …) finds.
//   Its uniqueness rests on its 122 random bits. (A partial index on the comments' ids was
//   tried: it was tiny when the statistics were taken, so the report's plan read all of it,
//   every round's comments, on each view once it had grown.)
// - A foreign key check takes a share lock on the row it finds. Every answer to a round names
//   one of the same few question rows, so concurrent submissions locked the same rows together,
//   which PostgreSQL records by writing a new multixact onto the row each time. The statement
//   (src/survey/queries.ts) joins each answer to its round's questions instead and
//   fails on one it does not find, as the key did; it also refuses a question of another
//   round, which the key let through. Deleting a round still deletes its answers, through
//   their responses.
//
// pgbench, one response of twelve answers per transaction into a table of 1.2 million
// answers, 10 clients, two runs each: as before ~1,850–1,900 responses a second; either
// change alone ~2,000–2,300; both ~2,800–3,300, measured with a partial index on the
// comments' ids that was then left out (docs/BENCHMARKS.md).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('answers').dropConstraint('answers_question_id_fkey').execute();
  await db.schema.alterTable('answers').dropConstraint('answers_pkey').execute();
  await db.schema
    .alterTable('answers')
    .addPrimaryKeyConstraint('answers_pkey', ['response_id', 'question_id'])
    .execute();
  // The key's first column serves every lookup by response.
  await db.schema.dropIndex('answers_response').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('answers_response').on('answers').column('response_id').execute();
  await db.schema.alterTable('answers').dropConstraint('answers_pkey').execute();
  await db.schema.alterTable('answers').addPrimaryKeyConstraint('answers_pkey', ['id']).execute();
  await db.schema
    .alterTable('answers')
    .addForeignKeyConstraint('answers_question_id_fkey', ['question_id'], 'request_questions', ['id'])
    .onDelete('cascade')
    .execute();
}
