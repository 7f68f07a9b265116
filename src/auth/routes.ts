// Sign-in by emailed link. GET pages only show; every change (asking for a link, spending
// it, signing out) is a POST. Mail scanners that open links therefore sign no one in.
import { usesLocalMailbox } from '../email/mailbox-routes.ts';
import { paths, withQuery } from '../http/paths.ts';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { createFailureLimit, createLimit } from '../http/rate-limit.ts';
import { parseForm } from '../http/forms.ts';
import { HttpError } from '../http/errors.ts';
import { safeLocalPath } from '../lib/safe-redirect.ts';
import { isWellFormedToken } from '../lib/tokens.ts';
import { displayNameForm, languageForm, signInForm, timeZoneForm } from './schemas.ts';
import { t } from '../i18n/translate.ts';
import { fromAcceptLanguage } from '../i18n/negotiate.ts';
import { languageChoices, languageName } from '../i18n/languages.ts';
import { zoneGroups } from './time-zone-choices.ts';
import { checkSignInToken, type TokenProblem } from './sign-in-tokens.ts';
import { requireSignIn, signedInUser } from './require-sign-in.ts';
import { chooseLanguage, chooseTimeZone, nameYourself, requestSignInLink, signInWithLink } from './actions.ts';

export type AuthDeps = RouteDeps;

/**
 * Limits per 15 minutes: generous for people, tight for scripts. An address has no limit of
 * its own that could shut its owner out: it is sent no new link while one still works
 * (sign-in-tokens.ts).
 */
export const SIGN_IN_LIMITS = { perIp: 30, confirmationsPerIp: 30, windowMinutes: 15 };

const LINK_PROBLEMS: Record<TokenProblem | 'malformed', { status: number; title: string; message: string }> = {
  malformed: {
    status: 400,
    title: 'This sign-in link is incomplete',
    message:
      'The link seems to have been cut short, which happens when an email program breaks a long line. Ask for a new one below.',
  },
  unknown: {
    status: 404,
    title: 'We do not recognise this sign-in link',
    message: 'It may have been mistyped or replaced by a newer link. Ask for a new one below.',
  },
  used: {
    status: 410,
    title: 'This sign-in link has already been used',
    message: 'Each link works once. If that was not you, nothing was lost: ask for a new link below.',
  },
  expired: {
    status: 410,
    title: 'This sign-in link has expired',
    message: 'Each link works for a limited time, as its email says. Ask for a new one below.',
  },
};

function emailSignInOff() {
  return new HttpError(
    403,
    'not-allowed',
    'Sign-in by email is turned off here',
    'Sign in with your company account from the sign-in page instead.',
  );
}

function showLinkProblem(res: Response, problem: keyof typeof LINK_PROBLEMS) {
  const text = LINK_PROBLEMS[problem];
  res.status(text.status).render('auth/link-problem', text);
}

export function authRoutes(deps: AuthDeps): Router {
  const { db, clock, config, sessions } = deps;
  const router = Router();
  const limitDeps = { db, clock, secret: config.SESSION_SECRET };
  const window = SIGN_IN_LIMITS.windowMinutes;
  const limitRequestsPerIp = createLimit(limitDeps, {
    name: 'sign-in-ip',
    limit: SIGN_IN_LIMITS.perIp,
    windowMinutes: window,
    keyOf: (req) => req.ip,
  });
  const limitConfirmations = createLimit(limitDeps, {
    name: 'sign-in-confirm-ip',
    limit: SIGN_IN_LIMITS.confirmationsPerIp,
    windowMinutes: window,
    keyOf: (req) => req.ip,
  });
  // Opening a link only shows a page, but the page tells a known link from an unknown one:
  // unknown and malformed links count against the IP address, as guesses.
  const limitLookups = createFailureLimit(limitDeps, {
    name: 'sign-in-link-ip',
    limit: SIGN_IN_LIMITS.confirmationsPerIp,
    windowMinutes: window,
    keyOf: (req) => req.ip,
  });

  // These pages hold a form token of their own: no cache may keep them.
  const noStore: RequestHandler = (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  };

  router.get(paths.signIn(), noStore, (req, res) => {
    if (req.session?.user) return res.redirect(303, safeLocalPath(req.query.next) ?? '/');
    res.render('auth/sign-in', {
      title: t(res.locals.locale, 'signIn.title'),
      values: { next: safeLocalPath(req.query.next) },
    });
  });

  // With SIGN_IN_METHODS=oidc the company's provider is the only way in: no links are sent or spent.
  const emailSignInOnly: RequestHandler = (_req, _res, next) =>
    next(config.SIGN_IN_METHODS.includes('email') ? undefined : emailSignInOff());

  router.post(paths.signIn(), emailSignInOnly, limitRequestsPerIp, async (req, res) => {
    const form = parseForm(signInForm, req.body);
    if (!form.ok) {
      const title = t(res.locals.locale, 'signIn.title');
      res.status(422).render('auth/sign-in', { title, errors: form.errors, values: form.values });
      return;
    }
    await requestSignInLink(deps, form.data.email, form.data.next, res.locals.locale);
    res.redirect(303, paths.signInCheckEmail());
  });

  router.get(paths.signInCheckEmail(), (_req, res) => {
    // In development, with no SMTP server, the email is only in the local mailbox: say where.
    res.render('auth/check-email', {
      title: t(res.locals.locale, 'signIn.checkTitle'),
      devMailbox: usesLocalMailbox(config) ? paths.mailbox.list() : undefined,
    });
  });

  router.get(paths.signInLink(':token'), limitLookups.check, noStore, async (req, res) => {
    const token = String(req.params.token);
    const { problem, email } = isWellFormedToken(token)
      ? await checkSignInToken(db, token, clock.now())
      : { problem: 'malformed' as const, email: undefined };
    if (problem === 'malformed' || problem === 'unknown') await limitLookups.recordFailure(req);
    if (problem) return showLinkProblem(res, problem);
    res.render('auth/confirm', { title: 'Sign in to Upward', email });
  });

  router.post(paths.signInLink(':token'), emailSignInOnly, limitConfirmations, async (req, res) => {
    const token = String(req.params.token);
    if (!isWellFormedToken(token)) return showLinkProblem(res, 'malformed');
    const signedIn = await signInWithLink(
      deps,
      token,
      (trx, user) => sessions.signIn(trx, req, res, user),
      res.locals.locale,
    );
    if (!signedIn) {
      const { problem } = await checkSignInToken(db, token, clock.now());
      return showLinkProblem(res, problem ?? 'used');
    }
    const next = signedIn.next ?? '/';
    if (!signedIn.user.name) return res.redirect(303, withQuery(paths.welcome(), { next }));
    res.redirect(303, next);
  });

  router.get(paths.welcome(), requireSignIn, (req, res) => {
    res.render('auth/welcome', { title: 'Welcome to Upward', values: { next: safeLocalPath(req.query.next) } });
  });

  router.post(paths.welcome(), requireSignIn, async (req, res) => {
    const form = parseForm(displayNameForm, req.body);
    if (!form.ok) {
      res.status(422).render('auth/welcome', { title: 'Welcome to Upward', errors: form.errors, values: form.values });
      return;
    }
    await nameYourself(deps, signedInUser(req), form.data.name);
    res.redirect(303, safeLocalPath(form.data.next) ?? '/');
  });

  // Each of the page's forms re-renders it with its own errors; the others keep the stored values.
  const renderAccount = (
    req: Request,
    res: Response,
    extra: { values?: Record<string, unknown>; errors?: Record<string, string> } = {},
  ) => {
    const user = signedInUser(req);
    const values = { name: user.name, time_zone: user.timeZone ?? '', ...extra.values };
    res.render('auth/account', {
      title: t(res.locals.locale, 'account.title'),
      languages: languageChoices(user.language),
      browserLanguage: languageName(fromAcceptLanguage(req.headers['accept-language'])),
      values,
      errors: extra.errors,
      zoneGroups: zoneGroups(String(values.time_zone ?? '')),
      defaultZone: config.TIME_ZONE,
      saved: req.query.saved,
    });
  };

  router.get(paths.account(), requireSignIn, (req, res) => renderAccount(req, res));

  router.post(paths.accountName(), requireSignIn, async (req, res) => {
    const form = parseForm(displayNameForm, req.body);
    if (!form.ok) return renderAccount(req, res.status(422), { errors: form.errors, values: form.values });
    await nameYourself(deps, signedInUser(req), form.data.name);
    res.redirect(303, withQuery(paths.account(), { saved: 'name' }));
  });

  router.post(paths.accountTimeZone(), requireSignIn, async (req, res) => {
    const form = parseForm(timeZoneForm, req.body);
    if (!form.ok) return renderAccount(req, res.status(422), { errors: form.errors, values: form.values });
    await chooseTimeZone(deps, signedInUser(req), form.data.time_zone);
    res.redirect(303, withQuery(paths.account(), { saved: 'time-zone' }));
  });

  router.post(paths.accountLanguage(), requireSignIn, async (req, res) => {
    const form = parseForm(languageForm, req.body);
    if (!form.ok) {
      // Only a forged post gets here: the page offers nothing else. Said in the reader's language.
      const errors = { language: t(res.locals.locale, 'account.language.invalid') };
      return renderAccount(req, res.status(422), { errors });
    }
    await chooseLanguage(deps, signedInUser(req), form.data.language || null);
    res.redirect(303, withQuery(paths.account(), { saved: 'language' }));
  });

  router.post(paths.signOut(), async (req, res) => {
    await sessions.signOut(req, res);
    res.redirect(303, paths.signedOut());
  });

  router.post(paths.signOutEverywhere(), async (req, res) => {
    await sessions.signOutEverywhere(req, res);
    res.redirect(303, withQuery(paths.signedOut(), { everywhere: '1' }));
  });

  router.get(paths.signedOut(), (req, res) => {
    res.render('auth/signed-out', { title: 'You are signed out', everywhere: req.query.everywhere === '1' });
  });

  return router;
}
