// The report of a closed round: the page, its CSV, and the leader's release. Every route
// needs a signed-in leader or manager of the round; see context.ts and access.ts for who
// sees what, actions.ts for what each form changes, and action-routes.ts for the forms.
import { Router } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { requireSignIn } from '../auth/require-sign-in.ts';
import { notFound } from '../http/errors.ts';
import { paths, withQuery } from '../http/paths.ts';
import { addMonths, dayOf } from '../lib/dates.ts';
import { parseForm } from '../http/forms.ts';
import { isReleased } from '../domain/request-life.ts';
import { roundFigures } from './round-results.ts';
import { assertLeaderTools, loadReportContext } from './context.ts';
import { csvFileName, reportCsv } from './csv.ts';
import { renderReport } from './render.ts';
import { releaseReport } from './actions.ts';
import { reportActionRoutes } from './action-routes.ts';
import { nextRoundForm } from './forms.ts';
import { nextRoundRoutes, renderRelease } from './next-round-routes.ts';

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
    const now = clock.now();
    await renderReport(res, db, ctx, { fallbackThreshold, timeZone: config.TIME_ZONE, now, done: req.query.done });
  });

  router.get(paths.reports.release(':id'), async (req, res) => {
    const ctx = await load(req);
    assertLeaderTools(ctx);
    if (isReleased(ctx.round)) return res.redirect(303, paths.reports.show(ctx.round.id));
    // The next round is suggested NEXT_ROUND_MONTHS after today's release.
    const suggested = addMonths(dayOf(clock.now()), config.NEXT_ROUND_MONTHS);
    renderRelease(res, ctx, clock.now(), { values: { next_round_on: suggested } });
  });

  router.post(paths.reports.release(':id'), async (req, res) => {
    const ctx = await load(req);
    assertLeaderTools(ctx);
    const form = parseForm(nextRoundForm(clock.now(), ctx.locale), req.body);
    // Once released (a second tab), the date is the report's to change: nothing to refuse here.
    if (!form.ok && !isReleased(ctx.round)) return renderRelease(res, ctx, clock.now(), form);
    await releaseReport(deps, ctx.round, form.ok ? form.data.next_round_on : null, ctx.locale);
    res.redirect(303, withQuery(paths.reports.show(ctx.round.id), { done: 'released' }));
  });

  router.use(reportActionRoutes(deps));
  router.use(nextRoundRoutes(deps));
  return router;
}
