// Queries for sessions. Each takes the database or the caller's transaction first.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { batchedLookup } from '../db/fast-path/batches.ts';
import { compiledOnce } from '../db/fast-path/compiled-query.ts';

type Db = Kysely<Database> | Transaction<Database>;

// Every signed-in page runs this, so it is compiled once (and prepared on PostgreSQL), and
// the sessions looked up at the same moment go in one query (src/db/fast-path/batches.ts). The array
// goes through a sub-select so that PostgreSQL plans it once for any number of ids (see
// src/survey/queries.ts, linkQuery).
const sessionQuery = compiledOnce(['idHashes'], (db, params) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id_hash',
      'sessions.user_id',
      'sessions.created_at',
      'sessions.last_seen_at',
      'users.email',
      'users.display_name',
      'users.language',
      'users.time_zone',
    ])
    .where((eb) => eb('sessions.id_hash', '=', eb.fn.any(sql<string[]>`(select ${params.idHashes}::text[])::text[]`))),
);

const sessionRow = batchedLookup(
  async (db, idHashes: readonly string[]) => (await sessionQuery(db, { idHashes })).rows,
  (row) => row.id_hash,
);

export function findSession(db: Kysely<Database>, idHash: string) {
  return sessionRow(db, idHash);
}

export async function insertSession(db: Db, row: { idHash: string; userId: string; now: Date }) {
  await db
    .insertInto('sessions')
    .values({
      id_hash: row.idHash,
      user_id: row.userId,
      created_at: row.now,
      last_seen_at: row.now,
    })
    .execute();
}

export async function touchSession(db: Db, idHash: string, now: Date) {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
}

export async function deleteSession(db: Db, idHash: string) {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteUserSessions(db: Db, userId: string) {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}
