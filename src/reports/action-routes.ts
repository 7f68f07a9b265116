// The forms on a report: the leader hides comments and writes notes; after the release the
// leader and the manager agree on focus points, and the manager starts a follow-up round.
import { Router, type Request } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { parseForm } from '../http/forms.ts';
import { notFound } from '../http/errors.ts';
import { idsOf } from '../http/params.ts';
import { paths, withQuery } from '../http/paths.ts';
import { signedInUser } from '../auth/require-sign-in.ts';
import { assertFocusPoints, assertLeaderTools, assertManagerAfterRelease, loadReportContext } from './context.ts';
import { focusPointsFull, focusPointForm, notesForm } from './forms.ts';
import { renderReport } from './render.ts';
import {
  addAgreedFocusPoint,
  finishFocusPoint,
  saveNotes,
  setCommentVisibility,
  startFollowUpRound,
} from './actions.ts';

export function reportActionRoutes(deps: RouteDeps): Router {
  const { db, clock, config } = deps;
  const fallbackThreshold = config.ANONYMITY_THRESHOLD;
  const timeZone = config.TIME_ZONE;
  const router = Router();
  const load = (req: Request) => loadReportContext(db, req, fallbackThreshold);

  const DONE = { hide: 'hidden', unhide: 'unhidden' } as const;
  for (const action of ['hide', 'unhide'] as const) {
    router.post(paths.reports.comment(':id', ':answerId', action), async (req, res) => {
      const ctx = await load(req);
      assertLeaderTools(ctx);
      const { answerId } = idsOf(req, 'answerId');
      if ((await setCommentVisibility(deps, ctx.round.id, answerId, action === 'hide')) === 'not-found')
        throw notFound();
      res.redirect(303, withQuery(paths.reports.show(ctx.round.id), { done: DONE[action] }, `comment-${answerId}`));
    });
  }

  router.post(paths.reports.notes(':id'), async (req, res) => {
    const ctx = await load(req);
    assertLeaderTools(ctx);
    const form = parseForm(notesForm(ctx.locale), req.body);
    if (!form.ok) return renderReport(res, db, ctx, { fallbackThreshold, timeZone, now: clock.now(), notes: form });
    await saveNotes(deps, ctx.round.id, form.data.notes);
    res.redirect(303, withQuery(paths.reports.show(ctx.round.id), { done: 'notes' }, 'notes'));
  });

  router.post(paths.reports.focusPoints(':id'), async (req, res) => {
    const ctx = await load(req);
    assertFocusPoints(ctx);
    const now = clock.now();
    const form = parseForm(focusPointForm(now, ctx.locale), req.body);
    if (!form.ok) return renderReport(res, db, ctx, { fallbackThreshold, timeZone, now, point: form });
    const added = await addAgreedFocusPoint(deps, {
      roundId: ctx.round.id,
      text: form.data.text,
      followUpOn: form.data.follow_up_on,
      createdBy: signedInUser(req).id,
    });
    if (added !== 'added') {
      const point = {
        errors: { text: focusPointsFull(ctx.locale, added) },
        values: req.body as Record<string, unknown>,
      };
      return renderReport(res, db, ctx, { fallbackThreshold, timeZone, now, point });
    }
    res.redirect(303, withQuery(paths.reports.show(ctx.round.id), { done: 'point-added' }, 'focus-points'));
  });

  router.post(paths.reports.focusPointDone(':id', ':pointId'), async (req, res) => {
    const ctx = await load(req);
    assertFocusPoints(ctx);
    const { pointId } = idsOf(req, 'pointId');
    await finishFocusPoint(deps, ctx.round.id, pointId);
    res.redirect(303, withQuery(paths.reports.show(ctx.round.id), { done: 'point-done' }, 'focus-points'));
  });

  router.post(paths.reports.followUp(':id'), async (req, res) => {
    const ctx = await load(req);
    assertManagerAfterRelease(ctx);
    const draft = await startFollowUpRound(deps, ctx.round);
    res.redirect(303, withQuery(paths.requests.edit(draft.id), { team: draft.teamPurged ? 'purged' : undefined }));
  });

  return router;
}
