// The forms on a report: the leader hides comments and writes notes; after the release the
// leader and the manager agree on focus points, and the manager starts a follow-up round.
import { Router, type Request } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { parseForm } from '../http/forms.ts';
import { notFound } from '../http/errors.ts';
import { assertLeaderTools, assertManagerAfterRelease, assertReleased, loadReportContext } from './context.ts';
import { commentParams, focusPointForm, focusPointParams, notesForm } from './forms.ts';
import { renderReport } from './render.ts';
import { saveLeaderNotes, setCommentHidden } from './queries.ts';
import { addFocusPoint, markFocusPointDone } from './focus-points-queries.ts';
import { createFollowUpRound, findFollowUpDraft } from './follow-up-round.ts';

export function reportActionRoutes(deps: RouteDeps): Router {
  const { db, clock, config } = deps;
  const fallbackThreshold = config.ANONYMITY_THRESHOLD;
  const router = Router();
  const load = (req: Request) => loadReportContext(db, req, fallbackThreshold);

  const DONE = { hide: 'hidden', unhide: 'unhidden' } as const;
  for (const action of ['hide', 'unhide'] as const) {
    router.post(`/reports/:id/comments/:answerId/${action}`, async (req, res) => {
      const ctx = await load(req);
      assertLeaderTools(ctx);
      const params = commentParams.safeParse(req.params);
      if (!params.success) throw notFound();
      if (!(await setCommentHidden(db, ctx.round.id, params.data.answerId, action === 'hide'))) throw notFound();
      res.redirect(303, `/reports/${ctx.round.id}?done=${DONE[action]}#comment-${params.data.answerId}`);
    });
  }

  router.post('/reports/:id/notes', async (req, res) => {
    const ctx = await load(req);
    assertLeaderTools(ctx);
    const form = parseForm(notesForm, req.body);
    if (!form.ok) return renderReport(res, db, ctx, { fallbackThreshold, now: clock.now(), notes: form });
    await saveLeaderNotes(db, ctx.round.id, form.data.notes);
    res.redirect(303, `/reports/${ctx.round.id}?done=notes#notes`);
  });

  router.post('/reports/:id/focus-points', async (req, res) => {
    const ctx = await load(req);
    assertReleased(ctx);
    const now = clock.now();
    const form = parseForm(focusPointForm(now), req.body);
    if (!form.ok) return renderReport(res, db, ctx, { fallbackThreshold, now, point: form });
    await addFocusPoint(db, {
      requestId: ctx.round.id,
      text: form.data.text,
      followUpOn: form.data.follow_up_on,
      createdBy: req.session!.user!.id,
      now,
    });
    res.redirect(303, `/reports/${ctx.round.id}?done=point-added#focus-points`);
  });

  router.post('/reports/:id/focus-points/:pointId/done', async (req, res) => {
    const ctx = await load(req);
    assertReleased(ctx);
    const params = focusPointParams.safeParse(req.params);
    if (!params.success) throw notFound();
    // A second click, or a point of another round, changes nothing and lands on the page.
    await markFocusPointDone(db, ctx.round.id, params.data.pointId, clock.now());
    res.redirect(303, `/reports/${ctx.round.id}?done=point-done#focus-points`);
  });

  router.post('/reports/:id/follow-up', async (req, res) => {
    const ctx = await load(req);
    assertManagerAfterRelease(ctx);
    const draft = await db.transaction().execute(async (trx) => {
      const existing = await findFollowUpDraft(trx, ctx.round.id);
      if (existing) return { id: existing.id, teamPurged: ctx.round.invitees_purged_at !== null };
      return createFollowUpRound(trx, ctx.round, clock.now());
    });
    res.redirect(303, `/requests/${draft.id}/edit${draft.teamPurged ? '?team=purged' : ''}`);
  });

  return router;
}
