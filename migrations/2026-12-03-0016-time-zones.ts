// Time zones (issue 21): each signed-in person may choose the zone their dates and times are
// shown in, and the zone whose clock their rounds close and their emails go out by. Null
// means the deployment's TIME_ZONE, so changing that setting moves everyone who never chose.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('time_zone', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('time_zone').execute();
}
