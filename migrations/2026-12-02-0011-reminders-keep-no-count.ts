// A reminder point records only that it was sent, not to how many: the count of invitees
// whose link was still unused at that moment, kept beside the time, told a reader of the
// database how many answered before the reminder and how many after. The emails themselves
// leave no trail once sent (src/email/definitions.ts, leavesNoTrail).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reminders').dropColumn('recipients').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reminders').addColumn('recipients', 'integer').execute();
}
