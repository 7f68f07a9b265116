// The leader's decisions, each a confirmation page (GET) and the action (POST): launch the
// round, decline the request, close the round early.
import { allows, thresholdInForce } from '../domain/request-life.ts';
import { paths, withQuery } from '../http/paths.ts';
import { Router, type Response } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { parseForm } from '../http/forms.ts';
import { formatDateTimeIn } from '../i18n/format.ts';
import { localeOr, t, type Locale } from '../i18n/translate.ts';
import { zoneOf } from '../auth/users.ts';
import { signedInUser } from '../auth/require-sign-in.ts';
import { listInvitations } from '../rounds/round-queries.ts';
import { addressesUncheckedError, declineForm, launchForm } from './forms.ts';
import { peopleForCheck, type LeaderRequest } from './queries.ts';
import { addressesToCheck } from './addresses-to-check.ts';
import { loadLeaderRequest } from './access.ts';
import { closeRoundEarly, declineRequest, launchRequest, type LaunchResult } from './actions.ts';

type LaunchProblem = Extract<LaunchResult, { launched: false }>['problem'];

export function leaderDecisionRoutes(deps: RouteDeps): Router {
  const { db, clock, config } = deps;
  const router = Router();
  const targetOf = (request: LeaderRequest, req: Parameters<typeof signedInUser>[0]) => ({
    requestId: request.id,
    leaderEmail: signedInUser(req).email,
  });
  const backTo = (request: LeaderRequest, done?: string) => withQuery(paths.collect.show(request.id), { done });
  const localeOf = (res: Response): Locale => localeOr(res.locals.locale);
  /** The round's closing moment on the leader's clock, in their language. */
  const closesOnFor = (res: Response, request: LeaderRequest) =>
    formatDateTimeIn(localeOf(res), request.closes_at, zoneOf(res.locals.currentUser, config.TIME_ZONE));

  async function renderLaunch(res: Response, request: LeaderRequest, problem?: LaunchProblem, status = 200) {
    const locale = localeOf(res);
    const invitations = await listInvitations(db, request.id);
    const invited = invitations.length;
    const threshold = thresholdInForce(request, config.ANONYMITY_THRESHOLD);
    const closingPassed = request.closes_at <= clock.now();
    problem ??= invited < threshold ? 'below-threshold' : closingPassed ? 'closing-date-passed' : undefined;
    // Unchecked addresses are no reason to hide the form: they are what it asks about.
    const canLaunch = !problem || problem === 'addresses-unchecked';
    const checks = canLaunch
      ? addressesToCheck(
          invitations.map((invitation) => invitation.email!),
          await peopleForCheck(db, request.id),
          locale,
        )
      : [];
    res.status(status).render('collect/launch', {
      title: t(locale, canLaunch ? 'collect.launch.title' : 'collect.launch.cannotTitle', { invited }),
      request,
      invited,
      threshold,
      closesOn: closesOnFor(res, request),
      belowThreshold: problem === 'below-threshold',
      closingPassed: problem === 'closing-date-passed',
      canLaunch,
      checks,
      errors: problem === 'addresses-unchecked' ? { addresses_checked: addressesUncheckedError(locale) } : undefined,
    });
  }

  router.get(paths.collect.launch(':id'), async (req, res) => {
    const request = await loadLeaderRequest(db, req);
    if (!allows.review(request)) return res.redirect(303, backTo(request));
    // A refusal here is still a page the leader asked for: 200, with the reason.
    await renderLaunch(res, request, undefined, 200);
  });

  router.post(paths.collect.launch(':id'), async (req, res) => {
    const request = await loadLeaderRequest(db, req);
    const form = parseForm(launchForm, req.body);
    const addressesChecked = form.ok && form.data.addresses_checked === 'yes';
    const result = await launchRequest(deps, targetOf(request, req), { addressesChecked, locale: localeOf(res) });
    if (result.launched) return res.redirect(303, backTo(request, 'launched'));
    // Launched already (a second click) or decided otherwise: the request page says how it stands.
    if (result.problem === 'not-waiting') return res.redirect(303, backTo(request));
    await renderLaunch(res, request, result.problem, 422);
  });

  router.get(paths.collect.decline(':id'), async (req, res) => {
    const request = await loadLeaderRequest(db, req);
    if (!allows.review(request)) return res.redirect(303, backTo(request));
    res.render('collect/decline', { title: t(localeOf(res), 'collect.decline.title'), request, values: {} });
  });

  router.post(paths.collect.decline(':id'), async (req, res) => {
    const request = await loadLeaderRequest(db, req);
    if (!allows.review(request)) return res.redirect(303, backTo(request));
    const form = parseForm(declineForm(localeOf(res)), req.body);
    if (!form.ok) {
      return res.status(422).render('collect/decline', {
        title: t(localeOf(res), 'collect.decline.title'),
        request,
        errors: form.errors,
        values: form.values,
      });
    }
    const outcome = await declineRequest(deps, targetOf(request, req), form.data.reason, localeOf(res));
    res.redirect(303, backTo(request, outcome === 'done' ? 'declined' : undefined));
  });

  router.get(paths.collect.close(':id'), async (req, res) => {
    const request = await loadLeaderRequest(db, req);
    if (!allows.close(request)) return res.redirect(303, backTo(request));
    res.render('collect/close', {
      title: t(localeOf(res), 'collect.close.title'),
      request,
      closesOn: closesOnFor(res, request),
    });
  });

  router.post(paths.collect.close(':id'), async (req, res) => {
    const request = await loadLeaderRequest(db, req);
    const onVacuumError = (error: Error) => req.log?.warn({ err: error }, 'could not vacuum after closing');
    const outcome = await closeRoundEarly({ ...deps, onVacuumError }, targetOf(request, req));
    res.redirect(303, backTo(request, outcome === 'done' ? 'closed' : undefined));
  });

  return router;
}
