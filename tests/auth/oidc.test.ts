// Single sign-on against a real OpenID provider (oidc-provider, in-process on a loopback
// port, tests/helpers/oidc-provider.ts), over HTTP on both databases: the sign-in that works,
// and each way it must fail with its own page, signing no one in.
import { createServer } from 'node:http';
import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useAppOnPglite, useTestApp } from '../helpers/suite.ts';
import { freePort } from '../helpers/ports.ts';
import { runNode } from '../helpers/processes.ts';
import { TestClient, csrfTokenIn, textOf, type Page } from '../helpers/client.ts';
import { loginAtProvider, OIDC_CLIENT_ID, useOidcProvider, type AccountClaims } from '../helpers/oidc-provider.ts';
import { assertNoStackTrace } from '../security/world.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { discoverOidcProvider } from '../../src/auth/oidc-client.ts';
import { loadConfig } from '../../src/config.ts';
import { portOf } from '../../src/http/server.ts';

describeEachDatabase('sign-in with OpenID Connect', (database) => {
  const clock = new ManualClock('2026-11-02T09:00:00Z');
  const idp = useOidcProvider();
  const { app } = useTestApp(database, { clock, oidc: idp.forApp, env: { ALLOWED_EMAIL_DOMAINS: 'example.com' } });
  const db = () => database().db;
  let client: TestClient;
  let account = 0;

  beforeEach(() => {
    client = new TestClient(app().url);
  });

  /** A login name at the provider with these claims (a fresh one per call). */
  function accountWith(claims: AccountClaims): string {
    const login = `person-${++account}`;
    idp.provider().accounts.set(login, claims);
    return login;
  }

  /** Presses the provider's button on the sign-in page (opened with `next`). */
  async function pressButton(next?: string, by: TestClient = client): Promise<Page> {
    const page = next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in';
    // Someone signed in has no sign-in page (it sends them on): they post from another page.
    const signedIn = by.cookies.has('upward_session');
    const started = await by.submit(signedIn ? '/account' : page, next ? { next } : {}, '/sign-in/oidc');
    assert.equal(started.status, 303);
    assert.ok(started.location!.startsWith(idp.provider().issuer), 'the button leads to the provider');
    return started;
  }

  /** Signs in at the provider as `login` and returns the callback address it sends the browser to. */
  async function callbackFor(login: string, next?: string, by: TestClient = client): Promise<string> {
    return loginAtProvider(by, await pressButton(next, by), app().url, { login });
  }

  const count = async (table: 'sessions' | 'users' | 'rate_limits' | 'sign_in_tokens') =>
    Number(
      (
        await db()
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  async function assertSignedOut(by: TestClient = client) {
    assert.doesNotMatch(textOf((await by.get('/')).html), /Signed in as/);
  }

  /** Opens the callback and expects `status` and `title` on a page that signs no one in. */
  async function assertRefused(callback: string, status: number, title: RegExp, by: TestClient = client) {
    const sessionsBefore = await count('sessions');
    const page = await by.get(callback);
    assert.equal(page.status, status, `status of ${title}`);
    assert.match(textOf(page.html), title);
    assert.match(page.html, /href="\/sign-in/, 'a way to start again');
    assertNoStackTrace(page.html, String(title));
    assert.equal(await count('sessions'), sessionsBefore, 'no session is made');
    await assertSignedOut(by);
    return page;
  }

  it('shows the provider button first, keeps next in both forms, and starting writes no row', async () => {
    const before = await Promise.all([count('sessions'), count('rate_limits'), count('sign_in_tokens')]);
    const page = await client.get('/sign-in?next=%2Frequests');
    const html = page.html;
    assert.ok(
      html.indexOf('/sign-in/oidc') < html.indexOf('action="/sign-in"'),
      'the button comes before the email form',
    );
    assert.match(textOf(html), /Sign in with your company account/);
    assert.equal(html.match(/name="next" value="\/requests"/g)?.length, 2, 'both forms return to next');
    await pressButton('/requests');
    assert.match(client.cookies.get('upward_oidc') ?? '', /\./, 'the pending sign-in is in a signed cookie');
    assert.deepEqual(await Promise.all([count('sessions'), count('rate_limits'), count('sign_in_tokens')]), before);
  });

  it('signs a new person in with their verified email and name, and returns to next', async () => {
    const login = accountWith({ email: 'Grace@Example.com', email_verified: true, name: 'Grace Hopper' });
    const callback = await callbackFor(login, '/requests/new');
    assert.match(callback, /[?&]code=/);
    const back = await client.get(callback);
    assert.equal(back.status, 303);
    assert.equal(back.location, '/requests/new');
    assert.ok(!client.cookies.has('upward_oidc'), 'the pending sign-in is over');
    const page = await client.follow(back);
    assert.equal(page.status, 200);
    assert.match(textOf(page.html), /Signed in as Grace Hopper/);
    const user = await db().selectFrom('users').selectAll().where('email', '=', 'grace@example.com').executeTakeFirst();
    assert.equal(user?.display_name, 'Grace Hopper', 'found by the lower-cased email, named from the claim');
  });

  it('rotates the session at sign-in and keeps a name the person chose', async () => {
    await db().insertInto('users').values({ email: 'ada@example.com', display_name: 'Ada' }).execute();
    const first = accountWith({ email: 'linus@example.com', email_verified: true });
    const named = await client.get(await callbackFor(first));
    assert.match(named.location!, /^\/welcome\?next=%2F/, 'someone without a name is asked for one');
    const before = client.cookies.get('upward_session')!;
    // Signing in again, as someone else, in the same browser (a fresh provider session).
    const other = new TestClient(app().url);
    other.cookies.set('upward_session', before);
    const second = accountWith({ email: 'ada@example.com', email_verified: true, name: 'Ada Lovelace' });
    const back = await other.get(await callbackFor(second, undefined, other));
    assert.equal(back.location, '/');
    const after = other.cookies.get('upward_session')!;
    assert.notEqual(after, before, 'a new session id');
    await assertSignedOut(client); // the old id no longer works
    assert.match(textOf((await other.get('/')).html), /Signed in as Ada\b(?! Lovelace)/);
  });

  it('returns only to a page on this site, whatever next was posted', async () => {
    const login = accountWith({ email: 'next@example.com', email_verified: true, name: 'N' });
    for (const next of ['//evil.example/x', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)']) {
      client = new TestClient(app().url);
      const sign = await client.get('/sign-in');
      const started = await client.post('/sign-in/oidc', { _csrf: csrfTokenIn(sign.html), next });
      const back = await client.get(await loginAtProvider(client, started, app().url, { login }));
      assert.equal(back.status, 303);
      assert.equal(back.location, '/', `${next} is not followed`);
    }
  });

  it('refuses a pending sign-in cookie that was not signed here', async () => {
    const callback = new URL(await callbackFor(accountWith({ email: 'cookie@example.com', email_verified: true })));
    // Someone who knows how the cookie is built makes one for a state of their choosing.
    const [payload] = client.cookies.get('upward_oidc')!.split('.');
    const pending = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...pending, state: 'chosen' })).toString('base64url');
    client.cookies.set('upward_oidc', `${forged}.${'0'.repeat(64)}`);
    callback.searchParams.set('state', 'chosen');
    await assertRefused(callback.href, 400, /not started here, or took too long/);
  });

  it('refuses a callback whose state is not this browser’s', async () => {
    const callback = new URL(await callbackFor(accountWith({ email: 'eve@example.com', email_verified: true })));
    callback.searchParams.set('state', 'another-browsers-state');
    await assertRefused(callback.href, 400, /does not belong to this browser/);
  });

  it('refuses a callback with no sign-in started in this browser', async () => {
    const callback = await callbackFor(accountWith({ email: 'mallory@example.com', email_verified: true }));
    await assertRefused(callback, 400, /not started here, or took too long/, new TestClient(app().url));
  });

  it('refuses a pending sign-in older than its cookie allows', async () => {
    const callback = await callbackFor(accountWith({ email: 'slow@example.com', email_verified: true }));
    clock.advance(11 * 60_000);
    await assertRefused(callback, 400, /not started here, or took too long/);
  });

  it('refuses a replayed code, even with the cookie copied', async () => {
    const callback = await callbackFor(accountWith({ email: 'replay@example.com', email_verified: true }));
    const copied = client.cookies.get('upward_oidc')!;
    assert.equal((await client.get(callback)).status, 303, 'the first use signs in');
    const attacker = new TestClient(app().url);
    attacker.cookies.set('upward_oidc', copied);
    await assertRefused(callback, 400, /already been used/, attacker);
    // The same browser again: its pending sign-in is over.
    const again = await client.get(callback);
    assert.equal(again.status, 400);
    assert.match(textOf(again.html), /not started here/);
  });

  it('refuses an ID token not signed by the provider', async () => {
    const callback = await callbackFor(accountWith({ email: 'forged@example.com', email_verified: true }));
    idp.provider().bendNextIdToken({ forge: true, claims: { email: 'ceo@example.com' } });
    await assertRefused(callback, 502, /could not verify who you are/);
    assert.equal(
      await db()
        .selectFrom('users')
        .select('id')
        .where('email', 'in', ['ceo@example.com', 'forged@example.com'])
        .executeTakeFirst(),
      undefined,
    );
  });

  it('refuses an ID token minted for another sign-in (its nonce)', async () => {
    const callback = await callbackFor(accountWith({ email: 'nonce@example.com', email_verified: true }));
    idp.provider().bendNextIdToken({ claims: { nonce: 'another-sign-ins-nonce' } });
    await assertRefused(callback, 400, /does not belong to this browser/);
  });

  it('refuses an expired ID token', async () => {
    const callback = await callbackFor(accountWith({ email: 'late@example.com', email_verified: true }));
    const now = Math.floor(Date.now() / 1000);
    idp.provider().bendNextIdToken({ claims: { iat: now - 7200, exp: now - 3600 } });
    await assertRefused(callback, 502, /had expired/);
  });

  it('refuses an ID token issued for another client', async () => {
    const callback = await callbackFor(accountWith({ email: 'aud@example.com', email_verified: true }));
    idp.provider().bendNextIdToken({ claims: { aud: 'another-application', azp: 'another-application' } });
    await assertRefused(callback, 502, /meant for another service/);
  });

  it('refuses an unverified email, and a missing one, each with its page', async () => {
    const unverified = accountWith({ email: 'unverified@example.com', email_verified: false, name: 'U' });
    await assertRefused(await callbackFor(unverified), 403, /not verified/);
    client = new TestClient(app().url);
    const missing = accountWith({ name: 'No Email' });
    await assertRefused(await callbackFor(missing), 403, /did not tell us your email address/);
    const users = await db().selectFrom('users').select('id').where('email', '=', 'unverified@example.com').execute();
    assert.deepEqual(users, [], 'no account is made');
  });

  it('refuses an address outside ALLOWED_EMAIL_DOMAINS', async () => {
    const outsider = accountWith({ email: 'someone@elsewhere.org', email_verified: true });
    await assertRefused(await callbackFor(outsider), 403, /cannot use Upward/);
  });

  it('says so when the person cancels at the provider (access_denied)', async () => {
    const back = await loginAtProvider(client, await pressButton(), app().url, { cancel: true });
    assert.match(back, /error=access_denied/);
    await assertRefused(back, 403, /cancelled at your company account/);
  });

  it('answers a hostile callback with a page, never a 500', async () => {
    const queries = [
      '',
      '?code=a&code=b&state=x&state=y',
      '?state=%FF%FE',
      '?error=%3Cscript%3E',
      `?code=${'x'.repeat(5000)}`,
    ];
    for (const query of queries) {
      await pressButton();
      const page = await client.get(`/sign-in/oidc/callback${query}`);
      assert.ok([400, 403, 502].includes(page.status), `${query.slice(0, 40)}: ${page.status}`);
      assertNoStackTrace(page.html, query.slice(0, 40));
      assert.doesNotMatch(page.html, /<script>/);
    }
  });

  it('logs why a sign-in was refused, without codes or tokens', async () => {
    const callback = await callbackFor(accountWith({ email: 'logged@example.com', email_verified: true }));
    idp.provider().bendNextIdToken({ forge: true });
    await client.get(callback);
    const code = new URL(callback).searchParams.get('code')!;
    const line = app().logs.lines.findLast((l) => l.includes('OIDC sign-in refused'));
    assert.ok(line, 'the refusal is logged');
    assert.match(line, /forged-token/);
    assert.match(line, /signature/);
    assert.ok(!app().logs.text.includes(code), 'the code is never logged');
    assert.doesNotMatch(app().logs.text, /eyJ[\w-]+\.eyJ/, 'no token is logged');
  });

  it('signs out of Upward and offers to sign out at the provider too', async () => {
    await client.get(await callbackFor(accountWith({ email: 'leaving@example.com', email_verified: true, name: 'L' })));
    const out = await client.follow(await client.submit('/account', {}, '/sign-out'));
    await assertSignedOut();
    const link = /href="([^"]+)">Also sign out of 127\.0\.0\.1:\d+</.exec(
      out.html.replace(/&amp;/g, '&').replace(/&#x3D;/g, '='),
    );
    assert.ok(link, 'the signed-out page offers the provider’s sign-out');
    const url = new URL(link[1]!);
    assert.ok(url.href.startsWith(idp.provider().issuer));
    assert.equal(url.searchParams.get('client_id'), OIDC_CLIENT_ID);
    assert.equal(url.searchParams.get('post_logout_redirect_uri'), `${app().url}/signed-out`);
    assert.equal(url.searchParams.get('id_token_hint'), null, 'no ID token is kept to hint with');
    assert.equal((await client.get(url.href)).status, 200, 'the provider asks to confirm');
  });
});

describe('SIGN_IN_METHODS', () => {
  describe('oidc only', () => {
    const idp = useOidcProvider({ SIGN_IN_METHODS: 'oidc' });
    const { app } = useAppOnPglite({ oidc: idp.forApp });

    it('shows only the button, and refuses email links', async () => {
      const client = new TestClient(app().url);
      const page = await client.get('/sign-in?next=%2Fcollect');
      assert.match(page.html, /action="\/sign-in\/oidc"/);
      assert.match(page.html, /name="next" value="\/collect"/);
      assert.doesNotMatch(page.html, /action="\/sign-in"|Email me a sign-in link/);
      const refused = await client.post('/sign-in', { _csrf: csrfTokenIn(page.html), email: 'ada@example.com' });
      assert.equal(refused.status, 403);
      assert.match(textOf(refused.html), /Sign-in by email is turned off here/);
    });
  });

  describe('email only, with a provider configured', () => {
    const idp = useOidcProvider({ SIGN_IN_METHODS: 'email' });
    const { app } = useAppOnPglite({ oidc: idp.forApp });

    it('shows no button and has no single sign-on', async () => {
      const client = new TestClient(app().url);
      const page = await client.get('/sign-in');
      assert.doesNotMatch(page.html, /\/sign-in\/oidc|company account/);
      const signedOut = await client.get('/signed-out');
      assert.doesNotMatch(signedOut.html, /Also sign out of/);
      assert.equal((await client.post('/sign-in/oidc', { _csrf: csrfTokenIn(page.html) })).status, 404);
      assert.equal((await client.get('/sign-in/oidc/callback?code=x&state=y')).status, 404);
    });
  });
});

describe('OpenID provider discovery at start', () => {
  const env = { isProduction: false, OIDC_CLIENT_ID: 'upward', OIDC_CLIENT_SECRET: 'secret' };

  it('names an issuer that cannot be reached, in one line', async () => {
    const port = await freePort();
    await assert.rejects(discoverOidcProvider({ ...env, OIDC_ISSUER: `http://127.0.0.1:${port}` }), (error: Error) => {
      assert.match(error.message, new RegExp(`^OIDC_ISSUER http://127\\.0\\.0\\.1:${port} could not be reached: `));
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
  });

  it('names an issuer that is not an OpenID provider, in one line', async () => {
    const server = createServer((_req, res) => res.writeHead(404).end('Not found'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const issuer = `http://127.0.0.1:${portOf(server)}`;
      await assert.rejects(discoverOidcProvider({ ...env, OIDC_ISSUER: issuer }), (error: Error) => {
        assert.match(
          error.message,
          new RegExp(`^OIDC_ISSUER ${issuer.replace(/\./g, '\\.')} is not an OpenID provider: `),
        );
        assert.doesNotMatch(error.message, /\n/);
        return true;
      });
    } finally {
      server.close();
    }
  });
});

describe('starting with an OpenID provider that is not there', () => {
  it('exits with one line, in production too, before anything listens', async () => {
    const port = await freePort();
    const { code, stderr, stdout } = await runNode('src/main.ts', {
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: '/nonexistent-oidc-start',
      SESSION_SECRET: 'x'.repeat(40),
      SMTP_URL: 'smtp://127.0.0.1:9',
      BASE_URL: 'https://upward.example.com',
      OIDC_ISSUER: `https://127.0.0.1:${port}`,
      OIDC_CLIENT_ID: 'upward',
      OIDC_CLIENT_SECRET: 'secret',
    });
    assert.equal(code, 1);
    assert.match(
      stderr.trim(),
      new RegExp(`^OIDC_ISSUER https://127\\.0\\.0\\.1:${port} could not be reached: [^\\n]+$`),
    );
    assert.doesNotMatch(stdout, /ready/);
  });
});

describe('OIDC configuration', () => {
  const base = { NODE_ENV: 'test', DATA_DIR: '/nonexistent' };
  const oidc = { OIDC_ISSUER: 'https://login.example.com', OIDC_CLIENT_ID: 'upward', OIDC_CLIENT_SECRET: 's3cret' };

  it('signs in by email alone by default, and adds oidc when a provider is configured', () => {
    assert.deepEqual(loadConfig(base).SIGN_IN_METHODS, ['email']);
    const config = loadConfig({ ...base, ...oidc });
    assert.deepEqual(config.SIGN_IN_METHODS, ['email', 'oidc']);
    assert.equal(config.OIDC_SCOPES, 'openid email profile');
    assert.equal(config.OIDC_BUTTON_LABEL, 'Sign in with your company account');
    assert.deepEqual(loadConfig({ ...base, ...oidc, SIGN_IN_METHODS: 'oidc' }).SIGN_IN_METHODS, ['oidc']);
  });

  it('wants all three of issuer, client id and secret, or none, and never echoes the secret', () => {
    assert.throws(
      () => loadConfig({ ...base, OIDC_ISSUER: oidc.OIDC_ISSUER }),
      /OIDC_ISSUER goes with OIDC_CLIENT_ID and OIDC_CLIENT_SECRET/,
    );
    assert.throws(() => loadConfig({ ...base, SIGN_IN_METHODS: 'oidc' }), /SIGN_IN_METHODS includes oidc, which needs/);
    assert.throws(() => loadConfig({ ...base, SIGN_IN_METHODS: 'password' }), /must be email, oidc, or both/);
    assert.throws(() => loadConfig({ ...base, ...oidc, OIDC_SCOPES: 'email' }), /must include openid/);
    assert.throws(
      () => loadConfig({ ...base, ...oidc, NODE_ENV: 'production', OIDC_ISSUER: 'http://login.example.com' }),
      (error: Error) =>
        /OIDC_ISSUER must be an https:\/\/ address in production/.test(error.message) &&
        !error.message.includes('s3cret'),
    );
  });
});
