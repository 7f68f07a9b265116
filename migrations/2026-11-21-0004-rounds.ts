// The feedback round: templates, a manager's request with its own copy of the questions, the
// invitation list, the ballots that single-use links spend, and the anonymous responses.
//
// Anonymity is a property of this schema, not a rule in code: `responses` and `answers`
// hold no invitation id, token, hash, IP, user agent or timestamp, and their ids are random
// (gen_random_uuid is UUID v4). Spending a link deletes its `ballots` row and inserts the
// response in one transaction that writes no row naming the invitee, so no shared
// transaction id (xmin) pairs an invitation with a response.
import { sql, type Kysely } from 'kysely';

const uuidPk = (col: any) => col.primaryKey().defaultTo(sql`gen_random_uuid()`);

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('templates')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('slug', 'text', (col) => col.notNull().unique())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('template_questions')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('template_id', 'uuid', (col) => col.notNull().references('templates.id').onDelete('cascade'))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('agree', 'choice', 'text')`))
    .addColumn('prompt', 'text', (col) => col.notNull())
    .addColumn('required', 'boolean', (col) => col.notNull())
    .addColumn('choices', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
    .addUniqueConstraint('template_questions_position', ['template_id', 'position'])
    .execute();

  await db.schema
    .createTable('feedback_requests')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('manager_id', 'uuid', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('leader_email', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) =>
      col.notNull().check(sql`status in ('draft', 'submitted', 'declined', 'open', 'closed', 'released')`),
    )
    .addColumn('template_id', 'uuid', (col) => col.references('templates.id').onDelete('set null'))
    .addColumn('closes_at', 'timestamptz', (col) => col.notNull())
    .addColumn('manager_note', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('team_note', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('decline_reason', 'text')
    /** The threshold in force at launch; never changes afterwards. */
    .addColumn('anonymity_threshold', 'integer')
    .addColumn('invited_count', 'integer')
    .addColumn('extended', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('previous_request_id', 'uuid', (col) => col.references('feedback_requests.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('launched_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('invitees_purged_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('feedback_requests_manager')
    .on('feedback_requests')
    .columns(['manager_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('feedback_requests_leader')
    .on('feedback_requests')
    .columns(['leader_email', 'created_at'])
    .execute();
  await db.schema
    .createIndex('feedback_requests_open_closes')
    .on('feedback_requests')
    .columns(['status', 'closes_at'])
    .execute();

  await db.schema
    .createTable('request_questions')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('request_id', 'uuid', (col) => col.notNull().references('feedback_requests.id').onDelete('cascade'))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('agree', 'choice', 'text')`))
    .addColumn('prompt', 'text', (col) => col.notNull())
    .addColumn('required', 'boolean', (col) => col.notNull())
    .addColumn('choices', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  await db.schema
    .createIndex('request_questions_request')
    .on('request_questions')
    .columns(['request_id', 'position'])
    .execute();

  // Who is invited. `email` is cleared after the retention period; `token_hash` is set at
  // launch and names the ballot that the invitation's link spends.
  await db.schema
    .createTable('invitations')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('request_id', 'uuid', (col) => col.notNull().references('feedback_requests.id').onDelete('cascade'))
    .addColumn('email', 'text')
    .addColumn('token_hash', 'text', (col) => col.unique())
    .execute();
  await db.schema.createIndex('invitations_request').on('invitations').column('request_id').execute();

  // Reminder points of an open round (e.g. halfway, a day before closing), made at launch.
  // The worker sends each point once: it marks the row sent in the transaction that queues
  // the reminders, so a restart neither loses nor repeats one.
  await db.schema
    .createTable('reminders')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('request_id', 'uuid', (col) => col.notNull().references('feedback_requests.id').onDelete('cascade'))
    .addColumn('due_at', 'timestamptz', (col) => col.notNull())
    .addColumn('sent_at', 'timestamptz')
    .addColumn('recipients', 'integer')
    .execute();
  await db.schema.createIndex('reminders_due').on('reminders').columns(['sent_at', 'due_at']).execute();

  // One unspent ballot per invitation of an open round. Deleting it is how a link is spent;
  // the table has no column naming a person, and is vacuumed when the round closes so no
  // dead row of a spent ballot is left behind.
  await db.schema
    .createTable('ballots')
    .addColumn('token_hash', 'text', (col) => col.primaryKey())
    .addColumn('request_id', 'uuid', (col) => col.notNull().references('feedback_requests.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('ballots_request').on('ballots').column('request_id').execute();

  await db.schema
    .createTable('responses')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('request_id', 'uuid', (col) => col.notNull().references('feedback_requests.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('responses_request').on('responses').column('request_id').execute();

  // value: 1–5 on an agree scale, or the chosen option's index; null with not_applicable, or
  // for free text.
  await db.schema
    .createTable('answers')
    .addColumn('id', 'uuid', uuidPk)
    .addColumn('response_id', 'uuid', (col) => col.notNull().references('responses.id').onDelete('cascade'))
    .addColumn('question_id', 'uuid', (col) => col.notNull().references('request_questions.id').onDelete('cascade'))
    .addColumn('value', 'smallint')
    .addColumn('not_applicable', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('text', 'text')
    .execute();
  // Covers the per-question aggregates (count, mean, distribution) without touching rows.
  await db.schema
    .createIndex('answers_question_value')
    .on('answers')
    .columns(['question_id', 'value', 'not_applicable'])
    .execute();
  await db.schema.createIndex('answers_response').on('answers').column('response_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'answers',
    'responses',
    'ballots',
    'reminders',
    'invitations',
    'request_questions',
    'feedback_requests',
    'template_questions',
    'templates',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
