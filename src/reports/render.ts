// Renders /reports/:id for its viewer: the report itself, or the page that says why there is
// none (yet). Forms posted back with mistakes re-render it with their errors and values.
import type { Response } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { notFound } from '../http/errors.ts';
import { allows, isReleased } from '../domain/request-life.ts';
import { addDays, dayOf } from '../lib/dates.ts';
import { formatDateIn, formatNumberIn } from '../i18n/format.ts';
import { doneMessage, localeOr, t } from '../i18n/translate.ts';
import { zoneOf } from '../auth/users.ts';
import type { ReportContext } from './context.ts';
import { FOCUS_POINT_MAX, NOTES_MAX, nextRoundRange } from './forms.ts';
import { loadReportPage, type Reader } from './page.ts';
import { replySentAt } from '../reply/queries.ts';
import { loadCheckBacks } from '../check-back/page.ts';

/** What a redirect after a POST says happened (`?done=…`): its message in the catalogues. */
const DONE_MESSAGES = {
  notes: 'report.done.notes',
  hidden: 'report.done.hidden',
  unhidden: 'report.done.unhidden',
  released: 'report.done.released',
  'point-added': 'report.done.pointAdded',
  'point-done': 'report.done.pointDone',
  'next-round-set': 'report.done.nextRoundSet',
  'next-round-cleared': 'report.done.nextRoundCleared',
};

/** The signed-in reader of a page: their language, and their time zone (else the deployment's). */
export const readerOf = (res: Response, fallbackZone: string): Reader => ({
  locale: localeOr(res.locals.locale),
  zone: zoneOf(res.locals.currentUser as { timeZone?: string | null } | undefined, fallbackZone),
});

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
    /** The deployment's time zone, for a reader who chose none. */
    timeZone: string;
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
  const reader = readerOf(res, opts.timeZone);
  const { locale } = reader;
  const dateOf = (value: Date | string) => formatDateIn(locale, value, reader.zone);
  const title = t(locale, 'report.title', { managerName: round.managerName });
  const common = {
    round,
    isLeader: viewer === 'leader',
    isManager: viewer === 'manager',
    threshold: ctx.threshold,
    responses: ctx.responses,
  };
  if (stage !== 'report') {
    res.render('reports/status', {
      title,
      ...common,
      stage: { open: stage === 'open', tooFew: stage === 'too-few', awaitingRelease: stage === 'awaiting-release' },
      closesOn: dateOf(round.closes_at),
      closedOn: round.closed_at ? dateOf(round.closed_at) : null,
      invited: round.invited_count,
    });
    return;
  }
  const page = await loadReportPage(db, { ...ctx, fallbackThreshold: opts.fallbackThreshold, reader });
  // The manager's reply to the team (src/reply/): both see whether and when it went, once released.
  const replySent = allows.replyToTeam(round) ? await replySentAt(db, round.id) : null;
  const failed = Boolean(opts.notes?.errors || opts.point?.errors || opts.nextRound?.errors);
  res.status(failed ? 422 : 200).render('reports/report', {
    title,
    ...common,
    ...page,
    released: isReleased(round),
    showFocusPoints: isReleased(round) || viewer === 'leader',
    closedOn: round.closed_at ? dateOf(round.closed_at) : null,
    releasedOn: round.released_at ? dateOf(round.released_at) : null,
    reply: allows.replyToTeam(round) ? { sentOn: replySent ? dateOf(replySent) : null } : null,
    // The manager reads the notes only once released; until then they are not even sent.
    notes: viewer === 'leader' || isReleased(round) ? round.leader_notes : '',
    doneMessage: doneMessage(locale, DONE_MESSAGES, opts.done),
    errors: opts.notes?.errors ?? opts.point?.errors ?? opts.nextRound?.errors,
    notesErrors: opts.notes?.errors,
    notesValue: opts.notes?.values?.notes ?? round.leader_notes,
    pointErrors: opts.point?.errors,
    pointValues: opts.point?.values ?? {},
    teamPurged: round.invitees_purged_at !== null,
    // The check-backs on the focus points (src/check-back/): offered, open, or their results.
    checkBacks: isReleased(round)
      ? await loadCheckBacks(db, round, {
          viewer,
          today: dayOf(opts.now, reader.zone),
          fallbackThreshold: opts.fallbackThreshold,
          reader,
        })
      : null,
    limits: { notes: NOTES_MAX, notesText: formatNumberIn(locale, NOTES_MAX), point: FOCUS_POINT_MAX },
    followUpRange: { min: dayOf(addDays(opts.now, 1)), example: dayOf(addDays(opts.now, 42)) },
    nextRound: {
      on: round.next_round_on ? dateOf(round.next_round_on) : null,
      errors: opts.nextRound?.errors,
      value: opts.nextRound ? opts.nextRound.values?.next_round_on : round.next_round_on,
      range: nextRoundRange(opts.now),
    },
  });
}
