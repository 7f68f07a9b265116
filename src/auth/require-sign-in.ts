// Pages for signed-in people send everyone else to sign in, and back here afterwards.
import { paths, withQuery } from '../http/paths.ts';
import type { Request, RequestHandler } from 'express';
import { notFound } from '../http/errors.ts';

export const requireSignIn: RequestHandler = (req, res, next) => {
  if (req.session?.user) return next();
  if (req.method !== 'GET') {
    // A form posted after the session ended: the sign-in page explains, nothing is changed.
    return res.redirect(303, paths.signIn());
  }
  res.redirect(303, withQuery(paths.signIn(), { next: req.originalUrl }));
};

/** The person signed in, on a route behind requireSignIn (anywhere else: a plain 404). */
export function signedInUser(req: Request) {
  const user = req.session?.user;
  if (!user) throw notFound();
  return user;
}
