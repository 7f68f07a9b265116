// Queries for sessions. Each takes the database or the caller's transaction first.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { compiledOnce } from '../db/compiled-query.ts';

type Db = Kysely<Database> | Transaction<Database>;

// Every signed-in page runs this, so it is compiled once (and prepared on PostgreSQL).
const sessionQuery = compiledOnce(['idHash'], (db, params) =>
  db
    .selectFrom('sessions')
    .leftJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id_hash',
      'sessions.user_id',
      'sessions.csrf_token',
      'sessions.created_at',
      'sessions.last_seen_at',
      'users.email',
      'users.display_name',
    ])
    .where('sessions.id_hash', '=', params.idHash),
);

export async function findSession(db: Kysely<Database>, idHash: string) {
  const [row] = (await sessionQuery(db, { idHash })).rows;
  return row;
}

export async function insertSession(db: Db, row: { idHash: string; userId: string | null; csrfToken: string; now: Date }) {
  await db
    .insertInto('sessions')
    .values({ id_hash: row.idHash, user_id: row.userId, csrf_token: row.csrfToken, created_at: row.now, last_seen_at: row.now })
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
