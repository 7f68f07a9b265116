// Asking for a sign-in link looks up the links sent to that address lately (whether one still
// works, how many went unused: src/auth/sign-in-tokens.ts); this index finds them.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('sign_in_tokens_email').on('sign_in_tokens').columns(['email', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('sign_in_tokens_email').execute();
}
