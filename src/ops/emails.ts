// The operator's view of emails given up on (`npm run ops -- failed-emails`) and the way to
// send them again (`retry-emails`): a retried email goes back to pending with a fresh count
// of attempts, due now, and the worker picks it up as any other.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export function listFailedEmails(db: Kysely<Database>) {
  return db
    .selectFrom('email_outbox')
    .select(['id', 'name', 'to_address', 'subject', 'attempts', 'last_error', 'created_at'])
    .where('status', '=', 'failed')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Puts failed emails (all, or those named) back in the queue; resolves with how many. */
export async function retryFailedEmails(db: Kysely<Database>, which: 'all' | string[], now: Date): Promise<number> {
  if (which !== 'all') {
    const bad = which.filter((id) => !UUID.test(id));
    if (bad.length)
      throw new Error(`Not an email id: ${bad.join(', ')} (ids are listed by: npm run ops -- failed-emails).`);
    if (!which.length) return 0;
  }
  let update = db
    .updateTable('email_outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, locked_until: null })
    .where('status', '=', 'failed');
  if (which !== 'all') update = update.where('id', 'in', which);
  const result = await update.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
