// A leader's side of a request: the overview of every team, review, launch or decline,
// follow participation, close.
// Every page requires sign-in and answers 404 for any request the person does not lead.
import { Router } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { parseForm } from '../http/forms.ts';
import { requireSignIn } from '../auth/require-sign-in.ts';
import { endOfDay } from '../lib/dates.ts';
import { detailsForm, extendForm, invitationParams } from './forms.ts';
import { extendRound, removeInvitation, updateRequestDetails } from './queries.ts';
import { leaderEmailOf, loadLeaderRequest } from './access.ts';
import { renderLeaderPage } from './page.ts';
import { doneNotice } from './view.ts';
import { loadOverview } from './overview/page.ts';
import { leaderDecisionRoutes } from './decision-routes.ts';

/** A change asked of a request that has moved on (launched, declined or closed meanwhile). */
export const alreadyDecided = () =>
  new HttpError(
    409,
    'This request has already moved on',
    'It was launched, declined or closed in the meantime, so it can no longer be changed that way. Open the request to see where it stands.',
  );

export function leaderRoutes(deps: RouteDeps): Router {
  const { db, clock } = deps;
  const router = Router();
  router.use('/collect', requireSignIn, (_req, res, next) => {
    // The pages show invitee addresses and participation: never keep them in a cache.
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.get('/collect', async (req, res) => {
    const overview = await loadOverview(db, leaderEmailOf(req), deps.config.ANONYMITY_THRESHOLD);
    res.render('collect/index', { title: 'Requests you collect', ...overview });
  });

  router.get('/collect/:id', async (req, res) => {
    const request = await loadLeaderRequest(db, req);
    await renderLeaderPage(res, deps, request, { notice: doneNotice(req.query) });
  });

  router.post('/collect/:id', async (req, res) => {
    const request = await loadLeaderRequest(db, req);
    if (request.status !== 'submitted') throw alreadyDecided();
    const form = parseForm(detailsForm(clock.now()), req.body);
    if (!form.ok) return renderLeaderPage(res, deps, request, { details: form }, 422);
    const details = { closesAt: endOfDay(form.data.closes_on), teamNote: form.data.team_note };
    if (!(await updateRequestDetails(db, request.id, leaderEmailOf(req), details))) throw alreadyDecided();
    res.redirect(303, `/collect/${request.id}?done=saved`);
  });

  router.post('/collect/:id/invitees/:invitationId/remove', async (req, res) => {
    const request = await loadLeaderRequest(db, req);
    const params = invitationParams.safeParse(req.params);
    if (!params.success) throw notFound();
    if (request.status !== 'submitted') throw alreadyDecided();
    const removed = await removeInvitation(db, {
      requestId: request.id,
      invitationId: params.data.invitationId,
      leaderEmail: leaderEmailOf(req),
    });
    if (!removed) throw notFound();
    res.redirect(303, `/collect/${request.id}?done=removed`);
  });

  router.post('/collect/:id/extend', async (req, res) => {
    const request = await loadLeaderRequest(db, req);
    if (request.status !== 'open' || request.extended) throw alreadyDecided();
    const now = clock.now();
    const form = parseForm(extendForm(now, request.closes_at), req.body);
    if (!form.ok) return renderLeaderPage(res, deps, request, { extend: form }, 422);
    if (!(await extendRound(db, request.id, leaderEmailOf(req), endOfDay(form.data.closes_on), now)))
      throw alreadyDecided();
    res.redirect(303, `/collect/${request.id}?done=extended`);
  });

  router.use(leaderDecisionRoutes(deps));
  return router;
}
