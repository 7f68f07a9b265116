// Single sign-on with OpenID Connect (authorization code with PKCE, through openid-client).
// POST /sign-in/oidc leaves for the provider with a fresh state, nonce and PKCE verifier,
// kept in a signed cookie (oidc-state.ts); the provider sends the browser back to
// GET /sign-in/oidc/callback, where openid-client checks the answer and the ID token, and
// the verified email claim names the person. Both routes exist only where SIGN_IN_METHODS
// includes oidc; elsewhere they are a plain 404.
import { Router, type Request, type RequestHandler, type Response } from 'express';
import * as client from 'openid-client';
import type { RouteDeps } from '../http/route-deps.ts';
import { notFound } from '../http/errors.ts';
import { paths, withQuery } from '../http/paths.ts';
import { cookieSecurity } from '../http/session.ts';
import { safeLocalPath } from '../lib/safe-redirect.ts';
import { parseForm } from '../http/forms.ts';
import { oidcStartForm } from './schemas.ts';
import type { OidcProvider } from './oidc-client.ts';
import { signInWithOidc } from './oidc-actions.ts';
import { t, type Locale } from '../i18n/translate.ts';
import { OIDC_PROBLEMS, problemOf, reasonOf, type OidcProblem } from './oidc-problems.ts';
import { oidcStateCookie } from './oidc-state.ts';

export function oidcRoutes(deps: RouteDeps, provider: OidcProvider | undefined): Router {
  const { clock, config, sessions } = deps;
  const router = Router();
  const enabled = provider !== undefined && config.SIGN_IN_METHODS.includes('oidc');
  const onlyWhenEnabled: RequestHandler = (_req, _res, next) => next(enabled ? undefined : notFound());
  const pending = oidcStateCookie({ secret: config.SESSION_SECRET, ...cookieSecurity(config) });
  const redirectUri = `${config.BASE_URL}${paths.signInOidcCallback()}`;

  /** The problem's page, with a way back to the sign-in page that keeps `next`; the reason goes to the log. */
  function showProblem(
    req: Request,
    res: Response,
    problem: OidcProblem,
    opts: { error?: unknown; next?: string } = {},
  ) {
    const reason = opts.error === undefined ? {} : reasonOf(opts.error);
    req.log?.warn({ oidc: { problem, ...reason } }, 'OIDC sign-in refused');
    const locale: Locale = res.locals.locale;
    res.status(OIDC_PROBLEMS[problem]).render('auth/link-problem', {
      title: t(locale, `auth.oidc.${problem}.title`),
      message: t(locale, `auth.oidc.${problem}.message`),
      again: {
        label: t(locale, 'auth.oidc.again'),
        href: withQuery(paths.signIn(), { next: safeLocalPath(opts.next) }),
      },
    });
  }

  router.post(paths.signInOidc(), onlyWhenEnabled, async (req, res) => {
    // A `next` that is not one string (a repeated field) is dropped: the sign-in still starts.
    const form = parseForm(oidcStartForm, req.body);
    const next = form.ok ? safeLocalPath(form.data.next) : undefined;
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    pending.set(res, { state, nonce, verifier, next }, clock.now());
    const url = client.buildAuthorizationUrl(provider!.configuration, {
      redirect_uri: redirectUri,
      scope: config.OIDC_SCOPES,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    res.set('Cache-Control', 'no-store');
    res.redirect(303, url.href);
  });

  router.get(paths.signInOidcCallback(), onlyWhenEnabled, async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const started = pending.read(req, clock.now());
    // Whatever happens next, this sign-in attempt is over: its cookie goes.
    pending.clear(res);
    if (!started) return showProblem(req, res, 'no-pending-sign-in');
    // The address the provider sent the browser to, built from BASE_URL rather than from
    // the request's Host header, which a client chooses.
    const query = req.originalUrl.slice(req.originalUrl.indexOf('?') + 1 || req.originalUrl.length);
    const currentUrl = new URL(`${redirectUri}${query ? `?${query}` : ''}`);
    let claims: client.IDToken | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(provider!.configuration, currentUrl, {
        pkceCodeVerifier: started.verifier,
        expectedState: started.state,
        expectedNonce: started.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (error) {
      return showProblem(req, res, problemOf(error), { error, next: started.next });
    }
    if (!claims) return showProblem(req, res, 'bad-response', { next: started.next });
    const result = await signInWithOidc(
      deps,
      claims,
      (trx, user) => sessions.signIn(trx, req, res, user),
      res.locals.locale,
    );
    if ('problem' in result) return showProblem(req, res, result.problem, { next: started.next });
    req.log?.info({ userId: result.user.id }, 'signed in with OIDC');
    const next = safeLocalPath(started.next) ?? '/';
    if (!result.user.name) return res.redirect(303, withQuery(paths.welcome(), { next }));
    res.redirect(303, next);
  });

  return router;
}
