// The next round (issue 19): its date, picked on the release page and changed or cleared on
// the report by the leader or the manager; and the page the next-round email links to, whose
// one button starts the follow-up round (POST paths.reports.followUp).
import { Router, type Response } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { parseForm } from '../http/forms.ts';
import { paths, withQuery } from '../http/paths.ts';
import { formatDate } from '../lib/dates.ts';
import { assertManagerAfterRelease, assertReleased, loadReportContext } from './context.ts';
import { nextRoundForm, nextRoundRange } from './forms.ts';
import { renderReport, type FormState } from './render.ts';
import { setNextRoundDate } from './actions.ts';
import { findFollowUpRound } from './next-round-queries.ts';
import type { ReportRound } from './queries.ts';

/** The leader's release page, with the next round's date (suggested, or as typed with its error). */
export function renderRelease(res: Response, round: ReportRound, now: Date, form: FormState): void {
  res.set('Cache-Control', 'no-store');
  res.status(form.errors ? 422 : 200).render('reports/release', {
    title: `Release the report to ${round.managerName}?`,
    round,
    errors: form.errors,
    values: form.values ?? {},
    range: nextRoundRange(now),
  });
}

export function nextRoundRoutes(deps: RouteDeps): Router {
  const { db, clock, config } = deps;
  const fallbackThreshold = config.ANONYMITY_THRESHOLD;
  const router = Router();

  // The next-round email's link: the manager starts the follow-up round with one button.
  router.get(paths.reports.nextRound(':id'), async (req, res) => {
    const ctx = await loadReportContext(db, req, fallbackThreshold);
    assertManagerAfterRelease(ctx);
    const { round } = ctx;
    const started = await findFollowUpRound(db, round.id);
    res.set('Cache-Control', 'no-store');
    res.render('reports/next-round', {
      title: 'Start your follow-up round',
      round,
      closedOn: round.closed_at ? formatDate(round.closed_at) : null,
      nextRoundOn: round.next_round_on ? formatDate(round.next_round_on) : null,
      // A draft opens again with the same button; one sent already is only linked to.
      draftStarted: started?.status === 'draft',
      sentAlready: started && started.status !== 'draft' ? started : null,
      teamPurged: round.invitees_purged_at !== null,
    });
  });

  // Set, move or clear the date (the "Remove the date" button sends action=clear).
  router.post(paths.reports.nextRound(':id'), async (req, res) => {
    const ctx = await loadReportContext(db, req, fallbackThreshold);
    assertReleased(ctx);
    const now = clock.now();
    const body = req.body as Record<string, unknown>;
    const form = parseForm(nextRoundForm(now), body.action === 'clear' ? {} : body);
    if (!form.ok) return renderReport(res, db, ctx, { fallbackThreshold, now, nextRound: form });
    await setNextRoundDate(deps, ctx.round.id, form.data.next_round_on);
    const done = form.data.next_round_on ? 'next-round-set' : 'next-round-cleared';
    res.redirect(303, withQuery(paths.reports.show(ctx.round.id), { done }, 'next-round'));
  });

  return router;
}
