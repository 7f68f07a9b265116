// Answers sealed while a round is open, and rewritten with nothing that groups them at close
// (issue 17).
//
// - `sealed_responses`: one row per submission, its answers encrypted with the round's key
//   (derived from the server secret, src/survey/sealing.ts) and padded so every row of a round
//   has the same size. Nothing of an answer is in plaintext while the round is open.
// - `answers` loses `response_id`: a closed round's answers are written at close, one row per
//   question answered, with random ids, in random order, in one transaction
//   (src/rounds/close-round.ts), so no key, transaction id or position groups one person's
//   answers. `responses` goes; the count of those who answered is kept on the round
//   (`response_count`). The question key comes back: answers are written only at close, in
//   bulk, so its share locks no longer slow submissions (see migration 0008).
//
// Existing data: a migration has no secret and cannot seal. Answers of rounds still open move
// to `unsealed_responses` in plaintext and are sealed at the next start of the app or worker
// (src/survey/seal-unsealed.ts). Closed rounds' answers are rewritten here as a close would,
// in random order with new ids; those of a round that closed below its threshold (3 where
// none was recorded) are deleted, keeping only the count.
import { sql, type Kysely } from 'kysely';

const uuidPk = (col: any) => col.primaryKey().defaultTo(sql`gen_random_uuid()`);

async function createAnswers(db: Kysely<any>, withResponse: boolean): Promise<void> {
  let table = db.schema.createTable('answers').addColumn('id', 'uuid', uuidPk);
  if (withResponse)
    table = table.addColumn('response_id', 'uuid', (col) =>
      col.notNull().references('responses.id').onDelete('cascade'),
    );
  await table
    .addColumn('question_id', 'uuid', (col) => col.notNull().references('request_questions.id').onDelete('cascade'))
    .addColumn('value', 'smallint')
    .addColumn('not_applicable', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('text', 'text')
    .addColumn('hidden', 'boolean', (col) => col.notNull().defaultTo(false))
    .execute();
  await db.schema
    .createIndex('answers_question_value')
    .on('answers')
    .columns(['question_id', 'value', 'not_applicable'])
    .execute();
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sealed_responses')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('request_id', 'uuid', (col) => col.notNull().references('feedback_requests.id').onDelete('cascade'))
    .addColumn('sealed', 'bytea', (col) => col.notNull())
    .execute();
  // The close reads a round's rows in batches, in order of their (random) ids.
  await db.schema
    .createIndex('sealed_responses_request')
    .on('sealed_responses')
    .columns(['request_id', 'id'])
    .execute();
  // Ciphertext does not compress: spare PostgreSQL the attempt.
  await sql`alter table sealed_responses alter column sealed set storage external`.execute(db);
  await db.schema
    .createTable('unsealed_responses')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('request_id', 'uuid', (col) => col.notNull().references('feedback_requests.id').onDelete('cascade'))
    .addColumn('answers', 'jsonb', (col) => col.notNull())
    .execute();
  await db.schema.alterTable('feedback_requests').addColumn('response_count', 'integer').execute();

  await sql`insert into unsealed_responses (request_id, answers)
    select r.request_id, coalesce(jsonb_agg(jsonb_build_object('questionId', a.question_id, 'value', a.value,
      'notApplicable', a.not_applicable, 'text', a.text)) filter (where a.question_id is not null), '[]'::jsonb)
    from responses as r
    join feedback_requests as f on f.id = r.request_id and f.status = 'open'
    left join answers as a on a.response_id = r.id
    group by r.id, r.request_id
    order by random()`.execute(db);
  await sql`update feedback_requests as f
    set response_count = (select count(*) from responses as r where r.request_id = f.id)
    where f.status in ('closed', 'released')`.execute(db);
  await sql`create temporary table answers_rewritten as
    select a.question_id, a.value, a.not_applicable, a.text, a.hidden
    from answers as a
    join responses as r on r.id = a.response_id
    join feedback_requests as f on f.id = r.request_id
    where f.status in ('closed', 'released') and f.response_count >= coalesce(f.anonymity_threshold, 3)`.execute(db);
  await db.schema.dropTable('answers').execute();
  await db.schema.dropTable('responses').execute();
  await createAnswers(db, false);
  await sql`insert into answers (question_id, value, not_applicable, text, hidden)
    select question_id, value, not_applicable, text, hidden from answers_rewritten order by random()`.execute(db);
  await sql`drop table answers_rewritten`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // Answers cannot be put back together into responses: that is the point. The shape returns.
  await db.schema.dropTable('answers').execute();
  await db.schema
    .createTable('responses')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('request_id', 'uuid', (col) => col.notNull().references('feedback_requests.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('responses_request').on('responses').column('request_id').execute();
  await createAnswers(db, true);
  await sql`alter table answers drop constraint answers_pkey`.execute(db);
  await sql`alter table answers drop constraint answers_question_id_fkey`.execute(db);
  await sql`alter table answers add constraint answers_pkey primary key (response_id, question_id)`.execute(db);
  await db.schema.alterTable('feedback_requests').dropColumn('response_count').execute();
  await db.schema.dropTable('unsealed_responses').execute();
  await db.schema.dropTable('sealed_responses').execute();
}
