// "Return to" addresses only ever lead to a page on this site. Every redirect built from
// input is tried with a table of hostile values: the sign-in page's `next` (when already
// signed in), the `next` carried through an emailed sign-in link, the welcome form's `next`,
// and the sign-in page that requireSignIn sends visitors to. Each value is sent encoded,
// and where a URL can carry it, also as typed.
import { it, before, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { renderEmail } from '../../src/email/render.ts';
import { createUser } from '../helpers/factories.ts';
import { csrfOf } from '../helpers/client.ts';
import { NOW, signedIn, visitor } from './world.ts';

export const HOSTILE_NEXT = [
  '//evil.example',
  '//evil.example/sign-in',
  '///evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '\\/evil.example',
  'https://evil.example',
  'HTTPS://evil.example/',
  'http:evil.example',
  '//evil.example@127.0.0.1',
  'javascript:alert(1)',
  ' javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  '%2F%2Fevil.example',
  '/%2F%2Fevil.example',
  '/%5Cevil.example',
  '/%5C%5Cevil.example',
  '%5C%5Cevil.example',
  ' //evil.example',
  '/\t/evil.example',
  '/\r\nLocation: https://evil.example',
  '/\r\nSet-Cookie: upward_session=stolen',
  '/%0D%0ALocation:%20https://evil.example',
  '/\u3000/evil.example',
  '/\uFF0F\uFF0Fevil.example',
  `/${'a'.repeat(5_000)}`,
  '',
];

describeEachDatabase('open redirects', (database) => {
  let origin: string;
  const { app } = useTestApp(database, { clock: new ManualClock(NOW) });

  before(async () => {
    origin = new URL(app().url).origin;
  });
  beforeEach(() => database().db.deleteFrom('rate_limits').execute());

  /** A Location that stays on this site: one leading slash, resolving to our own origin. */
  function assertLocal(location: string | null, what: string) {
    assert.ok(location, `${what}: redirects`);
    assert.doesNotMatch(
      location,
      /[\r\n\t\\]/,
      `${what}: no control characters or backslashes in ${JSON.stringify(location)}`,
    );
    assert.match(location, /^\/(?![/\\])/, `${what}: ${JSON.stringify(location)} is a local path`);
    assert.equal(
      new URL(location, app().url).origin,
      origin,
      `${what}: ${JSON.stringify(location)} stays on this site`,
    );
  }

  /** The query string forms of a value: encoded, and as typed where a URL can carry it. */
  const inQuery = (value: string) => [
    `next=${encodeURIComponent(value)}`,
    ...(/^[\x21-\x7e]*$/.test(value) && !value.includes('#') ? [`next=${value}`] : []),
  ];

  it('never leaves the site from the sign-in page of someone already signed in', async () => {
    const user = await createUser(database().db);
    for (const value of HOSTILE_NEXT) {
      for (const query of inQuery(value)) {
        const { client } = await signedIn(app(), database().db, user);
        const response = await client.get(`/sign-in?${query}`);
        assert.equal(response.status, 303);
        assertLocal(response.location, `GET /sign-in?${query.slice(0, 80)}`);
      }
    }
  });

  it('never carries a hostile address through an emailed sign-in link, nor the welcome form', async () => {
    const db = database().db;
    for (const [index, value] of HOSTILE_NEXT.entries()) {
      const email = `redirect-${index}-${Date.now()}@example.com`;
      const { client, csrf } = await visitor(app());
      const asked = await client.post('/sign-in', { _csrf: csrf, email, next: value });
      assert.equal(asked.status, 303);
      const stored = await db
        .selectFrom('sign_in_tokens')
        .select('next_path')
        .where('email', '=', email)
        .executeTakeFirstOrThrow();
      // Kept only if it is a path here (`/%2F%2Fevil.example` is one: a page of this site).
      if (stored.next_path !== null)
        assertLocal(stored.next_path, `the way back kept for ${JSON.stringify(value.slice(0, 60))}`);
      const sent = await db
        .selectFrom('email_outbox')
        .select('text')
        .where('to_address', '=', email)
        .executeTakeFirstOrThrow();
      const link = /\/sign-in\/link\/[A-Za-z0-9_-]+/.exec(sent.text)![0];
      const confirmed = await client.post(link, { _csrf: await csrfOf(client, link) });
      assert.equal(confirmed.status, 303);
      assertLocal(confirmed.location, `sign-in link for next=${JSON.stringify(value.slice(0, 60))}`);

      // A new person is asked their name first; the welcome form's own `next` is checked too.
      const welcome = await client.get(`/welcome?next=${encodeURIComponent(value)}`);
      assert.equal(welcome.status, 200);
      const carried = /name="next" value="([^"]*)"/.exec(welcome.html)?.[1];
      if (carried)
        assertLocal(carried.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'), 'the way back the welcome form carries');
      const named = await client.post('/welcome', {
        _csrf: await csrfOf(client, '/welcome'),
        name: 'Rae Redirect',
        next: value,
      });
      assert.equal(named.status, 303);
      assertLocal(named.location, `POST /welcome next=${JSON.stringify(value.slice(0, 60))}`);
    }
  });

  it('sends visitors of any signed-in page to sign in with a way back that is a local path', async () => {
    for (const path of [
      '/requests',
      '/requests?next=//evil.example',
      '/collect/%2F%2Fevil.example',
      '/reports//evil.example',
      '/account?x=%0D%0ALocation:evil',
    ]) {
      const { client } = await visitor(app());
      const response = await client.get(path);
      assertLocal(response.location, `GET ${path}`);
      assert.match(response.location!, /^\/sign-in(\?next=|$)/);
      const next = new URL(response.location!, app().url).searchParams.get('next');
      if (next) assertLocal(next, `the way back from ${path}`);
    }
  });

  it('refuses to put a link to another site into an email', () => {
    for (const link of ['https://evil.example/sign-in/link/x', '//evil.example/x', 'javascript:alert(1)']) {
      assert.throws(
        () => renderEmail('sign-in-link', { link, minutes: 10 }, { BASE_URL: app().url }),
        /An email link must be a path in Upward/,
      );
    }
  });
});
