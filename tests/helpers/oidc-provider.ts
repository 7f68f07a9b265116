// A real OpenID provider for the tests: oidc-provider (the certified Node implementation) on
// a random loopback port, with one client registered for the test app's redirect URI, its
// own development login form, and accounts whose claims each test sets. It can also be told
// to bend the next ID token (re-signed with its own key: expired, for another audience; or
// signed with a key it never published: forged), so the app's checks meet each failure.
// useOidcProvider() starts it for the suite's app and stops it by itself in `after`.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { after } from 'node:test';
import Provider, { type KoaContext } from 'oidc-provider';
import { discoverOidcProvider, type OidcProvider } from '../../src/auth/oidc-client.ts';
import { closeGracefully, portOf } from '../../src/http/server.ts';
import type { Page, TestClient } from './client.ts';

export const OIDC_CLIENT_ID = 'upward-test';
const OIDC_CLIENT_SECRET = 'a-test-client-secret-that-is-long-enough';

export interface AccountClaims {
  email?: string;
  email_verified?: boolean;
  name?: string;
}

/** How the next ID token is bent on its way out of the token endpoint. */
export interface IdTokenChange {
  claims?: Record<string, unknown>;
  /** Sign with a key the provider never published (under the published key's id). */
  forge?: boolean;
}

export interface TestOidcProvider {
  issuer: string;
  server: Server;
  /** The claims each login name signs in with; set per test. */
  accounts: Map<string, AccountClaims>;
  bendNextIdToken(change: IdTokenChange): void;
  close(): Promise<void>;
}

const KEY_ID = 'test-signing-key';

function rsaKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey;
}

/** A compact JWS (RS256) of `payload` under `key`. */
function signJwt(payload: Record<string, unknown>, key: KeyObject): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'RS256', typ: 'JWT', kid: KEY_ID })}.${encode(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
}

export async function startOidcProvider(appUrl: string): Promise<TestOidcProvider> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${portOf(server)}`;
  const signingKey = rsaKey();
  const impostorKey = rsaKey();
  const accounts = new Map<string, AccountClaims>();
  let pendingChange: IdTokenChange | undefined;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT_ID,
        client_secret: OIDC_CLIENT_SECRET,
        redirect_uris: [`${appUrl}/sign-in/oidc/callback`],
        post_logout_redirect_uris: [`${appUrl}/signed-out`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [{ ...signingKey.export({ format: 'jwk' }), kid: KEY_ID, alg: 'RS256', use: 'sig' }] },
    cookies: { keys: ['test-provider-cookie-key'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // Put the scope's claims in the ID token, as Entra ID, Google and Keycloak do.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    pkce: { required: () => true },
    // Set, so the provider does not print a notice for each default.
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    findAccount: (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: () => ({ sub, ...accounts.get(sub) }),
    }),
    // Upward is the company's own application: no consent screen, the requested scopes are granted.
    loadExistingGrant: async (ctx: KoaContext) => {
      const { client, session, result, provider: self } = ctx.oidc;
      const grantId = result?.consent?.grantId ?? session?.grantIdFor(client!.clientId);
      if (grantId) return self.Grant.find(grantId);
      const grant = new self.Grant({ clientId: client!.clientId, accountId: session?.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path !== '/token' || ctx.status !== 200 || !body?.id_token || !pendingChange) return;
    const change = pendingChange;
    pendingChange = undefined;
    const claims = { ...claimsOf(body.id_token), ...change.claims };
    ctx.body = { ...body, id_token: signJwt(claims, change.forge ? impostorKey : signingKey) };
  });
  server.on('request', provider.callback());
  return {
    issuer,
    server,
    accounts,
    bendNextIdToken(change) {
      pendingChange = change;
    },
    close: () => closeGracefully(server, 1_000),
  };
}

/** The environment that points the app at `provider`. */
export function oidcEnv(provider: TestOidcProvider, env: Record<string, string> = {}): Record<string, string> {
  return {
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: OIDC_CLIENT_ID,
    OIDC_CLIENT_SECRET: OIDC_CLIENT_SECRET,
    ...env,
  };
}

/**
 * For a suite: `forApp` (hand it to useTestApp's `oidc`) starts the provider once the app's
 * address is known and discovers it as main.ts would; the provider stops after the suite.
 */
export function useOidcProvider(env: Record<string, string> = {}) {
  let provider: TestOidcProvider | undefined;
  after(() => provider?.close());
  return {
    provider: () => provider ?? fail('the OpenID provider is not started yet'),
    forApp: async (appUrl: string): Promise<{ env: Record<string, string>; oidc: OidcProvider }> => {
      provider = await startOidcProvider(appUrl);
      const fullEnv = oidcEnv(provider, env);
      const oidc = await discoverOidcProvider({
        OIDC_ISSUER: fullEnv.OIDC_ISSUER,
        OIDC_CLIENT_ID: fullEnv.OIDC_CLIENT_ID,
        OIDC_CLIENT_SECRET: fullEnv.OIDC_CLIENT_SECRET,
        isProduction: false,
      });
      return { env: fullEnv, oidc };
    },
  };
}

function fail(message: string): never {
  throw new Error(message);
}

/** Follows redirects across sites (the app, the provider) until one leads to `stopAt`. */
async function followUntil(client: TestClient, start: Page, from: string, stopAt: string): Promise<Page> {
  let page = start;
  let url = from;
  for (let i = 0; i < 10 && page.location; i++) {
    url = new URL(page.location, url).href;
    if (url.startsWith(stopAt)) return page;
    page = await client.get(url);
  }
  if (page.location) throw new Error(`too many redirects, last to ${page.location}`);
  return Object.assign(page, { url });
}

/**
 * Leaves for the provider from `start` (the app's 303 to it), logs in there as `login` with
 * the provider's own form (or cancels, for access_denied), and returns the address the
 * provider sends the browser back to on the app, without opening it.
 */
export async function loginAtProvider(
  client: TestClient,
  start: Page,
  appUrl: string,
  opts: { login: string } | { cancel: true },
): Promise<string> {
  const callback = `${appUrl}/sign-in/oidc/callback`;
  const form = (await followUntil(client, start, appUrl, callback)) as Page & { url?: string };
  if (!form.url) throw new Error('the provider sent the browser straight back, without its login form');
  const interaction = new URL(form.url);
  const answer =
    'cancel' in opts
      ? await client.get(`${interaction.origin}${interaction.pathname}/abort`)
      : await client.post(form.url, { prompt: 'login', login: opts.login, password: 'any' });
  const back = await followUntil(client, answer, form.url, callback);
  if (!back.location) throw new Error(`the provider did not send the browser back (status ${back.status})`);
  return new URL(back.location, form.url).href;
}
