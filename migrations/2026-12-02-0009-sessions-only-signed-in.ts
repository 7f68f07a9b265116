// A session row exists only for someone signed in. Visitors' forms carry a CSRF token signed
// with the server secret and bound to a cookie (src/http/csrf.ts), so viewing a page with a
// form writes nothing, and the tokens need no column here. The anonymous rows that each view
// of the sign-in page used to insert are deleted; the schema now refuses one.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', 'is', null).execute();
  await db.schema
    .alterTable('sessions')
    .alterColumn('user_id', (col) => col.setNotNull())
    .execute();
  await db.schema.alterTable('sessions').dropColumn('csrf_token').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  // Sessions made after the change have no token to restore: they are ended, so the table is
  // empty when the column comes back.
  await db.deleteFrom('sessions').execute();
  await db.schema
    .alterTable('sessions')
    .addColumn('csrf_token', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .alterTable('sessions')
    .alterColumn('user_id', (col) => col.dropNotNull())
    .execute();
}
