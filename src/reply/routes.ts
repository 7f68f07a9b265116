// The manager's reply to the team after the release (issue 20, PRODUCT.md "From feedback to
// a better working relationship", point 4): write "What I heard" and "What I'll do", preview
// exactly what each team member will read, and send it once. Only the manager, only once the
// report is released; the leader sees on their pages whether and when it was sent.
import { Router, type Request, type Response } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { requireSignIn } from '../auth/require-sign-in.ts';
import { notAllowed } from '../http/errors.ts';
import { parseForm } from '../http/forms.ts';
import { paths, withQuery } from '../http/paths.ts';
import { formatDate } from '../lib/dates.ts';
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

/** What a redirect after a POST says happened (`?done=…`). */
const DONE_MESSAGES: Record<string, string> = {
  saved: 'Your draft is saved. Nothing has been sent.',
  sent: 'Your reply is on its way to the team.',
  'already-sent': 'Your reply was sent already, so nothing more was sent and nothing changed.',
};

const toDraft = (input: ReplyInput): ReplyDraft => ({
  heard: input.heard,
  willDo: input.will_do,
  includeFigures: input.include_figures,
});

/** The team's addresses were deleted (the purge ran, or cleared every invitation). */
const addressesDeleted = (round: { invitees_purged_at: Date | null }, team: readonly string[]) =>
  round.invitees_purged_at !== null || team.length === 0;

/** Why there is nobody to send to: the team's addresses were deleted. */
const addressesGone = (purgedAt: Date | null) =>
  purgedAt
    ? `The team's addresses were deleted on ${formatDate(purgedAt)}, as the team was promised when they were invited, so the reply can no longer be sent.`
    : "The team's addresses have been deleted, so the reply can no longer be sent.";

/** The reply is the manager's, once the report is theirs too. */
function assertReplyAccess(ctx: ReportContext): void {
  if (ctx.stage !== 'report' || !allows.replyToTeam(ctx.round))
    throw notAllowed('You can write to your team once the report has been released to you.');
  if (ctx.viewer !== 'manager')
    throw notAllowed(
      `Only ${ctx.round.managerName}, whose round this was, writes to the team. The report shows whether it was sent.`,
    );
}

export function replyRoutes(deps: RouteDeps): Router {
  const { db, config } = deps;
  const router = Router();
  router.use(paths.reports.reply(':id'), requireSignIn);
  const load = async (req: Request) => {
    const ctx = await loadReportContext(db, req, config.ANONYMITY_THRESHOLD);
    assertReplyAccess(ctx);
    return ctx;
  };
  const figuresOf = async (ctx: ReportContext) => replyFigures(await roundFigures(db, ctx.round, ctx.threshold));

  async function render(
    res: Response,
    ctx: ReportContext,
    opts: { done?: unknown; form?: FormState; problem?: string; status?: number } = {},
  ) {
    const { round } = ctx;
    const [figures, focusPoints, reply, team] = await Promise.all([
      roundFigures(db, round, ctx.threshold),
      listFocusPoints(db, round.id),
      findTeamReply(db, round.id),
      inviteesOf(db, round.id),
    ]);
    const draft: ReplyDraft = reply
      ? { heard: reply.heard, willDo: reply.will_do, includeFigures: reply.include_figures }
      : draftFromReport(figures, focusPoints);
    const sent = reply?.sent_at ? { on: formatDate(reply.sent_at), count: reply.sent_count ?? 0 } : null;
    const gone = !sent && addressesDeleted(round, team);
    res.set('Cache-Control', 'no-store');
    res.status(opts.status ?? (opts.form?.errors ? 422 : 200)).render('reply/show', {
      title: 'Reply to your team',
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
      gone: gone ? addressesGone(round.invitees_purged_at) : null,
      teamCount: team.length,
      figures: replyFigures(figures),
      threshold: ctx.threshold,
      problem: opts.problem,
      doneMessage: typeof opts.done === 'string' ? DONE_MESSAGES[opts.done] : undefined,
      limits: { reply: REPLY_MAX, replyText: REPLY_MAX.toLocaleString('en-GB') },
    });
  }

  router.get(paths.reports.reply(':id'), async (req, res) => {
    await render(res, await load(req), { done: req.query.done });
  });

  router.post(paths.reports.reply(':id'), async (req, res) => {
    const ctx = await load(req);
    const form = parseForm(draftForm, req.body);
    if (!form.ok) return render(res, ctx, { form });
    const done = await saveReplyDraft(deps, ctx.round.id, toDraft(form.data));
    res.redirect(303, withQuery(paths.reports.reply(ctx.round.id), { done }));
  });

  // The preview is the confirmation step: it saves the draft and shows the email as sent.
  router.post(paths.reports.replyPreview(':id'), async (req, res) => {
    const ctx = await load(req);
    const form = parseForm(replyForm, req.body);
    if (!form.ok) return render(res, ctx, { form });
    const draft = toDraft(form.data);
    if ((await saveReplyDraft(deps, ctx.round.id, draft)) === 'already-sent')
      return res.redirect(303, withQuery(paths.reports.reply(ctx.round.id), { done: 'already-sent' }));
    const team = await inviteesOf(db, ctx.round.id);
    if (addressesDeleted(ctx.round, team))
      return render(res, ctx, { problem: addressesGone(ctx.round.invitees_purged_at), status: 409 });
    const email = previewOf(replyEmailData(ctx.round, draft, await figuresOf(ctx), ctx.threshold), config);
    res.set('Cache-Control', 'no-store');
    res.render('reply/preview', {
      title: 'Preview your reply',
      round: ctx.round,
      email,
      teamCount: team.length,
      values: { heard: draft.heard, will_do: draft.willDo, include_figures: draft.includeFigures ? 'yes' : '' },
    });
  });

  router.post(paths.reports.replySend(':id'), async (req, res) => {
    const ctx = await load(req);
    const form = parseForm(replyForm, req.body);
    if (!form.ok) return render(res, ctx, { form });
    const figures = await figuresOf(ctx);
    const result = await sendReply(deps, ctx.round.id, toDraft(form.data), (draft) =>
      replyEmailData(ctx.round, draft, figures, ctx.threshold),
    );
    if (result.outcome === 'addresses-gone')
      return render(res, ctx, { problem: addressesGone(result.purgedAt), status: 409 });
    res.redirect(303, withQuery(paths.reports.reply(ctx.round.id), { done: result.outcome }));
  });

  return router;
}
