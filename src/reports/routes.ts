// The report of a closed round: the page, its CSV, and the leader's release. Every route
// needs a signed-in leader or manager of the round; see context.ts and
// report-access.ts for who sees what, and report-actions.ts for the forms on the page.
import { Router } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { requireSignIn } from '../auth/require-sign-in.ts';
import { notFound } from '../http/errors.ts';
import { queueEmail } from '../email/outbox.ts';
import { dayOf } from '../lib/dates.ts';
import { roundFigures } from './closed-round-cache.ts';
import { assertLeaderTools, loadReportContext } from './context.ts';
import { reportCsv } from './csv.ts';
import { renderReport } from './render.ts';
import { releaseRound } from './queries.ts';
import { reportActionRoutes } from './action-routes.ts';

export function reportRoutes(deps: RouteDeps): Router {
  const { db, clock, config } = deps;
  const fallbackThreshold = config.ANONYMITY_THRESHOLD;
  const router = Router();
  router.use('/reports', requireSignIn);
  const load = (req: Parameters<typeof loadReportContext>[1]) => loadReportContext(db, req, fallbackThreshold);

  // Before /reports/:id, which would otherwise take "<id>.csv" as its id.
  router.get('/reports/:id.csv', async (req, res) => {
    const ctx = await load(req);
    if (ctx.stage !== 'report') throw notFound();
    const figures = await roundFigures(db, ctx.round, ctx.threshold);
    const day = dayOf(ctx.round.closed_at ?? clock.now());
    res.set('Cache-Control', 'no-store');
    res.attachment(`upward-report-${day}.csv`).type('text/csv; charset=utf-8').send(reportCsv(figures));
  });

  router.get('/reports/:id', async (req, res) => {
    const ctx = await load(req);
    await renderReport(res, db, ctx, { fallbackThreshold, now: clock.now(), done: req.query.done });
  });

  router.get('/reports/:id/release', async (req, res) => {
    const ctx = await load(req);
    assertLeaderTools(ctx);
    if (ctx.round.status === 'released') return res.redirect(303, `/reports/${ctx.round.id}`);
    res.set('Cache-Control', 'no-store');
    res.render('reports/release', { title: `Release the report to ${ctx.round.managerName}?`, round: ctx.round });
  });

  // Releasing and queueing the manager's email commit together; a second click finds the
  // round already released and sends nothing.
  router.post('/reports/:id/release', async (req, res) => {
    const ctx = await load(req);
    assertLeaderTools(ctx);
    const { round } = ctx;
    await db.transaction().execute(async (trx) => {
      if (!(await releaseRound(trx, round.id, clock.now()))) return;
      await queueEmail(
        trx,
        {
          to: round.managerEmail,
          name: 'report-released',
          data: { managerName: round.managerName, leaderName: round.leaderName, link: `/reports/${round.id}` },
        },
        { config, clock },
      );
    });
    res.redirect(303, `/reports/${round.id}?done=released`);
  });

  router.use(reportActionRoutes(deps));
  return router;
}
