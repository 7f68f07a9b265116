// The manager's reply to the team after the release (issue 20, PRODUCT.md "From feedback to
// a better working relationship", point 4): write "What I heard" and "What I'll do", preview
// exactly what each team member will read, and send it once. Only the manager, only once the
// report is released; the leader sees on their pages whether and when it was sent.
import { Router, type Request, type Response } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { requireSignIn, signedInUser } from '../auth/require-sign-in.ts';
import { zoneOf } from '../auth/users.ts';
import { notAllowed } from '../http/errors.ts';
import { parseForm } from '../http/forms.ts';
import { paths, withQuery } from '../http/paths.ts';
import { formatDateIn, formatNumberIn } from '../i18n/format.ts';
import { doneMessage, localeOr, t, type Locale } from '../i18n/translate.ts';
import { allows } from '../domain/request-life.ts';
import { loadReportContext, type ReportContext } from '../reports/context.ts';
import { roundFigures } from '../reports/round-results.ts';
import { listFocusPoints } from '../reports/focus-points-queries.ts';
import type { FormState } from '../reports/render.ts';
import { REPLY_MAX, draftForm, replyForm, type ReplyInput } from './form.ts';
import { findTeamReply, type ReplyDraft } from './queries.ts';
import { inviteesOf } from '../rounds/round-queries.ts';
import { draftFromReport, previewOf, replyEmailData, replyFigures } from './view.ts';
import { saveReplyDraft, sendReply } from './actions.ts';

/** What a redirect after a POST says happened (`?done=…`): its message under reply.done. */
const DONE_MESSAGES = { saved: 'reply.done.saved', sent: 'reply.done.sent', 'already-sent': 'reply.done.alreadySent' };

const toDraft = (input: ReplyInput): ReplyDraft => ({
  heard: input.heard,
  willDo: input.will_do,
  includeFigures: input.include_figures,
});

/** The team's addresses were deleted (the purge ran, or cleared every invitation). */
const addressesDeleted = (round: { invitees_purged_at: Date | null }, team: readonly string[]) =>
  round.invitees_purged_at !== null || team.length === 0;

/** The manager's language and clock, for what the reply page says to them. */
interface Reader {
  locale: Locale;
  zone: string;
}

/** Why there is nobody to send to: the team's addresses were deleted. */
const addressesGone = (purgedAt: Date | null, { locale, zone }: Reader) =>
  purgedAt
    ? t(locale, 'reply.addressesDeletedOn', { date: formatDateIn(locale, purgedAt, zone) })
    : t(locale, 'reply.addressesDeleted');

/** The reply is the manager's, once the report is theirs too. */
function assertReplyAccess(ctx: ReportContext, locale: Locale): void {
  if (ctx.stage !== 'report' || !allows.replyToTeam(ctx.round)) throw notAllowed(t(locale, 'reply.notReleased'));
  if (ctx.viewer !== 'manager')
    throw notAllowed(t(locale, 'reply.onlyManager', { managerName: ctx.round.managerName }));
}

export function replyRoutes(deps: RouteDeps): Router {
  const { db, config } = deps;
  const router = Router();
  router.use(paths.reports.reply(':id'), requireSignIn);
  const readerOf = (req: Request, res: Response): Reader => ({
    locale: localeOr(res.locals.locale),
    zone: zoneOf(signedInUser(req), config.TIME_ZONE),
  });
  const load = async (req: Request, res: Response) => {
    const ctx = await loadReportContext(db, req, config.ANONYMITY_THRESHOLD);
    assertReplyAccess(ctx, localeOr(res.locals.locale));
    return ctx;
  };
  /** The figures as the email writes them: in the team's language, the round's survey language. */
  const figuresOf = async (ctx: ReportContext) =>
    replyFigures(await roundFigures(db, ctx.round, ctx.threshold), localeOr(ctx.round.survey_language));

  async function render(
    res: Response,
    ctx: ReportContext,
    reader: Reader,
    opts: { done?: unknown; form?: FormState; problem?: string; status?: number } = {},
  ) {
    const { round } = ctx;
    const { locale } = reader;
    const [figures, focusPoints, reply, team] = await Promise.all([
      roundFigures(db, round, ctx.threshold),
      listFocusPoints(db, round.id),
      findTeamReply(db, round.id),
      inviteesOf(db, round.id),
    ]);
    const draft: ReplyDraft = reply
      ? { heard: reply.heard, willDo: reply.will_do, includeFigures: reply.include_figures }
      : draftFromReport(figures, focusPoints, localeOr(round.survey_language));
    const sent = reply?.sent_at
      ? { on: formatDateIn(locale, reply.sent_at, reader.zone), count: reply.sent_count ?? 0 }
      : null;
    const gone = !sent && addressesDeleted(round, team);
    res.set('Cache-Control', 'no-store');
    res.status(opts.status ?? (opts.form?.errors ? 422 : 200)).render('reply/show', {
      title: t(locale, 'reply.eyebrow'),
      round,
      values: opts.form?.values ?? {
        heard: draft.heard,
        will_do: draft.willDo,
        include_figures: draft.includeFigures ? 'yes' : '',
      },
      draft,
      errors: opts.form?.errors,
      saved: reply !== undefined,
      sent,
      gone: gone ? addressesGone(round.invitees_purged_at, reader) : null,
      teamCount: team.length,
      figures: replyFigures(figures, locale),
      threshold: ctx.threshold,
      problem: opts.problem,
      doneMessage: doneMessage(locale, DONE_MESSAGES, opts.done),
      limits: { reply: REPLY_MAX, replyText: formatNumberIn(locale, REPLY_MAX) },
    });
  }

  router.get(paths.reports.reply(':id'), async (req, res) => {
    await render(res, await load(req, res), readerOf(req, res), { done: req.query.done });
  });

  router.post(paths.reports.reply(':id'), async (req, res) => {
    const ctx = await load(req, res);
    const reader = readerOf(req, res);
    const form = parseForm(draftForm(reader.locale), req.body);
    if (!form.ok) return render(res, ctx, reader, { form });
    const done = await saveReplyDraft(deps, ctx.round.id, toDraft(form.data));
    res.redirect(303, withQuery(paths.reports.reply(ctx.round.id), { done }));
  });

  // The preview is the confirmation step: it saves the draft and shows the email as sent.
  router.post(paths.reports.replyPreview(':id'), async (req, res) => {
    const ctx = await load(req, res);
    const reader = readerOf(req, res);
    const form = parseForm(replyForm(reader.locale), req.body);
    if (!form.ok) return render(res, ctx, reader, { form });
    const draft = toDraft(form.data);
    if ((await saveReplyDraft(deps, ctx.round.id, draft)) === 'already-sent')
      return res.redirect(303, withQuery(paths.reports.reply(ctx.round.id), { done: 'already-sent' }));
    const team = await inviteesOf(db, ctx.round.id);
    if (addressesDeleted(ctx.round, team))
      return render(res, ctx, reader, { problem: addressesGone(ctx.round.invitees_purged_at, reader), status: 409 });
    const email = previewOf(replyEmailData(ctx.round, draft, await figuresOf(ctx), ctx.threshold), config);
    res.set('Cache-Control', 'no-store');
    res.render('reply/preview', {
      title: t(reader.locale, 'reply.preview.title'),
      round: ctx.round,
      email,
      teamCount: team.length,
      values: { heard: draft.heard, will_do: draft.willDo, include_figures: draft.includeFigures ? 'yes' : '' },
    });
  });

  router.post(paths.reports.replySend(':id'), async (req, res) => {
    const ctx = await load(req, res);
    const reader = readerOf(req, res);
    const form = parseForm(replyForm(reader.locale), req.body);
    if (!form.ok) return render(res, ctx, reader, { form });
    const figures = await figuresOf(ctx);
    const result = await sendReply(deps, ctx.round.id, toDraft(form.data), (draft) =>
      replyEmailData(ctx.round, draft, figures, ctx.threshold),
    );
    if (result.outcome === 'addresses-gone')
      return render(res, ctx, reader, { problem: addressesGone(result.purgedAt, reader), status: 409 });
    res.redirect(303, withQuery(paths.reports.reply(ctx.round.id), { done: result.outcome }));
  });

  return router;
}
