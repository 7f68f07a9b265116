// The next round (issue 19): its date, picked on the release page and changed or cleared on
// the report by the leader or the manager; and the page the next-round email links to, whose
// one button starts the follow-up round (POST paths.reports.followUp).
import { Router, type Response } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { parseForm } from '../http/forms.ts';
import { paths, withQuery } from '../http/paths.ts';
import { formatDateIn } from '../i18n/format.ts';
import { t } from '../i18n/translate.ts';
import { assertManagerAfterRelease, assertReleased, loadReportContext, type ReportContext } from './context.ts';
import { nextRoundForm, nextRoundRange } from './forms.ts';
import { readerOf, renderReport, type FormState } from './render.ts';
import { setNextRoundDate } from './actions.ts';
import { findFollowUpRound } from './next-round-queries.ts';

/** The leader's release page, with the next round's date (suggested, or as typed with its error). */
export function renderRelease(res: Response, ctx: ReportContext, now: Date, form: FormState): void {
  const { round } = ctx;
  res.set('Cache-Control', 'no-store');
  res.status(form.errors ? 422 : 200).render('reports/release', {
    title: t(ctx.locale, 'report.release.title', { managerName: round.managerName }),
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
    const { locale, zone } = readerOf(res, config.TIME_ZONE);
    res.set('Cache-Control', 'no-store');
    res.render('reports/next-round', {
      title: t(locale, 'report.nextRoundPage.title'),
      round,
      closedOn: round.closed_at ? formatDateIn(locale, round.closed_at, zone) : null,
      nextRoundOn: round.next_round_on ? formatDateIn(locale, round.next_round_on, zone) : null,
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
    const form = parseForm(nextRoundForm(now, ctx.locale), body.action === 'clear' ? {} : body);
    const timeZone = config.TIME_ZONE;
    if (!form.ok) return renderReport(res, db, ctx, { fallbackThreshold, timeZone, now, nextRound: form });
    await setNextRoundDate(deps, ctx.round.id, form.data.next_round_on);
    const done = form.data.next_round_on ? 'next-round-set' : 'next-round-cleared';
    res.redirect(303, withQuery(paths.reports.show(ctx.round.id), { done }, 'next-round'));
  });

  return router;
}
