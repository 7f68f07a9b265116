// Shared set-up for the security tests: signed-in clients and visitors with their CSRF
// tokens, and small helpers to post hostile requests. Their people and requests in every
// stage come from createPeople and createFixture in tests/helpers/factories.ts.
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { FIXTURE_NOW } from '../helpers/factories.ts';
import { csrfOf, TestClient } from '../helpers/client.ts';
import { signedInClient } from '../helpers/sessions.ts';
import type { TestApp } from '../helpers/app.ts';

/** "Now" in every security test: an open round made by the factories is still open. */
export const NOW = FIXTURE_NOW;
/** A closing or follow-up day every form accepts at NOW. */
export const LATER_DAY = '2026-12-01';

/** A client signed in as `user`, with its session's CSRF token. */
export async function signedIn(app: TestApp, db: Kysely<Database>, user: { id: string }) {
  const { client } = await signedInClient(app, db, user);
  return { client, csrf: await csrfOf(client, '/account') };
}

/** A visitor without an account who opened a form page, so has a session and its token. */
export async function visitor(app: TestApp) {
  const client = new TestClient(app.url);
  return { client, csrf: await csrfOf(client, '/sign-in') };
}

/** Signs of an unhandled error leaking into a response body. */
export function assertNoStackTrace(html: string, what: string) {
  assert.doesNotMatch(html, /\bat [^\n]*\.(?:ts|js|mjs):\d+:\d+|node_modules\//, `${what}: no stack trace in the body`);
}
