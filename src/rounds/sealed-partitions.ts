// One partition of `sealed_responses` per round (issue 17, migration 0019): the table is
// LIST-partitioned by `request_id`, and a round's (or a check-back's) partition is made in its
// launch's transaction (open-links.ts). The close empties it with TRUNCATE (close-round.ts),
// which replaces its files at commit instead of deleting 100,000 out-of-line values one by
// one, and leaves no dead row versions to vacuum; after the close the empty partition is
// detached and dropped (dropEndedPartitions), best effort, and retried by the next close and
// by the round jobs.
//
// Locks (PostgreSQL 15, pg_locks): making a partition takes SHARE UPDATE EXCLUSIVE on
// `sealed_responses`, which submissions (ROW EXCLUSIVE) pass by. TRUNCATE takes ACCESS EXCLUSIVE
// on the round's partition only. DETACH … CONCURRENTLY takes SHARE UPDATE EXCLUSIVE on
// `sealed_responses`, and the DROP of the detached table locks that table alone. None touches
// `feedback_requests`: the table has no foreign key to it (migration 0019), so a launch never
// waits for a close. The cleanup steps wait at most LOCK_TIMEOUT for their locks, so a busy
// moment makes them give up (and try again later) rather than hold up what queues behind them.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

/** The parent table's name; partitions are named `sealed_responses_<round's uuid in hex>`. */
const PARENT = 'sealed_responses';
const PREFIX = `${PARENT}_`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PARTITION = /^sealed_responses_([0-9a-f]{32})$/;
/** How long a cleanup step waits for a lock before giving up until the next try. */
const LOCK_TIMEOUT = '200ms';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The partition's name for a round id, which comes from our database (a uuid), never from a
 * request; anything else is refused, so the name is always `sealed_responses_` and 32 hex digits.
 */
export function partitionName(requestId: string): string {
  const id = requestId.toLowerCase();
  if (!UUID.test(id)) throw new Error('not a round id');
  return PREFIX + id.replaceAll('-', '');
}

/** The round id of a partition's name, or undefined for any other table. */
function roundOf(table: string): string | undefined {
  const hex = PARTITION.exec(table)?.[1];
  return hex && `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

async function exists(db: Db, table: string): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`select to_regclass(${table}) is not null as found`.execute(db);
  return rows[0]!.found;
}

/**
 * Makes the round's partition unless it has one, in the caller's transaction: the launch's.
 * A table made alike and then attached, so the parent takes SHARE
 * UPDATE EXCLUSIVE (submissions to other rounds go on) instead of the ACCESS EXCLUSIVE of
 * `create table … partition of`.
 */
export async function createSealedPartition(trx: Db, requestId: string): Promise<void> {
  const name = partitionName(requestId);
  if (await exists(trx, name)) return;
  await sql`create table ${sql.id(name)} (like ${sql.id(PARENT)}
    including defaults including constraints including storage including indexes)`.execute(trx);
  await sql`alter table ${sql.id(PARENT)} attach partition ${sql.id(name)}
    for values in (${sql.lit(requestId.toLowerCase())})`.execute(trx);
}

/**
 * Empties the round's partition (ACCESS EXCLUSIVE on it alone, until the caller's transaction
 * ends: a submission's insert into it would wait, but the close has deleted the round's links
 * first, so none can come). The delete after it finds nothing where the partition was
 * truncated; it is there for rows of a round without one, which the table cannot hold today.
 */
export async function truncateSealedPartition(trx: Transaction<Database>, requestId: string): Promise<void> {
  const name = partitionName(requestId);
  if (await exists(trx, name)) await sql`truncate table ${sql.id(name)}`.execute(trx);
  await trx.deleteFrom('sealed_responses').where('request_id', '=', requestId).execute();
}

/**
 * Detaches and drops every partition whose round is no longer open (closed, released, or
 * deleted): empty after its close, or emptied by whatever deleted the round. Also finishes a detach
 * that was interrupted, and drops a detached table left by a failed drop. Outside any
 * transaction (DETACH … CONCURRENTLY cannot run in one). Each step waits at most LOCK_TIMEOUT
 * for its locks; the first failure is thrown after the others were tried, for the caller to
 * log. Resolves with how many were dropped.
 */
export async function dropEndedPartitions(db: Kysely<Database>): Promise<number> {
  // The partitions, and tables of their name no longer attached (a drop that failed).
  const { rows: tables } = await sql<{ name: string; attached: boolean; pending: boolean }>`
    select c.relname as name, i.inhrelid is not null as attached, coalesce(i.inhdetachpending, false) as pending
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace and n.nspname = current_schema()
    left join pg_inherits i on i.inhrelid = c.oid
    where c.relkind = 'r' and c.relname like 'sealed\\_responses\\_%'
      and (i.inhrelid is null or i.inhparent = ${PARENT}::regclass)`.execute(db);
  const candidates = tables.filter((t) => roundOf(t.name));
  if (!candidates.length) return 0;
  // Read in a later statement than the catalog above: a round whose launch had committed by
  // then is seen open here, so a new round's partition is never taken for an ended one.
  const ids = candidates.map((t) => roundOf(t.name)!);
  const { rows: open } = await sql<{ id: string }>`
    select id::text as id from feedback_requests where id = any(${ids}::uuid[]) and status = 'open'`.execute(db);
  const stillOpen = new Set(open.map((row) => row.id));
  let dropped = 0;
  let failure: unknown;
  for (const table of candidates) {
    if (stillOpen.has(roundOf(table.name)!)) continue;
    try {
      await db.connection().execute(async (conn) => {
        await sql`set lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(conn);
        try {
          const name = sql.id(table.name);
          if (table.attached)
            await sql`alter table ${sql.id(PARENT)} detach partition ${name} ${sql.raw(table.pending ? 'finalize' : 'concurrently')}`.execute(
              conn,
            );
          await sql`drop table ${name}`.execute(conn);
        } finally {
          await sql`reset lock_timeout`.execute(conn);
        }
      });
      dropped++;
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure) throw failure;
  return dropped;
}
