// Queries on a round's invitations, ballots and reminders. Callers own the transaction.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Rows per multi-row statement: a few thousand parameters, far below PostgreSQL's limit. */
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += CHUNK) out.push(items.slice(start, start + CHUNK));
  return out;
}

export function listInvitations(db: Db, requestId: string) {
  return db
    .selectFrom('invitations')
    .select(['id', 'email'])
    .where('request_id', '=', requestId)
    .orderBy('email')
    .execute();
}

/**
 * Gives each invitation its link's hash. One `update … from (values …)` per chunk instead
 * of one update per invitation: a launch of 1,000 stays a handful of statements.
 */
export async function setTokenHashes(
  db: Db,
  links: readonly { invitationId: string; tokenHash: string }[],
): Promise<void> {
  for (const chunk of chunks(links)) {
    const values = sql.join(chunk.map((link) => sql`(${link.invitationId}::uuid, ${link.tokenHash})`));
    await sql`update invitations set token_hash = v.token_hash
      from (values ${values}) as v(id, token_hash)
      where invitations.id = v.id`.execute(db);
  }
}

/** One unspent ballot per link; spending a link deletes its ballot (src/survey). */
export async function insertBallots(db: Db, requestId: string, tokenHashes: readonly string[]): Promise<void> {
  for (const chunk of chunks(tokenHashes)) {
    await db
      .insertInto('ballots')
      .values(chunk.map((token_hash) => ({ token_hash, request_id: requestId })))
      .execute();
  }
}

export async function insertReminders(db: Db, requestId: string, dueTimes: readonly Date[]): Promise<void> {
  if (!dueTimes.length) return;
  await db
    .insertInto('reminders')
    .values(dueTimes.map((due_at) => ({ request_id: requestId, due_at })))
    .execute();
}

/**
 * Invitations whose ballot still exists, i.e. whose link is unused. Only the reminder job
 * asks this, and only to address the reminders: it is never shown to anyone.
 */
export function invitationsWithUnusedLinks(db: Db, requestId: string) {
  return db
    .selectFrom('invitations as i')
    .innerJoin('ballots as b', 'b.token_hash', 'i.token_hash')
    .select(['i.id', 'i.email'])
    .where('i.request_id', '=', requestId)
    .where('i.email', 'is not', null)
    .execute();
}

/** A request's questions in the order they are asked. */
export function questionsOf(db: Db, requestId: string) {
  return db
    .selectFrom('request_questions')
    .select(['id', 'position', 'kind', 'prompt', 'required', 'choices'])
    .where('request_id', '=', requestId)
    .orderBy('position')
    .execute();
}

/** How many people answered: the round's responses, counted in SQL. */
export async function countResponses(db: Db, requestId: string): Promise<number> {
  const row = await db
    .selectFrom('responses')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('request_id', '=', requestId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
