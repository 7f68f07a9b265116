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
import { t, type Locale } from '../i18n/translate.ts';
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

/** Each broken link's status; its title and message are in the catalogues (auth.link.<problem>). */
const LINK_PROBLEMS: Record<TokenProblem | 'malformed', number> = {
  malformed: 400,
  unknown: 404,
  used: 410,
  expired: 410,
};

function emailSignInOff(locale: Locale) {
  return new HttpError(403, 'not-allowed', t(locale, 'auth.emailOff.title'), t(locale, 'auth.emailOff.message'));
}

function showLinkProblem(res: Response, problem: keyof typeof LINK_PROBLEMS) {
  const locale: Locale = res.locals.locale;
  res.status(LINK_PROBLEMS[problem]).render('auth/link-problem', {
    title: t(locale, `auth.link.${problem}.title`),
    message: t(locale, `auth.link.${problem}.message`),
  });
}

/** The name form's messages (displayNameForm's, in English) in the reader's language. */
const NAME_ERRORS: Record<string, string> = {
  'Enter your name.': 'auth.name.missing',
  'Keep your name under 80 characters.': 'auth.name.long',
  'Use letters, spaces and ordinary punctuation only.': 'auth.name.characters',
};
const nameErrorsIn = (locale: Locale, errors: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(errors).map(([field, text]) => [field, NAME_ERRORS[text] ? t(locale, NAME_ERRORS[text]) : text]),
  );

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
  const emailSignInOnly: RequestHandler = (_req, res, next) =>
    next(config.SIGN_IN_METHODS.includes('email') ? undefined : emailSignInOff(res.locals.locale));

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
    res.render('auth/confirm', { title: t(res.locals.locale, 'auth.confirm.title'), email });
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
    res.render('auth/welcome', {
      title: t(res.locals.locale, 'auth.welcome.title'),
      values: { next: safeLocalPath(req.query.next) },
    });
  });

  router.post(paths.welcome(), requireSignIn, async (req, res) => {
    const form = parseForm(displayNameForm, req.body);
    if (!form.ok) {
      const locale: Locale = res.locals.locale;
      res.status(422).render('auth/welcome', {
        title: t(locale, 'auth.welcome.title'),
        errors: nameErrorsIn(locale, form.errors),
        values: form.values,
      });
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
    if (!form.ok)
      return renderAccount(req, res.status(422), {
        errors: nameErrorsIn(res.locals.locale, form.errors),
        values: form.values,
      });
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
    res.render('auth/signed-out', {
      title: t(res.locals.locale, 'auth.signedOut.title'),
      everywhere: req.query.everywhere === '1',
    });
  });

  return router;
}
