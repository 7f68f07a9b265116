// A visitor writes nothing: the pages anyone can open (the landing page, the sign-in page, the
// page an emailed sign-in link opens) leave every table as it was, however often they are
// viewed, so a crawler cannot grow the database. Their forms are still protected: the token
// is signed with the server secret and must match its cookie, and a signed-in person's token
// belongs to their session alone.
import { it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { TestClient, csrfOf, csrfTokenIn, textOf, type Page } from '../helpers/client.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { createSignInToken } from '../../src/auth/sign-in-tokens.ts';
import { createUser } from '../helpers/factories.ts';

/** Every table's row count and a digest of all its rows, so an update shows as well as an insert. */
async function everyTable(db: Kysely<Database>): Promise<Record<string, string>> {
  const { rows: tables } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(db);
  const state: Record<string, string> = {};
  for (const { name } of tables) {
    const { rows } = await sql<{ count: string; digest: string | null }>`
      select count(*)::text as count, md5(string_agg(t::text, ',' order by t::text)) as digest
      from ${sql.table(name)} as t`.execute(db);
    state[name] = `${rows[0]!.count} rows, ${rows[0]!.digest ?? 'empty'}`;
  }
  return state;
}

function assertRefused(page: Page, why: string) {
  assert.equal(page.status, 403, why);
  assert.match(textOf(page.html), /This form has expired/, `${why}: the page says what happened`);
}

describeEachDatabase('visitors and their forms', (database) => {
  const clock = new ManualClock('2026-11-02T09:00:00Z');
  const db = () => database().db;
  const { app } = useTestApp(database, { clock });

  beforeEach(() => db().deleteFrom('rate_limits').execute());

  it('writes nothing for 20 views of each page a visitor can open, and starts no session', async () => {
    await createUser(db(), { email: 'known@example.com', name: 'Known' });
    const link = await createSignInToken(db(), 'known@example.com', undefined, clock.now());
    const pages = [
      '/',
      '/sign-in',
      '/sign-in?next=%2Frequests',
      '/sign-in/check-email',
      `/sign-in/link/${link}`,
      '/signed-out',
      '/requests',
      '/no-such-page',
    ];
    const before = await everyTable(db());
    assert.ok(Object.keys(before).includes('sessions'), 'every table is counted, sessions among them');
    for (const page of pages) {
      // A new browser each time, as a crawler comes, and one that comes back with its cookies.
      const returning = new TestClient(app().url);
      for (let i = 0; i < 20; i++) {
        const visitor = i % 2 ? returning : new TestClient(app().url);
        const response = await visitor.get(page);
        assert.ok([200, 303, 404].includes(response.status), `${page} answers (${response.status})`);
        assert.ok(
          response.setCookies.every((cookie) => !cookie.includes('upward_session')),
          `${page} starts no session`,
        );
      }
    }
    assert.deepEqual(await everyTable(db()), before, 'no table changed');
    assert.ok(csrfTokenIn((await new TestClient(app().url).get(`/sign-in/link/${link}`)).html));
  });

  it('refuses a visitor form whose token is not the one in its own cookie, or not signed here', async () => {
    const mallory = new TestClient(app().url);
    const victim = new TestClient(app().url);
    const stolen = await csrfOf(mallory, '/sign-in');
    await victim.get('/sign-in');
    assertRefused(
      await victim.post('/sign-in', { _csrf: stolen, email: 'victim@example.com' }),
      "another browser's token",
    );

    // Someone able to plant a cookie still cannot make a pair: the token must carry our signature.
    const made = `${'a'.repeat(64)}.${'b'.repeat(64)}`;
    const planted = new TestClient(app().url);
    planted.cookies.set('upward_csrf', made);
    assertRefused(await planted.post('/sign-in', { _csrf: made, email: 'victim@example.com' }), 'an unsigned pair');

    const noCookie = new TestClient(app().url);
    assertRefused(await noCookie.post('/sign-in', { _csrf: stolen, email: 'victim@example.com' }), 'no cookie');
    const none = await db().selectFrom('email_outbox').select('id').where('to_address', '=', 'victim@example.com');
    assert.deepEqual(await none.execute(), [], 'nothing was sent');

    const honest = await victim.post('/sign-in', {
      _csrf: csrfTokenIn((await victim.get('/sign-in')).html),
      email: 'victim@example.com',
    });
    assert.equal(honest.status, 303, 'the browser’s own token works');
  });

  it("binds a signed-in person's token to their session: a visitor's pair or another session's is refused", async () => {
    const user = await createUser(db(), { email: 'bound@example.com', name: 'Bound' });
    const { client: laptop } = await signedInClient(app(), db(), user);
    const { client: phone } = await signedInClient(app(), db(), user);

    // A pair valid for a visitor (Mallory's own, planted in the victim's browser) is not the session's.
    const mallory = new TestClient(app().url);
    const visitorToken = await csrfOf(mallory, '/sign-in');
    laptop.cookies.set('upward_csrf', mallory.cookies.get('upward_csrf')!);
    assertRefused(await laptop.post('/account/name', { _csrf: visitorToken, name: 'Mallory' }), "a visitor's pair");

    // Nor is the pair of another session of the same person.
    const phoneToken = await csrfOf(phone, '/account');
    laptop.cookies.set('upward_csrf', phone.cookies.get('upward_csrf')!);
    assertRefused(await laptop.post('/account/name', { _csrf: phoneToken, name: 'Mallory' }), "another session's pair");

    const named = await db().selectFrom('users').select('display_name').where('id', '=', user.id).executeTakeFirst();
    assert.equal(named?.display_name, 'Bound', 'nothing was changed');
    const own = await laptop.post('/account/name', { _csrf: await csrfOf(laptop, '/account'), name: 'Still Bound' });
    assert.equal(own.status, 303, "the session's own token works, issued anew on its next page");
  });
});
