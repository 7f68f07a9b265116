// Reading what the leader's and the round's tests sent: the outbox and the survey links in an
// email. Their data comes from tests/helpers/factories.ts.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';

export function outbox(db: Kysely<Database>, filter: { to?: string; name?: string } = {}) {
  let query = db.selectFrom('email_outbox').selectAll().orderBy('created_at').orderBy('to_address');
  if (filter.to) query = query.where('to_address', '=', filter.to);
  if (filter.name) query = query.where('name', '=', filter.name);
  return query.execute();
}

/** Survey links in an email's text part, as paths (`/s/<token>`). */
export function surveyPathsIn(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s/]+(\/s\/[A-Za-z0-9_-]+)/g)].map((match) => match[1]!);
}

export const DAY_MS = 86_400_000;
