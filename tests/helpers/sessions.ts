// Signs a test client in without going through email: writes a session row exactly as the
// app does (src/http/session.ts) and hands the client its cookie. The sign-in flow itself
// is tested end to end in tests/auth/.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { keyedHash, randomToken } from '../../src/lib/tokens.ts';
import type { TestApp } from './app.ts';
import { TestClient } from './client.ts';
import { createUser } from './factories.ts';

export async function signedInClient(
  app: TestApp,
  db: Kysely<Database>,
  user: { id: string } | { email: string; name?: string },
) {
  const account = 'id' in user ? user : await createUser(db, user);
  const id = randomToken();
  await db
    .insertInto('sessions')
    .values({
      id_hash: keyedHash(app.config.SESSION_SECRET!, id),
      user_id: account.id,
      created_at: app.clock.now(),
      last_seen_at: app.clock.now(),
    })
    .execute();
  const client = new TestClient(app.url);
  client.cookies.set('upward_session', id);
  return { client, user: account };
}
