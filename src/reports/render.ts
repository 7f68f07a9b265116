// Renders /reports/:id for its viewer: the report itself, or the page that says why there is
// none (yet). Forms posted back with mistakes re-render it with their errors and values.
import type { Response } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { notFound } from '../http/errors.ts';
import { allows, isReleased } from '../domain/request-life.ts';
import { addDays, dayOf, formatDate } from '../lib/dates.ts';
import type { ReportContext } from './context.ts';
import { FOCUS_POINT_MAX, NOTES_MAX, nextRoundRange } from './forms.ts';
import { loadReportPage } from './page.ts';
import { replySentAt } from '../reply/queries.ts';
import { loadCheckBacks } from '../check-back/page.ts';

/** What a redirect after a POST says happened (`?done=…`). */
const DONE_MESSAGES: Record<string, string> = {
  notes: 'Your notes are saved.',
  hidden: 'The comment is hidden. It will never be shown to the manager.',
  unhidden: 'The comment is shown again.',
  released: 'The report is released. The manager has been emailed a link to it.',
  'point-added': 'The focus point is added. You will both be emailed on its follow-up date.',
  'point-done': 'The focus point is marked done.',
  'next-round-set': "The next round's date is saved. The manager is emailed a link to start it on that day.",
  'next-round-cleared': 'No next round is planned now.',
};

export interface FormState {
  errors?: Record<string, string>;
  values?: Record<string, unknown>;
}

export async function renderReport(
  res: Response,
  db: Kysely<Database>,
  ctx: ReportContext,
  opts: {
    fallbackThreshold: number;
    now: Date;
    done?: unknown;
    notes?: FormState;
    point?: FormState;
    nextRound?: FormState;
  },
): Promise<void> {
  const { round, viewer, stage } = ctx;
  if (stage === 'none') throw notFound();
  res.set('Cache-Control', 'no-store');
  const common = {
    round,
    isLeader: viewer === 'leader',
    isManager: viewer === 'manager',
    threshold: ctx.threshold,
    responses: ctx.responses,
  };
  if (stage !== 'report') {
    res.render('reports/status', {
      title: `Feedback for ${round.managerName}`,
      ...common,
      stage: { open: stage === 'open', tooFew: stage === 'too-few', awaitingRelease: stage === 'awaiting-release' },
      closesOn: formatDate(round.closes_at),
      closedOn: round.closed_at ? formatDate(round.closed_at) : null,
      invited: round.invited_count,
    });
    return;
  }
  const page = await loadReportPage(db, { ...ctx, fallbackThreshold: opts.fallbackThreshold });
  // The manager's reply to the team (src/reply/): both see whether and when it went, once released.
  const replySent = allows.replyToTeam(round) ? await replySentAt(db, round.id) : null;
  const failed = Boolean(opts.notes?.errors || opts.point?.errors || opts.nextRound?.errors);
  res.status(failed ? 422 : 200).render('reports/report', {
    title: `Feedback for ${round.managerName}`,
    ...common,
    ...page,
    released: isReleased(round),
    showFocusPoints: isReleased(round) || viewer === 'leader',
    closedOn: round.closed_at ? formatDate(round.closed_at) : null,
    releasedOn: round.released_at ? formatDate(round.released_at) : null,
    reply: allows.replyToTeam(round) ? { sentOn: replySent ? formatDate(replySent) : null } : null,
    // The manager reads the notes only once released; until then they are not even sent.
    notes: viewer === 'leader' || isReleased(round) ? round.leader_notes : '',
    doneMessage: typeof opts.done === 'string' ? DONE_MESSAGES[opts.done] : undefined,
    errors: opts.notes?.errors ?? opts.point?.errors ?? opts.nextRound?.errors,
    notesErrors: opts.notes?.errors,
    notesValue: opts.notes?.values?.notes ?? round.leader_notes,
    pointErrors: opts.point?.errors,
    pointValues: opts.point?.values ?? {},
    teamPurged: round.invitees_purged_at !== null,
    // The check-backs on the focus points (src/check-back/): offered, open, or their results.
    checkBacks: isReleased(round)
      ? await loadCheckBacks(db, round, { viewer, today: dayOf(opts.now), fallbackThreshold: opts.fallbackThreshold })
      : null,
    limits: { notes: NOTES_MAX, notesText: NOTES_MAX.toLocaleString('en-GB'), point: FOCUS_POINT_MAX },
    followUpRange: { min: dayOf(addDays(opts.now, 1)), example: dayOf(addDays(opts.now, 42)) },
    nextRound: {
      on: round.next_round_on ? formatDate(round.next_round_on) : null,
      errors: opts.nextRound?.errors,
      value: opts.nextRound ? opts.nextRound.values?.next_round_on : round.next_round_on,
      range: nextRoundRange(opts.now),
    },
  });
}
