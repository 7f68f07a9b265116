// Pages for signed-in people send everyone else to sign in, and back here afterwards.
import type { RequestHandler } from 'express';

export const requireSignIn: RequestHandler = (req, res, next) => {
  if (req.session?.user) return next();
  if (req.method !== 'GET') {
    // A form posted after the session ended: the sign-in page explains, nothing is changed.
    return res.redirect(303, '/sign-in');
  }
  res.redirect(303, `/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
};
