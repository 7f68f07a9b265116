// The email outbox: every email is a row written in the same transaction as the change that
// causes it, and a worker sends it later, so a crash or an SMTP outage loses nothing.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('email_outbox')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    // Chosen when queued and reused on every retry, so a receiver can spot a duplicate.
    .addColumn('message_id', 'text', (col) => col.notNull().unique())
    .addColumn('to_address', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('html', 'text', (col) => col.notNull())
    .addColumn('text', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (col) => col.notNull())
    .addColumn('locked_until', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .addCheckConstraint('email_outbox_status_is_known', sql`status in ('pending', 'sending', 'sent', 'failed')`)
    .execute();

  // The worker's claim looks for due pending rows and expired 'sending' leases; sent and
  // failed rows, the vast majority over time, stay out of this index.
  await db.schema
    .createIndex('email_outbox_claimable')
    .on('email_outbox')
    .columns(['status', 'next_attempt_at'])
    .where(sql<boolean>`status in ('pending', 'sending')`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('email_outbox').execute();
}
