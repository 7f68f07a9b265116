// Survey links keyed by a value only the server secret connects to an invitation (issue 17).
//
// Until now `invitations.token_hash` and `ballots.token_hash` held the same value: two copies
// of the database taken a day apart named whose ballot had gone, and so whose response had
// arrived. Now the invitation keeps only who was invited. A link's token is still derived
// from the invitation's id with the secret (src/rounds/link-tokens.ts); `survey_links.key` is
// the hash of that token, so without the secret no key can be matched with an invitation.
// Reminders recompute each invitation's key to find the unspent ones.
//
// `spent` marks a used link so its second visit can say so; it names no one, and the round's
// links, spent or not, are deleted when it closes. Rows are written in key order, which is
// unrelated to the invitations' order.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('survey_links')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('request_id', 'uuid', (col) => col.notNull().references('feedback_requests.id').onDelete('cascade'))
    .addColumn('spent', 'boolean', (col) => col.notNull().defaultTo(false))
    .execute();
  await db.schema.createIndex('survey_links_request').on('survey_links').column('request_id').execute();
  // Unspent ballots move over as they are (their key already is the token's hash); the links
  // of open rounds whose ballot is gone were used.
  await sql`insert into survey_links (key, request_id, spent)
    select key, request_id, spent from (
      select token_hash as key, request_id, false as spent from ballots
      union all
      select i.token_hash, i.request_id, true from invitations as i
      join feedback_requests as f on f.id = i.request_id and f.status = 'open'
      where i.token_hash is not null and not exists (select 1 from ballots as b where b.token_hash = i.token_hash)
    ) as links order by key`.execute(db);
  await db.schema.dropTable('ballots').execute();
  await db.schema.alterTable('invitations').dropColumn('token_hash').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('invitations')
    .addColumn('token_hash', 'text', (col) => col.unique())
    .execute();
  await db.schema
    .createTable('ballots')
    .addColumn('token_hash', 'text', (col) => col.primaryKey())
    .addColumn('request_id', 'uuid', (col) => col.notNull().references('feedback_requests.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('ballots_request').on('ballots').column('request_id').execute();
  // The pairing with invitations cannot be restored without the secret: unspent links keep working.
  await sql`insert into ballots (token_hash, request_id) select key, request_id from survey_links where not spent`.execute(
    db,
  );
  await db.schema.dropTable('survey_links').execute();
}
