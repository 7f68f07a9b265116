// One partition of `sealed_responses` per round (issue 17): the table becomes LIST-partitioned
// by `request_id`, so a close empties its round's partition with TRUNCATE instead of deleting
// its rows one out-of-line value at a time, and leaves nothing to vacuum
// (src/rounds/sealed-partitions.ts). A launch makes its round's partition; here every round
// that has sealed rows, is open, or has rows still to seal (unsealed_responses, migration 0013)
// gets one, named `sealed_responses_` and the round's id in hex, and the rows move over in
// their ids' (random) order. The primary key must hold the partition key: (request_id, id),
// which is also the index the close reads by, so the separate one on the same columns goes.
// The column stays stored uncompressed out of line. The foreign key to feedback_requests goes:
// attaching, detaching and dropping a partition of a table with one lock feedback_requests
// (SHARE ROW EXCLUSIVE, and ACCESS EXCLUSIVE for the drop), which would make a launch wait for a
// close and a drop hold up every page. A round's rows can only go into its partition, which
// only its launch makes; the few places that delete an open round delete its sealed rows
// themselves (src/ops/person.ts), and the round jobs drop the partition.
import { sql, type Kysely } from 'kysely';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table sealed_responses rename to sealed_responses_unpartitioned`.execute(db);
  await sql`alter index sealed_responses_pkey rename to sealed_responses_unpartitioned_pkey`.execute(db);
  await sql`drop index sealed_responses_request`.execute(db);
  await sql`create table sealed_responses (
      id uuid not null default gen_random_uuid(),
      request_id uuid not null,
      sealed bytea not null,
      primary key (request_id, id)
    ) partition by list (request_id)`.execute(db);
  // Ciphertext does not compress: spare PostgreSQL the attempt (each partition takes it on).
  await sql`alter table sealed_responses alter column sealed set storage external`.execute(db);
  const { rows } = await sql<{ id: string }>`
    select request_id::text as id from sealed_responses_unpartitioned
    union select request_id::text from unsealed_responses
    union select id::text from feedback_requests where status = 'open'`.execute(db);
  for (const { id } of rows) {
    if (!UUID.test(id)) throw new Error(`unexpected round id ${id}`);
    const name = `sealed_responses_${id.replaceAll('-', '')}`;
    await sql`create table ${sql.id(name)} (like sealed_responses
      including defaults including constraints including storage including indexes)`.execute(db);
    await sql`alter table sealed_responses attach partition ${sql.id(name)} for values in (${sql.lit(id)})`.execute(db);
  }
  await sql`insert into sealed_responses (id, request_id, sealed)
    select id, request_id, sealed from sealed_responses_unpartitioned order by request_id, id`.execute(db);
  await sql`drop table sealed_responses_unpartitioned`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create table sealed_responses_unpartitioned (
      id uuid primary key default gen_random_uuid(),
      request_id uuid not null references feedback_requests (id) on delete cascade,
      sealed bytea not null
    )`.execute(db);
  await sql`alter table sealed_responses_unpartitioned alter column sealed set storage external`.execute(db);
  await sql`insert into sealed_responses_unpartitioned (id, request_id, sealed)
    select id, request_id, sealed from sealed_responses order by request_id, id`.execute(db);
  // With its partitions, and any detached one left behind by a drop that failed.
  await sql`drop table sealed_responses`.execute(db);
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind = 'r' and c.relname ~ '^sealed_responses_[0-9a-f]{32}$'`.execute(
    db,
  );
  for (const { name } of rows) await sql`drop table ${sql.id(name)}`.execute(db);
  await sql`alter table sealed_responses_unpartitioned rename to sealed_responses`.execute(db);
  await sql`alter index sealed_responses_unpartitioned_pkey rename to sealed_responses_pkey`.execute(db);
  await sql`alter table sealed_responses rename constraint sealed_responses_unpartitioned_request_id_fkey
    to sealed_responses_request_id_fkey`.execute(db);
  await sql`create index sealed_responses_request on sealed_responses (request_id, id)`.execute(db);
}
