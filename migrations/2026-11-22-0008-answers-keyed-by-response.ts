// Answers keyed by their response and question, and checked against the round by the
// statement that stores them rather than by a foreign key: storing a response writes about
// half as much, as a submission writes twelve answers at once and nothing else writes them.
//
// - The key (response_id, question_id) puts a response's answers side by side in the index,
//   where their random ids put each answer on a page of its own. It also holds a response to
//   one answer per question. Only comments need their id (the leader hides and shows them by
//   it), so only theirs is indexed, under their question: the report reads a question's
//   comments and the hide form looks one up among its round's questions, both by question.
//   (Indexed by id alone, the report's generic plan could combine that index with the
//   question's and read every comment of every round on each view.) The id stays a random
//   UUID on every answer.
// - A foreign key check takes a share lock on the row it finds. Every answer to a round names
//   one of the same few question rows, so concurrent submissions locked the same rows together,
//   which PostgreSQL records by writing a new multixact onto the row each time. The statement
//   (src/survey/survey-repository.ts) joins each answer to its round's questions instead and
//   fails on one it does not find, as the key did; it also refuses a question of another
//   round, which the key let through. Deleting a round still deletes its answers, through
//   their responses.
//
// pgbench, one response of twelve answers per transaction into a table of 1.2 million
// answers, 10 clients, two runs each: as before ~1,850–1,900 responses a second; either
// change alone ~2,000–2,300; both ~2,800–3,300 (docs/BENCHMARKS.md).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('answers').dropConstraint('answers_question_id_fkey').execute();
  await db.schema.alterTable('answers').dropConstraint('answers_pkey').execute();
  await db.schema.alterTable('answers').addPrimaryKeyConstraint('answers_pkey', ['response_id', 'question_id']).execute();
  // The key's first column serves every lookup by response.
  await db.schema.dropIndex('answers_response').execute();
  await db.schema.createIndex('answers_comment').on('answers').columns(['question_id', 'id']).unique().where(sql.ref('text'), 'is not', null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('answers_comment').execute();
  await db.schema.createIndex('answers_response').on('answers').column('response_id').execute();
  await db.schema.alterTable('answers').dropConstraint('answers_pkey').execute();
  await db.schema.alterTable('answers').addPrimaryKeyConstraint('answers_pkey', ['id']).execute();
  await db.schema
    .alterTable('answers')
    .addForeignKeyConstraint('answers_question_id_fkey', ['question_id'], 'request_questions', ['id'])
    .onDelete('cascade')
    .execute();
}
