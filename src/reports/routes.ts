// The report of a closed round: the page, its CSV, and the leader's release. Every route
// needs a signed-in leader or manager of the round; see context.ts and access.ts for who
// sees what, actions.ts for what each form changes, and action-routes.ts for the forms.
import { Router } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { requireSignIn } from '../auth/require-sign-in.ts';
import { notFound } from '../http/errors.ts';
import { paths, withQuery } from '../http/paths.ts';
import { dayOf } from '../lib/dates.ts';
import { isReleased } from '../domain/request-life.ts';
import { roundFigures } from './round-results.ts';
import { assertLeaderTools, loadReportContext } from './context.ts';
import { csvFileName, reportCsv } from './csv.ts';
import { renderReport } from './render.ts';
import { releaseReport } from './actions.ts';
import { reportActionRoutes } from './action-routes.ts';

export function reportRoutes(deps: RouteDeps): Router {
  const { db, clock, config } = deps;
  const fallbackThreshold = config.ANONYMITY_THRESHOLD;
  const router = Router();
  router.use('/reports', requireSignIn);
  const load = (req: Parameters<typeof loadReportContext>[1]) => loadReportContext(db, req, fallbackThreshold);

  // Before /reports/:id, which would otherwise take "<id>.csv" as its id.
  router.get(paths.reports.csv(':id'), async (req, res) => {
    const ctx = await load(req);
    if (ctx.stage !== 'report') throw notFound();
    const figures = await roundFigures(db, ctx.round, ctx.threshold);
    const day = dayOf(ctx.round.closed_at ?? clock.now());
    res.set('Cache-Control', 'no-store');
    res.attachment(csvFileName(ctx.round.managerName, day)).type('text/csv; charset=utf-8').send(reportCsv(figures));
  });

  router.get(paths.reports.show(':id'), async (req, res) => {
    const ctx = await load(req);
    await renderReport(res, db, ctx, { fallbackThreshold, now: clock.now(), done: req.query.done });
  });

  router.get(paths.reports.release(':id'), async (req, res) => {
    const ctx = await load(req);
    assertLeaderTools(ctx);
    if (isReleased(ctx.round)) return res.redirect(303, paths.reports.show(ctx.round.id));
    res.set('Cache-Control', 'no-store');
    res.render('reports/release', { title: `Release the report to ${ctx.round.managerName}?`, round: ctx.round });
  });

  router.post(paths.reports.release(':id'), async (req, res) => {
    const ctx = await load(req);
    assertLeaderTools(ctx);
    await releaseReport(deps, ctx.round);
    res.redirect(303, withQuery(paths.reports.show(ctx.round.id), { done: 'released' }));
  });

  router.use(reportActionRoutes(deps));
  return router;
}
