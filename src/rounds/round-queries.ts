// Queries on a round's invitations, survey links and reminders. Callers own the transaction.
import { sql, type Expression, type Kysely, type Transaction } from 'kysely';
import { invitationLink } from './survey-links.ts';
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
 * One unspent survey link per invitation, written in the order of their keys: the keys are
 * hashes, so that order (and the rows' physical order) is unrelated to the invitations'.
 */
export async function insertSurveyLinks(db: Db, requestId: string, keys: readonly string[]): Promise<void> {
  for (const chunk of chunks([...keys].sort())) {
    await db
      .insertInto('survey_links')
      .values(chunk.map((key) => ({ key, request_id: requestId })))
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
 * Invitations whose link is unused: each invitation's key is recomputed with the secret and
 * looked up among the round's unspent links; nothing stored maps one to the other. Only the
 * reminder job asks this, and only to address the reminders: it is never shown to anyone.
 */
export async function invitationsWithUnusedLinks(db: Db, requestId: string, secret: string) {
  const invitations = await db
    .selectFrom('invitations')
    .select(['id', 'email'])
    .where('request_id', '=', requestId)
    .where('email', 'is not', null)
    .execute();
  const keyOf = new Map(invitations.map((invitation) => [invitationLink(secret, invitation.id).tokenHash, invitation]));
  if (!keyOf.size) return [];
  const unspent = new Set<string>();
  for (const chunk of chunks([...keyOf.keys()])) {
    const rows = await db
      .selectFrom('survey_links')
      .select('key')
      .where('request_id', '=', requestId)
      .where('spent', '=', false)
      .where('key', 'in', chunk)
      .execute();
    for (const row of rows) unspent.add(row.key);
  }
  return invitations.filter((invitation) => unspent.has(invitationLink(secret, invitation.id).tokenHash));
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

/**
 * How many people answered: the count stored when the round closed, or, while it is open, its
 * sealed rows (and any not yet sealed since migration 0013), counted in SQL. By the round's id
 * as a value, so the planner reads (and locks) that round's partition of `sealed_responses`
 * alone: by the column, it locks every round's, and two rounds closing at once deadlock when
 * each truncates its own (sealed-partitions.ts).
 */
export async function countResponses(db: Db, requestId: string): Promise<number> {
  const row = await db
    .selectFrom('feedback_requests as r')
    .select((eb) => answeredCount(eb.val(requestId), eb.ref('r.response_count')).as('count'))
    .where('r.id', '=', requestId)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** The SQL of countResponses, for queries that count many rounds: `coalesce(stored, sealed + unsealed)`. */
export function answeredCount(requestId: Expression<string>, stored: Expression<number | null>) {
  return sql<number>`coalesce(${stored}, (select count(*) from sealed_responses as s where s.request_id = ${requestId})
    + (select count(*) from unsealed_responses as u where u.request_id = ${requestId}))::int`;
}

/**
 * A request's team as addresses, sorted, while they are kept: the manager's list before the
 * launch, the reply's recipients after the release; none once the purge cleared them.
 */
export async function inviteesOf(db: Db, requestId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('invitations')
    .select('email')
    .where('request_id', '=', requestId)
    .where('email', 'is not', null)
    .orderBy('email')
    .execute();
  return rows.map((row) => row.email!);
}
