// Protection against cross-site form posts, in two layers:
// 1. the browser's own word: a POST whose Sec-Fetch-Site or Origin names another site is
//    refused before anything else runs;
// 2. a signed double-submit cookie (csrf-csrf, stateless): every form carries a token in a
//    hidden `_csrf` field, the same token sits in an HttpOnly cookie, and the token is an
//    HMAC under a key derived from SESSION_SECRET over a random value and the session it
//    belongs to (none for a visitor). A state-changing request whose field and cookie differ,
//    or whose token was not signed here for its session, fails.
// Nothing is stored: a visitor who opens the sign-in page gets a cookie, not a database row,
// and any app process checks a token made by another. Both failures render a friendly 403
// page through the error handler.
import type { Request, RequestHandler } from 'express';
import { parseCookie } from 'cookie';
import { doubleCsrf } from 'csrf-csrf';
import { keyedHash } from '../lib/tokens.ts';
import { formExpired } from './errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Refuses state-changing requests that a browser says come from another site. */
export function sameOriginOnly(baseUrl: string): RequestHandler {
  const trusted = new URL(baseUrl).origin;
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    // Modern browsers say where a request comes from in Sec-Fetch-Site; trust that first.
    const site = req.get('sec-fetch-site');
    if (site) return next(site === 'same-origin' || site === 'none' ? undefined : formExpired());
    // Otherwise compare Origin. Our Referrer-Policy (no-referrer) makes browsers send
    // "Origin: null" on our own forms, so null proves nothing either way: the token decides.
    const origin = req.get('origin');
    if (origin && origin !== 'null' && origin !== trusted && origin !== `${req.protocol}://${req.get('host')}`) {
      return next(formExpired());
    }
    next();
  };
}

export interface CsrfOptions {
  /** SESSION_SECRET; the tokens are signed with a key derived from it, used for nothing else. */
  secret: string;
  /** Served over HTTPS: the cookie is `__Host-` prefixed. */
  https: boolean;
  /** Send the cookie over HTTPS only (always in production). */
  secure: boolean;
  /** Requests that neither get a token nor need one (the survey, which brings its own). */
  skip?: (req: Request) => boolean;
}

/**
 * Puts the form token in `res.locals.csrfToken` for every page (the cookie it is checked
 * against is set with it, or kept when it still holds a token for this session), then
 * refuses a state-changing request without the matching token.
 */
export function csrfProtection(opts: CsrfOptions): RequestHandler {
  const key = keyedHash(opts.secret, 'csrf-token-key');
  const { generateCsrfToken, validateRequest } = doubleCsrf({
    getSecret: () => key,
    // A signed-in person's tokens are bound to their session: one made before sign-in, or for
    // another session, is not accepted (and a new one is issued on the next page).
    getSessionIdentifier: (req) => req.session?.idHash ?? '',
    cookieName: opts.https ? '__Host-upward_csrf' : 'upward_csrf',
    // Lax as the session cookie: a sign-in link opened from a webmail page keeps the token
    // an earlier tab was given, so that tab's form still works.
    cookieOptions: { sameSite: 'lax', secure: opts.secure, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      return typeof body?._csrf === 'string' ? body._csrf : req.get('x-csrf-token');
    },
  });
  return (req, res, next) => {
    if (opts.skip?.(req)) return next();
    req.cookies ??= parseCookie(req.headers.cookie ?? '');
    res.locals.csrfToken = generateCsrfToken(req, res);
    if (SAFE_METHODS.has(req.method) || validateRequest(req)) return next();
    next(formExpired());
  };
}
