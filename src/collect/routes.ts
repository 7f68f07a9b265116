// A leader's side of a request: the overview of every team, review, launch or decline,
// follow participation, close. Handlers parse, call one action and render.
// Every page requires sign-in and answers 404 for any request the person does not lead.
import { paths, withQuery } from '../http/paths.ts';
import { Router, type Response } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { notFound, stateChanged } from '../http/errors.ts';
import { parseForm } from '../http/forms.ts';
import { idsOf } from '../http/params.ts';
import { requireSignIn, signedInUser } from '../auth/require-sign-in.ts';
import { endOfDayIn } from '../lib/dates.ts';
import { formatDateTimeIn } from '../i18n/format.ts';
import { localeOr, t } from '../i18n/translate.ts';
import { zoneOf } from '../auth/users.ts';
import { allows, thresholdInForce } from '../domain/request-life.ts';
import { listInvitations } from '../rounds/round-queries.ts';
import { closingMoment, detailsForm, extendForm } from './forms.ts';
import { extendRound, remindNow, removeInvitee, saveRequestDetails } from './actions.ts';
import { loadLeaderRequest } from './access.ts';
import { renderLeaderPage } from './page.ts';
import { doneNotice } from './view.ts';
import { loadOverview } from './overview/page.ts';
import { leaderDecisionRoutes } from './decision-routes.ts';

export function leaderRoutes(deps: RouteDeps): Router {
  const { db, clock } = deps;
  const router = Router();
  router.use(paths.collect.list(), requireSignIn, (_req, res, next) => {
    // The pages show invitee addresses and participation: never keep them in a cache.
    res.set('Cache-Control', 'no-store');
    next();
  });
  // The leader is the one signed in here: a round closes at the end of its day on their clock.
  const zoneFor = (req: Parameters<typeof signedInUser>[0]) => zoneOf(signedInUser(req), deps.config.TIME_ZONE);
  const localeOf = (res: Response) => localeOr(res.locals.locale);
  const targetOf = (request: { id: string }, req: Parameters<typeof signedInUser>[0]) => ({
    requestId: request.id,
    leaderEmail: signedInUser(req).email,
  });

  router.get(paths.collect.list(), async (req, res) => {
    const locale = localeOf(res);
    const overview = await loadOverview(db, signedInUser(req).email, deps.config.ANONYMITY_THRESHOLD, {
      now: deps.clock.now(),
      timeZone: zoneFor(req),
      locale,
    });
    res.render('collect/index', { title: t(locale, 'collect.index.title'), ...overview });
  });

  router.get(paths.collect.show(':id'), async (req, res) => {
    const request = await loadLeaderRequest(db, req);
    await renderLeaderPage(res, deps, request, { notice: doneNotice(req.query, localeOf(res)) });
  });

  router.post(paths.collect.show(':id'), async (req, res) => {
    const request = await loadLeaderRequest(db, req);
    if (!allows.review(request)) throw stateChanged();
    const zone = zoneFor(req);
    const form = parseForm(detailsForm(clock.now(), zone, localeOf(res)), req.body);
    if (!form.ok) return renderLeaderPage(res, deps, request, { details: form }, 422);
    const details = {
      closesAt: closingMoment(form.data.closes_on, form.data.closes_at_time, zone),
      teamNote: form.data.team_note,
      surveyLanguage: form.data.survey_language ?? request.survey_language,
    };
    if ((await saveRequestDetails(deps, targetOf(request, req), details)) === 'moved-on') throw stateChanged();
    res.redirect(303, withQuery(paths.collect.show(request.id), { done: 'saved' }));
  });

  // Removing asks first (a page of its own, so it works without script): it cannot be undone.
  router.get(paths.collect.removeInvitee(':id', ':invitationId'), async (req, res) => {
    const request = await loadLeaderRequest(db, req);
    const { invitationId } = idsOf(req, 'invitationId');
    if (!allows.review(request)) return res.redirect(303, paths.collect.show(request.id));
    const invitations = await listInvitations(db, request.id);
    const invitation = invitations.find((row) => row.id === invitationId);
    if (!invitation) throw notFound();
    const threshold = thresholdInForce(request, deps.config.ANONYMITY_THRESHOLD);
    const left = invitations.length - 1;
    res.render('collect/remove', {
      title: t(localeOf(res), 'collect.remove.title', { email: invitation.email }),
      request,
      invitation,
      left,
      threshold,
      belowThreshold: left < threshold,
    });
  });

  router.post(paths.collect.removeInvitee(':id', ':invitationId'), async (req, res) => {
    const request = await loadLeaderRequest(db, req);
    const { invitationId } = idsOf(req, 'invitationId');
    if (!allows.review(request)) throw stateChanged();
    const outcome = await removeInvitee(deps, targetOf(request, req), invitationId);
    if (outcome === 'moved-on') throw stateChanged();
    if (outcome === 'not-found') throw notFound();
    res.redirect(303, withQuery(paths.collect.show(request.id), { done: 'removed' }));
  });

  router.post(paths.collect.extend(':id'), async (req, res) => {
    const request = await loadLeaderRequest(db, req);
    if (!allows.extend(request)) throw stateChanged();
    const zone = zoneFor(req);
    const form = parseForm(extendForm(clock.now(), zone, request.closes_at, localeOf(res)), req.body);
    if (!form.ok) return renderLeaderPage(res, deps, request, { extend: form }, 422);
    if ((await extendRound(deps, targetOf(request, req), endOfDayIn(form.data.closes_on, zone))) === 'moved-on')
      throw stateChanged();
    res.redirect(303, withQuery(paths.collect.show(request.id), { done: 'extended' }));
  });

  router.post(paths.collect.remind(':id'), async (req, res) => {
    const request = await loadLeaderRequest(db, req);
    const sent = await remindNow(deps, targetOf(request, req));
    if (sent.outcome === 'moved-on') throw stateChanged();
    if (sent.outcome === 'too-soon') {
      const locale = localeOf(res);
      const problem = t(locale, 'collect.remindTooSoon', { from: formatDateTimeIn(locale, sent.from, zoneFor(req)) });
      return renderLeaderPage(res, deps, request, { problem }, 409);
    }
    res.redirect(
      303,
      withQuery(
        paths.collect.show(request.id),
        { done: sent.outcome === 'sent' ? 'reminded' : 'all-answered' },
        'reminders',
      ),
    );
  });

  router.use(leaderDecisionRoutes(deps));
  return router;
}
