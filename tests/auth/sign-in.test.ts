// Sign-in by emailed link, sessions, CSRF and rate limits, over HTTP on both databases.
// Emails are read from the outbox here; sign-in-smtp.test.ts follows one through real SMTP.
import { it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient, csrfOf, csrfTokenIn, textOf, type Page } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { randomToken } from '../../src/lib/tokens.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';

const LINK = /https?:\/\/[^\s"<]+\/sign-in\/link\/[A-Za-z0-9_-]+/;

async function latestEmailTo(db: Kysely<Database>, to: string) {
  return db
    .selectFrom('email_outbox')
    .selectAll()
    .where('to_address', '=', to)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

async function askForLink(client: TestClient, email: string, next?: string) {
  // The form carries `next` in a hidden field, as a browser would post it.
  return client.submit(
    next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in',
    { email, ...(next ? { next } : {}) },
    '/sign-in',
  );
}

/** Requests a link, reads it from the outbox, opens it and presses the button. */
export async function signIn(app: TestApp, db: Kysely<Database>, client: TestClient, email: string) {
  // Earlier emails to the address were queued at the same (manual) time: clear them so the
  // newest is unmistakable.
  await db.deleteFrom('email_outbox').where('to_address', '=', email).execute();
  await askForLink(client, email);
  const mail = await latestEmailTo(db, email);
  const link = LINK.exec(mail!.text)![0].replace(app.config.BASE_URL, '');
  return client.follow(await client.submit(link, {}));
}

describeEachDatabase('sign-in by emailed link', (database) => {
  const clock = new ManualClock('2026-11-02T09:00:00Z');
  let client: TestClient;
  const db = () => database().db;
  const { app } = useTestApp(database, { clock });

  /** Asks for a link for `email` from `visitor` and returns its path, read from the outbox. */
  async function emailedLinkPath(visitor: TestClient, email: string, on: TestApp = app()) {
    await db().deleteFrom('email_outbox').where('to_address', '=', email).execute();
    const asked = await visitor.post('/sign-in', { _csrf: await csrfOf(visitor, '/sign-in'), email });
    assert.equal(asked.status, 303);
    return LINK.exec((await latestEmailTo(db(), email))!.text)![0].replace(on.config.BASE_URL, '');
  }

  /** Asks for a link from another browser (`client` may be signed in) and confirms it in `client`. */
  async function signInThroughLink(client: TestClient, email: string) {
    const link = await emailedLinkPath(new TestClient(app().url), email);
    const signedIn = await client.submit(link, {});
    assert.equal(signedIn.status, 303);
    return signedIn;
  }

  beforeEach(async () => {
    client = new TestClient(app().url);
    // Each test starts with fresh rate limit windows.
    await db().deleteFrom('rate_limits').execute();
  });

  it('signs a new person in end to end: email, link, confirm, name, start page', async () => {
    const sent = await askForLink(client, '  Ada@Example.com ');
    assert.equal(sent.status, 303);
    assert.equal(sent.location, '/sign-in/check-email');
    assert.match(textOf((await client.follow(sent)).html), /Check your inbox/);

    const mail = await latestEmailTo(db(), 'ada@example.com');
    assert.ok(mail, 'a sign-in email is queued for the normalised address');
    assert.equal(mail.subject, 'Your sign-in link for Upward');
    const link = LINK.exec(mail.text)![0];
    assert.ok(link.startsWith(`${app().config.BASE_URL}/sign-in/link/`), 'the link is absolute, from BASE_URL');
    assert.ok(mail.html.includes(link), 'the HTML part carries the same link');
    const token = link.split('/').at(-1)!;
    assert.ok(Buffer.from(token, 'base64url').length >= 32, 'at least 256 bits');
    const stored = await db().selectFrom('sign_in_tokens').select('token_hash').execute();
    assert.ok(
      stored.every((row) => row.token_hash !== token),
      'only the hash is stored',
    );

    const path = link.replace(app().config.BASE_URL, '');
    const confirm = await client.get(path);
    assert.equal(confirm.status, 200);
    assert.match(textOf(confirm.html), /signing in as ada@example\.com/);

    const signedIn = await client.post(path, { _csrf: csrfTokenIn(confirm.html) });
    assert.equal(signedIn.status, 303);
    assert.match(signedIn.location!, /^\/welcome/);
    const named = await client.follow(await client.submit(signedIn.location!, { name: 'Ada Lovelace' }, '/welcome'));
    assert.equal(named.status, 200);
    assert.match(textOf(named.html), /Hello, Ada Lovelace/);
    assert.match(textOf(named.html), /Signed in as Ada Lovelace/);
    assert.equal(named.headers.get('cache-control'), 'no-store');
  });

  it('opening the link (GET) signs no one in and does not use it up', async () => {
    await askForLink(client, 'scanner@example.com');
    const link = LINK.exec((await latestEmailTo(db(), 'scanner@example.com'))!.text)![0].replace(
      app().config.BASE_URL,
      '',
    );
    const scanner = new TestClient(app().url);
    assert.equal((await scanner.get(link)).status, 200);
    assert.equal((await scanner.get(link)).status, 200, 'a second look still shows the page');
    assert.doesNotMatch(textOf((await scanner.get('/')).html), /Signed in as/);
    const row = await db()
      .selectFrom('sign_in_tokens')
      .select('used_at')
      .where('email', '=', 'scanner@example.com')
      .executeTakeFirst();
    assert.equal(row!.used_at, null);
  });

  it('refuses a link the second time, with a way to ask for a new one', async () => {
    await askForLink(client, 'twice@example.com');
    const link = LINK.exec((await latestEmailTo(db(), 'twice@example.com'))!.text)![0].replace(
      app().config.BASE_URL,
      '',
    );
    assert.equal((await client.submit(link, {})).status, 303);
    const other = new TestClient(app().url);
    const second = await other.get(link);
    assert.equal(second.status, 410);
    assert.match(textOf(second.html), /already been used/);
    assert.match(second.html, /href="\/sign-in"/);
  });

  it('refuses a used link posted directly with a fresh form token, and starts no session', async () => {
    const link = await emailedLinkPath(client, 'spent@example.com');
    assert.equal((await client.submit(link, {})).status, 303, 'the first use signs in');
    const sessions = () => db().selectFrom('sessions').select('id_hash').execute();
    const before = await sessions();

    // Someone who copied the link skips its page and posts it with a token of their own.
    const copier = new TestClient(app().url);
    const again = await copier.post(link, { _csrf: await csrfOf(copier, '/sign-in') });
    assert.equal(again.status, 410);
    assert.match(textOf(again.html), /already been used/);
    assert.match(again.html, /href="\/sign-in"/, 'with a way to ask for a new link');
    assert.ok(
      again.setCookies.every((cookie) => !cookie.startsWith('upward_session=')),
      'no session cookie is given',
    );
    assert.deepEqual(await sessions(), before, 'no session is created');
    assert.doesNotMatch(textOf((await copier.get('/')).html), /Signed in as/);
  });

  it('refuses an expired link', async () => {
    await askForLink(client, 'late@example.com');
    const link = LINK.exec((await latestEmailTo(db(), 'late@example.com'))!.text)![0].replace(
      app().config.BASE_URL,
      '',
    );
    const confirm = await client.get(link);
    clock.advance(10 * 60_000 + 1);
    const late = await client.post(link, { _csrf: csrfTokenIn(confirm.html) });
    assert.equal(late.status, 410);
    assert.match(textOf(late.html), /has expired/);
    assert.equal((await client.get(link)).status, 410);
    assert.doesNotMatch(textOf((await client.get('/')).html), /Signed in as/);
  });

  it('tells unknown and malformed links apart from used ones, each with a clear page', async () => {
    const unknown = await client.get(`/sign-in/link/${randomToken()}`);
    assert.equal(unknown.status, 404);
    assert.match(textOf(unknown.html), /do not recognise this sign-in link/);
    const malformed = await client.get('/sign-in/link/abc');
    assert.equal(malformed.status, 400);
    assert.match(textOf(malformed.html), /incomplete/);
    for (const page of [unknown, malformed]) assert.match(page.html, /Ask for a new sign-in link/);
  });

  it('keeps what was typed and shows the error beside the field', async () => {
    const page = await client.submit('/sign-in', { email: 'not-an-address' }, '/sign-in');
    assert.equal(page.status, 422);
    assert.match(page.html, /value="not-an-address"/);
    assert.match(page.html, /aria-invalid="true" aria-describedby="email-error"/);
    assert.match(page.html, /id="email-error"[^>]*>.*Enter an email address like name@example\.com/s);
  });

  it('answers the same for an address outside ALLOWED_EMAIL_DOMAINS, and sends nothing', async () => {
    const limited = await startTestApp({ db: db(), clock, env: { ALLOWED_EMAIL_DOMAINS: 'example.com' } });
    try {
      const visitor = new TestClient(limited.url);
      const outside = await askForLink(visitor, 'someone@elsewhere.org');
      const inside = await askForLink(visitor, 'someone@example.com');
      assert.equal(outside.status, inside.status);
      assert.equal(outside.location, inside.location);
      assert.equal(await latestEmailTo(db(), 'someone@elsewhere.org'), undefined);
      assert.ok(await latestEmailTo(db(), 'someone@example.com'));
    } finally {
      await limited.close();
    }
  });

  it('returns to the page that asked for sign-in', async () => {
    const gate = await client.get('/account');
    assert.equal(gate.status, 303);
    assert.equal(gate.location, '/sign-in?next=%2Faccount');
    await askForLink(client, 'returning@example.com', '/account');
    const link = LINK.exec((await latestEmailTo(db(), 'returning@example.com'))!.text)![0].replace(
      app().config.BASE_URL,
      '',
    );
    const welcome = await client.submit(link, {});
    assert.equal(welcome.location, '/welcome?next=%2Faccount');
    const landed = await client.submit(welcome.location!, { name: 'Rita', next: '/account' }, '/welcome');
    assert.equal(landed.location, '/account');
  });

  it('never redirects to another site after sign-in', async () => {
    await askForLink(client, 'redirect@example.com', '//evil.example/phish');
    const link = LINK.exec((await latestEmailTo(db(), 'redirect@example.com'))!.text)![0].replace(
      app().config.BASE_URL,
      '',
    );
    const welcome = await client.submit(link, {});
    assert.equal(welcome.location, '/welcome?next=%2F');
  });

  it('gives a new session id at sign-in, in an HttpOnly, SameSite=Lax cookie', async () => {
    await client.get('/sign-in');
    assert.equal(client.cookies.get('upward_session'), undefined, 'a visitor has no session to carry over');
    const signedIn = await signInThroughLink(client, 'rotate@example.com');
    const cookie = signedIn.setCookies.find((c) => c.startsWith('upward_session='));
    assert.ok(cookie);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    assert.match(cookie, /Path=\//);
    const first = client.cookies.get('upward_session');
    const stored = await db().selectFrom('sessions').select('id_hash').execute();
    assert.ok(
      stored.every((s) => s.id_hash !== first),
      'only a hash of the id is stored',
    );
    // Signing in again from a browser that is signed in already never keeps the old id.
    await signInThroughLink(client, 'rotate@example.com');
    assert.ok(client.cookies.get('upward_session'));
    assert.notEqual(client.cookies.get('upward_session'), first);
    assert.equal(
      (await db().selectFrom('sessions').select('id_hash').execute()).length,
      stored.length,
      'the session it replaced is gone',
    );
  });

  it('uses Secure __Host- cookies when served over HTTPS in production', async () => {
    const secure = await startTestApp({
      db: db(),
      clock,
      env: {
        NODE_ENV: 'production',
        BASE_URL: 'https://upward.example.com',
        SMTP_URL: 'smtp://127.0.0.1:1',
        SESSION_SECRET: 'x'.repeat(40),
      },
    });
    try {
      const visitor = new TestClient(secure.url);
      const page = await visitor.get('/sign-in');
      const formCookie = page.setCookies.find((c) => c.startsWith('__Host-upward_csrf='));
      assert.ok(formCookie, `a __Host- form cookie, got ${page.setCookies.join(' | ')}`);
      assert.match(page.headers.get('strict-transport-security') ?? '', /max-age=31536000/);
      const signedIn = await visitor.submit(await emailedLinkPath(visitor, 'secure@example.com', secure), {});
      const sessionCookie = signedIn.setCookies.find((c) => c.startsWith('__Host-upward_session='));
      assert.ok(sessionCookie, `a __Host- session cookie, got ${signedIn.setCookies.join(' | ')}`);
      for (const cookie of [formCookie, sessionCookie]) {
        assert.match(cookie, /; Secure/i);
        assert.match(cookie, /; HttpOnly/i);
        assert.match(cookie, /; Path=\//);
        assert.doesNotMatch(cookie, /Domain=/i);
      }
    } finally {
      await secure.close();
    }
  });

  it('limits link confirmations per IP address', async () => {
    const guesser = new TestClient(app().url);
    const page = await guesser.get(`/sign-in/link/${randomToken()}`);
    assert.equal(page.status, 404);
    await guesser.get('/sign-in');
    const token = csrfTokenIn((await guesser.get('/sign-in')).html);
    for (let i = 0; i < 30; i++)
      assert.equal((await guesser.post(`/sign-in/link/${randomToken()}`, { _csrf: token })).status, 404);
    const limited = await guesser.post(`/sign-in/link/${randomToken()}`, { _csrf: token });
    assert.equal(limited.status, 429);
    assert.match(textOf(limited.html), /Please wait/);
  });

  it('ends a session after two idle hours, and after twelve hours in any case', async () => {
    await signIn(app(), db(), client, 'idle@example.com');
    clock.advance(119 * 60_000);
    assert.match(textOf((await client.get('/')).html), /Signed in as/, 'still signed in just before the idle limit');
    clock.advance(121 * 60_000);
    assert.doesNotMatch(textOf((await client.get('/')).html), /Signed in as/);

    const busy = new TestClient(app().url);
    await signIn(app(), db(), busy, 'busy@example.com');
    for (let hour = 0; hour < 11; hour++) {
      clock.advance(60 * 60_000);
      assert.match(textOf((await busy.get('/')).html), /Signed in as/);
    }
    clock.advance(61 * 60_000);
    assert.doesNotMatch(textOf((await busy.get('/')).html), /Signed in as/);
  });

  it('signs out here, or everywhere', async () => {
    const laptop = new TestClient(app().url);
    const phone = new TestClient(app().url);
    const desk = new TestClient(app().url);
    await signIn(app(), db(), laptop, 'everywhere@example.com');
    await signIn(app(), db(), phone, 'everywhere@example.com');
    await signIn(app(), db(), desk, 'everywhere@example.com');

    const out = await laptop.submit('/account', {}, '/sign-out');
    assert.equal(out.location, '/signed-out');
    assert.doesNotMatch(textOf((await laptop.get('/')).html), /Signed in as/);
    assert.match(textOf((await phone.get('/')).html), /Signed in as/, 'signing out here leaves other devices');

    const all = await phone.submit('/account', {}, '/sign-out/everywhere');
    assert.equal(all.location, '/signed-out?everywhere=1');
    assert.doesNotMatch(textOf((await desk.get('/')).html), /Signed in as/);
    assert.doesNotMatch(textOf((await phone.get('/')).html), /Signed in as/);
  });

  it('refuses a form posted without its CSRF token, or from another site, with a friendly 403', async () => {
    await client.get('/sign-in');
    const missing = await client.post('/sign-in', { email: 'csrf@example.com' });
    assert.equal(missing.status, 403);
    assert.match(textOf(missing.html), /This form has expired/);
    const wrong = await client.post('/sign-in', { email: 'csrf@example.com', _csrf: 'guess' });
    assert.equal(wrong.status, 403);
    const page = await client.get('/sign-in');
    client.extraHeaders = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
    const crossSite = await client.post('/sign-in', { email: 'csrf@example.com', _csrf: csrfTokenIn(page.html) });
    assert.equal(crossSite.status, 403);
    assert.equal(await latestEmailTo(db(), 'csrf@example.com'), undefined, 'nothing was sent');
  });

  it("sends an address one link for an attacker's 20 requests, and its owner signs in with it", async () => {
    const target = 'target@example.com';
    const attacker = new TestClient(app().url);
    // Ten at once (they take turns on the address), then ten one after another.
    const asked = [
      ...(await Promise.all(Array.from({ length: 10 }, () => askForLink(attacker, target)))),
      ...(await Array.from({ length: 10 }).reduce<Promise<Page[]>>(
        async (done) => [...(await done), await askForLink(attacker, target)],
        Promise.resolve([]),
      )),
    ];
    assert.deepEqual(
      asked.map((page) => [page.status, page.location]),
      Array.from({ length: 20 }, () => [303, '/sign-in/check-email']),
      'every request gets the same answer, none is refused',
    );
    const emailsTo = () => db().selectFrom('email_outbox').select('text').where('to_address', '=', target).execute();
    assert.equal((await emailsTo()).length, 1, 'one email, not twenty');

    // The owner asks too: the same page, which tells them to use the link they were sent.
    const owner = new TestClient(app().url);
    const checkEmail = await owner.follow(await askForLink(owner, target));
    assert.match(textOf(checkEmail.html), /we send no second one/);
    const emails = await emailsTo();
    assert.equal(emails.length, 1);
    const link = LINK.exec(emails[0]!.text)![0].replace(app().config.BASE_URL, '');
    const signedIn = await owner.follow(await owner.submit(link, {}));
    assert.equal(signedIn.status, 200);
    assert.match(textOf(signedIn.html), /Welcome/);
    assert.equal(
      await db().selectFrom('rate_limits').select('key').where('key', 'like', '%address%').executeTakeFirst(),
      undefined,
    );
  });

  it('makes each link that goes unused last longer, up to two hours: a day of asking every 5 minutes sends 15 emails, and a working link is always there', async () => {
    const target = 'day-long@example.com';
    const attacker = new TestClient(app().url);
    const working = () =>
      db()
        .selectFrom('sign_in_tokens')
        .select('token_hash')
        .where('email', '=', target)
        .where('used_at', 'is', null)
        .where('expires_at', '>', clock.now())
        .execute();
    for (let minute = 0; minute < 24 * 60; minute += 5) {
      assert.equal((await askForLink(attacker, target)).status, 303);
      assert.equal((await working()).length, 1, `a working link at minute ${minute}, and only one`);
      clock.advance(5 * 60_000);
    }
    const links = await db()
      .selectFrom('sign_in_tokens')
      .select(['created_at', 'expires_at'])
      .where('email', '=', target)
      .orderBy('created_at')
      .execute();
    const minutes = links.map((l) => (l.expires_at.getTime() - l.created_at.getTime()) / 60_000);
    assert.deepEqual(minutes, [10, 20, 40, 80, ...Array<number>(11).fill(120)]);
    const emails = await db().selectFrom('email_outbox').select('text').where('to_address', '=', target).execute();
    assert.equal(emails.length, 15);
    assert.match(emails.at(-1)!.text, /valid for 120 minutes/, 'each email says how long its link works');

    // Once the owner signs in, their next link is a short one again.
    await db().deleteFrom('email_outbox').where('to_address', '=', target).execute();
    await db()
      .deleteFrom('sign_in_tokens')
      .where('email', '=', target)
      .where('expires_at', '<=', clock.now())
      .execute();
    clock.advance(120 * 60_000);
    await askForLink(attacker, target);
    const fresh = LINK.exec((await latestEmailTo(db(), target))!.text)![0].replace(app().config.BASE_URL, '');
    assert.equal((await client.submit(fresh, {})).status, 303);
    clock.advance(60_000);
    await askForLink(attacker, target);
    assert.match((await latestEmailTo(db(), target))!.text, /valid for 10 minutes/);
  });

  it('limits sign-in requests per IP address', async () => {
    for (let i = 0; i < 30; i++) assert.equal((await askForLink(client, `person${i}@example.com`)).status, 303);
    assert.equal((await askForLink(client, 'one-more@example.com')).status, 429);
    const counters = await db().selectFrom('rate_limits').select('key').execute();
    assert.ok(
      counters.every((c) => !c.key.includes('127.0.0.1') && !c.key.includes('@')),
      'keys are hashed',
    );
  });
});
