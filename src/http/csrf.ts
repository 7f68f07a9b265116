// Protection against cross-site form posts, in two layers:
// 1. the browser's own word: a POST whose Sec-Fetch-Site or Origin names another site is
//    refused before anything else runs;
// 2. the synchronizer token pattern (csrf-sync): every form carries the session's token in
//    a hidden `_csrf` field, and a state-changing request without the matching token fails.
// Both failures render a friendly 403 page through the error handler.
import type { Request, RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
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

export function csrfProtection(opts: { skip?: (req: Request) => boolean } = {}): RequestHandler {
  const { csrfSynchronisedProtection } = csrfSync({
    getTokenFromState: (req) => req.session?.csrfToken,
    getTokenFromRequest: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      return typeof body?._csrf === 'string' ? body._csrf : req.get('x-csrf-token');
    },
    // Tokens are made with the session (src/http/session.ts) and stored with it.
    storeTokenInState: () => {},
    skipCsrfProtection: opts.skip,
  });
  return (req, res, next) =>
    csrfSynchronisedProtection(req, res, (error?: unknown) => next(error ? formExpired() : undefined));
}
