// The leader's one-on-one with the manager about a closed round (PRODUCT.md, "From feedback to
// a better working relationship"): the agenda built from the report, the meeting and its
// calendar invitation, and cancelling it. Only the leader, once the report exists for them.
import { Router, type Request, type Response } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { requireSignIn } from '../auth/require-sign-in.ts';
import { parseForm } from '../http/forms.ts';
import { paths, withQuery } from '../http/paths.ts';
import { addDays, dayOf } from '../lib/dates.ts';
import { isReleased } from '../domain/request-life.ts';
import { assertLeaderTools, loadReportContext, type ReportContext } from '../reports/context.ts';
import { roundFigures } from '../reports/round-results.ts';
import { strengthsAndFocus } from '../reports/view.ts';
import { listFocusPoints } from '../reports/focus-points-queries.ts';
import type { FormState } from '../reports/render.ts';
import { NOTES_MAX } from '../reports/forms.ts';
import { TIME_ZONES, wallTimeOf, zoneName } from './calendar.ts';
import { zoneOf } from '../auth/users.ts';
import { AGENDA_MAX, MINUTES, PLACE_MAX, agendaForm, meetingForm } from './forms.ts';
import { findOneOnOne } from './queries.ts';
import { selfAnswersOf } from '../self-assessment/queries.ts';
import { blindSpots, buildAgenda, meetingState, meetingSummary } from './view.ts';
import { cancelMeeting, planMeeting, saveOneOnOneAgenda } from './actions.ts';
import { doneMessage, t } from '../i18n/translate.ts';
import { formatNumberIn } from '../i18n/format.ts';

/** What a redirect after a POST says happened (`?done=…`): `oneOnOne.done.<done>` in the catalogues. */
const DONE_MESSAGES = Object.fromEntries(
  ['agenda', 'copied', 'planned', 'moved', 'unchanged', 'cancelled'].map((done) => [done, `oneOnOne.done.${done}`]),
);

export function oneOnOneRoutes(deps: RouteDeps): Router {
  const { db, clock, config } = deps;
  const router = Router();
  router.use(paths.reports.oneOnOne(':id'), requireSignIn);
  const load = async (req: Request) => {
    const ctx = await loadReportContext(db, req, config.ANONYMITY_THRESHOLD);
    assertLeaderTools(ctx);
    return ctx;
  };

  async function render(
    res: Response,
    ctx: ReportContext,
    opts: { done?: unknown; agenda?: FormState; meeting?: FormState } = {},
  ) {
    const { round, locale } = ctx;
    const now = clock.now();
    const [figures, selfAnswers, held, focusPoints] = await Promise.all([
      roundFigures(db, round, ctx.threshold),
      selfAnswersOf(db, round.id),
      findOneOnOne(db, round.id),
      listFocusPoints(db, round.id),
    ]);
    const participation = { answered: ctx.responses, invited: round.invited_count ?? ctx.responses };
    const built = buildAgenda({ managerName: round.managerName, figures, selfAnswers, participation, locale });
    const savedAgenda = held?.agenda ? held.agenda : null;
    // A meeting not yet planned is offered on the organizer's clock (the viewer's zone).
    const zone = held?.time_zone ?? zoneOf(res.locals.currentUser, config.TIME_ZONE);
    const wall = held?.starts_at ? wallTimeOf(held.starts_at, zone) : null;
    const meetingValues = opts.meeting?.values ?? {
      day: wall?.day ?? '',
      time: wall?.time ?? '',
      minutes: held?.minutes ?? MINUTES.default,
      time_zone: zone,
      place: held?.place ?? '',
    };
    const state = meetingState(held, now);
    const failed = Boolean(opts.agenda?.errors || opts.meeting?.errors);
    res.set('Cache-Control', 'no-store');
    res.status(failed ? 422 : 200).render('one-on-one/show', {
      title: t(locale, 'oneOnOne.title', { managerName: round.managerName }),
      round,
      ...strengthsAndFocus(figures, locale),
      blindSpots: blindSpots(figures, selfAnswers, locale),
      agenda: (opts.agenda?.values?.agenda as string | undefined) ?? savedAgenda ?? built,
      agendaSaved: savedAgenda !== null,
      agendaErrors: opts.agenda?.errors,
      meetingErrors: opts.meeting?.errors,
      errors: opts.agenda?.errors ?? opts.meeting?.errors,
      meetingValues,
      zones: TIME_ZONES.map((name) => ({ name, selected: name === meetingValues.time_zone })),
      state: { [state]: true, name: state },
      meeting: meetingSummary(held, locale),
      canCancel: state === 'planned' || state === 'moved',
      focusPoints: focusPoints.filter((point) => point.done_at === null),
      released: isReleased(round),
      doneMessage: doneMessage(locale, DONE_MESSAGES, opts.done),
      limits: {
        agenda: AGENDA_MAX,
        agendaText: formatNumberIn(locale, AGENDA_MAX),
        place: PLACE_MAX,
        minutes: MINUTES,
      },
      defaultZone: zoneName(config.TIME_ZONE, locale),
      today: dayOf(now),
      example: dayOf(addDays(now, 7)),
    });
  }

  router.get(paths.reports.oneOnOne(':id'), async (req, res) => {
    await render(res, await load(req), { done: req.query.done });
  });

  router.post(paths.reports.oneOnOneAgenda(':id'), async (req, res) => {
    const ctx = await load(req);
    const form = parseForm(agendaForm(ctx.locale), req.body);
    if (!form.ok) return render(res, ctx, { agenda: form });
    const saved = await saveOneOnOneAgenda(deps, ctx.round, form.data.agenda, form.data.action === 'copy');
    if (saved === 'notes-full') {
      const message = t(ctx.locale, 'oneOnOne.agenda.notesFull', { limit: formatNumberIn(ctx.locale, NOTES_MAX) });
      return render(res, ctx, { agenda: { errors: { agenda: message }, values: req.body as Record<string, unknown> } });
    }
    res.redirect(
      303,
      withQuery(paths.reports.oneOnOne(ctx.round.id), { done: saved === 'copied' ? 'copied' : 'agenda' }, 'agenda'),
    );
  });

  router.post(paths.reports.oneOnOneMeeting(':id'), async (req, res) => {
    const ctx = await load(req);
    const form = parseForm(meetingForm(clock.now(), ctx.locale), req.body);
    if (!form.ok) return render(res, ctx, { meeting: form });
    const { startsAt, minutes, time_zone: timeZone, place } = form.data;
    const done = await planMeeting(deps, ctx.round, { startsAt, minutes, timeZone, place }, ctx.locale);
    res.redirect(303, withQuery(paths.reports.oneOnOne(ctx.round.id), { done }, 'meeting'));
  });

  router.get(paths.reports.oneOnOneCancel(':id'), async (req, res) => {
    const ctx = await load(req);
    const held = await findOneOnOne(db, ctx.round.id);
    const state = meetingState(held, clock.now());
    if (state !== 'planned' && state !== 'moved') return res.redirect(303, paths.reports.oneOnOne(ctx.round.id));
    res.set('Cache-Control', 'no-store');
    res.render('one-on-one/cancel', {
      title: t(ctx.locale, 'oneOnOne.cancel.title', { managerName: ctx.round.managerName }),
      round: ctx.round,
      meeting: meetingSummary(held, ctx.locale),
    });
  });

  router.post(paths.reports.oneOnOneCancel(':id'), async (req, res) => {
    const ctx = await load(req);
    const done = await cancelMeeting(deps, ctx.round, ctx.locale);
    res.redirect(
      303,
      withQuery(
        paths.reports.oneOnOne(ctx.round.id),
        { done: done === 'cancelled' ? 'cancelled' : undefined },
        'meeting',
      ),
    );
  });

  return router;
}
