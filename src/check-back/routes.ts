// The check-back on a released round's focus points (issue 20, point 2): the page that offers
// it and says what the team will be asked, the leader's launch in one step, and the manager's
// team pasted again once the round's addresses were deleted. Both people of the round see the
// page; everyone else gets the same 404 as for a round that does not exist. A check-back's
// own /reports/:id leads to its round's report, where its results show.
import { Router, type Request, type Response } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { requireSignIn, signedInUser } from '../auth/require-sign-in.ts';
import { notAllowed, stateChanged } from '../http/errors.ts';
import { parseForm } from '../http/forms.ts';
import { paths, withQuery } from '../http/paths.ts';
import { z } from 'zod';
import { dayOf, endOfDayIn, isIsoDate } from '../lib/dates.ts';
import { leaderZone, zoneOf } from '../auth/users.ts';
import { assertReleased, loadReportContext, type ReportContext } from '../reports/context.ts';
import { viewerOf } from '../reports/access.ts';
import type { FormState } from '../reports/render.ts';
import { launchCheckBack, saveTeam } from './actions.ts';
import { defaultClosingDay, launchForm, parseTeamForm } from './form.ts';
import { loadCheckBacks } from './page.ts';
import { findCheckBack } from './queries.ts';
import { launchSummary } from './view.ts';
import { checkBackCommentPrompt, checkBackPrompt } from '../domain/request-life.ts';
import { formatDateIn } from '../i18n/format.ts';
import { doneMessage, localeOr, t, type Locale } from '../i18n/translate.ts';

const uuid = z.uuid();

/** What a redirect after a POST says happened (`?done=…`): its message under checkBackPage.done. */
const DONE_MESSAGES = { launched: 'checkBackPage.done.launched', team: 'checkBackPage.done.team' };

const PROBLEMS = {
  'no-team': (locale: Locale, managerName: string) => t(locale, 'checkBackPage.problem.noTeam', { managerName }),
  'below-threshold': (locale: Locale, threshold: number) =>
    t(locale, 'checkBackPage.problem.belowThreshold', { threshold }),
};

export function checkBackRoutes(deps: RouteDeps): Router {
  const { db, clock, config } = deps;
  const router = Router();
  router.use(paths.reports.show(':id'), requireSignIn);
  const load = async (req: Request) => {
    const ctx = await loadReportContext(db, req, config.ANONYMITY_THRESHOLD);
    assertReleased(ctx);
    return ctx;
  };

  // A check-back has no report of its own: its results are in its round's (its leader and
  // manager only; anyone else falls through to the report's 404).
  router.get(paths.reports.show(':id'), async (req, res, next) => {
    // Not an id (the report's "<id>.csv", say): the report's routes answer it.
    const id = uuid.safeParse(req.params.id);
    if (!id.success) return next();
    // One light look-up on every report view: is this a check-back, of someone it concerns?
    const request = await findCheckBack(db, id.data);
    if (!request?.check_back_of || !viewerOf(request, signedInUser(req))) return next();
    res.redirect(303, withQuery(paths.reports.show(request.check_back_of), {}, 'focus-points'));
  });

  async function render(
    res: Response,
    ctx: ReportContext,
    opts: { done?: unknown; launch?: FormState; team?: FormState; problem?: string },
    status = 200,
  ) {
    const { round, viewer } = ctx;
    const teamLocale = localeOr(round.survey_language);
    // The reader's language and clock for the page's words and dates; which focus points are
    // due is counted on the round's clock, its leader's, as the launch counts it.
    const locale = localeOr(res.locals.locale);
    const now = clock.now();
    const zone = await leaderZone(db, round.leader_email, config.TIME_ZONE);
    const checkBacks = await loadCheckBacks(db, round, {
      viewer,
      today: dayOf(now, zone),
      fallbackThreshold: config.ANONYMITY_THRESHOLD,
      reader: { locale, zone: zoneOf(res.locals.currentUser, config.TIME_ZONE) },
    });
    const closesOn = (opts.launch?.values?.closes_on as string | undefined) ?? defaultClosingDay(now, config, zone);
    res.set('Cache-Control', 'no-store');
    res.status(opts.launch?.errors || opts.team?.errors ? 422 : status).render('check-back/show', {
      title: t(locale, 'checkBackPage.title', { managerName: round.managerName }),
      round,
      isLeader: viewer === 'leader',
      isManager: viewer === 'manager',
      ...checkBacks,
      // The manager pastes the team once the round's addresses are gone, and may replace it until the launch.
      teamForm: viewer === 'manager' && checkBacks.offered && (checkBacks.team === null || checkBacks.team.pasted),
      // The questions as the team will read them: in the round's language.
      prompts: checkBacks.toAsk.map((point) =>
        checkBackPrompt(round.managerName, formatDateIn(teamLocale, point.createdAt), point.text, teamLocale),
      ),
      commentPrompt: checkBackCommentPrompt(teamLocale),
      nextDueOn: checkBacks.nextDue ? formatDateIn(locale, checkBacks.nextDue) : null,
      threshold: config.ANONYMITY_THRESHOLD,
      // The button says what it does, with the date in the form (the default until one is typed).
      summary: checkBacks.team
        ? launchSummary(
            checkBacks.team.size,
            formatDateIn(locale, isIsoDate(closesOn) ? closesOn : defaultClosingDay(now, config, zone)),
            locale,
          )
        : null,
      closesOn,
      launchErrors: opts.launch?.errors,
      teamErrors: opts.team?.errors,
      teamValue: opts.team?.values?.invitees ?? '',
      errors: opts.launch?.errors ?? opts.team?.errors,
      problem: opts.problem,
      doneMessage: doneMessage(locale, DONE_MESSAGES, opts.done),
    });
  }

  router.get(paths.reports.checkBack(':id'), async (req, res) => {
    await render(res, await load(req), { done: req.query.done });
  });

  router.post(paths.reports.checkBackLaunch(':id'), async (req, res) => {
    const ctx = await load(req);
    const locale = localeOr(res.locals.locale);
    if (ctx.viewer !== 'leader')
      throw notAllowed(t(locale, 'checkBackPage.onlyLeader', { leaderName: ctx.round.leaderName }));
    // The leader is the one signed in: the check-back closes at the end of the day on their clock.
    const zone = zoneOf(signedInUser(req), config.TIME_ZONE);
    const form = parseForm(launchForm(clock.now(), zone, locale), req.body);
    if (!form.ok) return render(res, ctx, { launch: form });
    const target = { roundId: ctx.round.id, leaderEmail: ctx.round.leader_email };
    const launched = await launchCheckBack(deps, target, endOfDayIn(form.data.closes_on, zone));
    if (launched.launched)
      return res.redirect(303, withQuery(paths.reports.checkBack(ctx.round.id), { done: 'launched' }));
    // A second click finds the focus points asked about: the page shows the check-back open.
    if (launched.problem === 'nothing-due') return res.redirect(303, paths.reports.checkBack(ctx.round.id));
    if (launched.problem === 'not-released') throw stateChanged();
    const problem =
      launched.problem === 'no-team'
        ? PROBLEMS['no-team'](locale, ctx.round.managerName)
        : PROBLEMS['below-threshold'](locale, config.ANONYMITY_THRESHOLD);
    return render(res, ctx, { problem }, 409);
  });

  router.post(paths.reports.checkBackTeam(':id'), async (req, res) => {
    const ctx = await load(req);
    if (ctx.viewer !== 'manager')
      throw notAllowed(
        t(localeOr(res.locals.locale), 'checkBackPage.onlyManager', { managerName: ctx.round.managerName }),
      );
    const checkBacks = await loadCheckBacks(db, ctx.round, {
      viewer: ctx.viewer,
      today: dayOf(clock.now(), await leaderZone(db, ctx.round.leader_email, config.TIME_ZONE)),
      fallbackThreshold: config.ANONYMITY_THRESHOLD,
      reader: { locale: localeOr(res.locals.locale), zone: zoneOf(res.locals.currentUser, config.TIME_ZONE) },
    });
    // The round's own addresses are still kept: the check-back goes to them.
    if (checkBacks.team && !checkBacks.team.pasted) throw stateChanged();
    const form = parseTeamForm(req.body, {
      managerEmail: ctx.round.managerEmail,
      leaderEmail: ctx.round.leader_email,
      config,
      locale: localeOr(res.locals.locale),
    });
    if (!form.ok) return render(res, ctx, { team: form });
    const saved = await saveTeam(deps, { roundId: ctx.round.id, managerId: ctx.round.manager_id }, form.data.addresses);
    if (saved === 'moved-on') throw stateChanged();
    res.redirect(303, withQuery(paths.reports.checkBack(ctx.round.id), { done: 'team' }));
  });

  return router;
}
