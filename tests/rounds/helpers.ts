// Shared set-up for the leader's and the round's tests: a manager's submitted request, a
// signed-in leader, and reading what the outbox holds.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import type { TestApp } from '../helpers/app.ts';
import { createRequest, createUser, type RequestSpec } from '../helpers/factories.ts';
import { signedInClient } from '../helpers/sessions.ts';

let counter = 0;

/** A manager, a leader (signed in) and the manager's request waiting for that leader. */
export async function leaderWithRequest(app: TestApp, db: Kysely<Database>, spec: Partial<RequestSpec> = {}) {
  const tag = `${Date.now().toString(36)}${(counter++).toString(36)}`;
  const manager = await createUser(db, { email: `manager-${tag}@example.com`, name: `Mona ${tag}` });
  const leaderUser = await createUser(db, { email: `leader-${tag}@example.com`, name: `Leo ${tag}` });
  const { client: leader } = await signedInClient(app, db, leaderUser);
  const invitees = spec.invitees ?? ['ann', 'bob', 'cy', 'di', 'ed'].map((name) => `${name}-${tag}@example.com`);
  const { request, questions } = await createRequest(db, {
    managerId: manager.id,
    leaderEmail: leaderUser.email,
    now: app.clock.now(),
    managerNote: 'Please ask my team how our one-on-ones are going.',
    ...spec,
    invitees,
  });
  return { manager, leader, leaderUser, request, questions, invitees };
}

export function outbox(db: Kysely<Database>, filter: { to?: string; name?: string } = {}) {
  let query = db.selectFrom('email_outbox').selectAll().orderBy('created_at').orderBy('to_address');
  if (filter.to) query = query.where('to_address', '=', filter.to);
  if (filter.name) query = query.where('name', '=', filter.name);
  return query.execute();
}

/** Survey links in an email's text part, as paths (`/s/<token>`). */
export function surveyPathsIn(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s/]+(\/s\/[A-Za-z0-9_-]+)/g)].map((match) => match[1]!);
}

export const DAY_MS = 86_400_000;
