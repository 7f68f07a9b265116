// The life of a feedback request, in one place every page asks: its statuses and what each
// allows, the threshold in force, the words for each status, the agree scale, and which way
// a mean moved. Pure: no database, no clock.
import { SOURCE_LOCALE } from '../i18n/catalogues.ts';
import { intlLocale, t, type Locale } from '../i18n/translate.ts';
import type { RequestKind, RequestStatus } from '../db/schema.ts';

export type { RequestKind, RequestStatus };

/** A check-back (issue 20): a short round to the same team about a round's focus points. */
export const isCheckBack = (request: { kind: RequestKind }) => request.kind === 'check-back';

/** The manager may still change the request: a draft, or one the leader declined. */
export const EDITABLE_STATUSES = ['draft', 'declined'] as const satisfies readonly RequestStatus[];
/** The round has closed: its answers are final and its report exists. */
export const REPORT_STATUSES = ['closed', 'released'] as const satisfies readonly RequestStatus[];

/** Launched: the round has (or had) links, ballots and a recorded threshold. */
export const LAUNCHED_STATUSES = ['open', ...REPORT_STATUSES] as const satisfies readonly RequestStatus[];

export const isEditable = (request: { status: RequestStatus }) =>
  (EDITABLE_STATUSES as readonly RequestStatus[]).includes(request.status);

/** Closed or released: the answers are final and the report exists (it may still be below k). */
export const hasReport = (request: { status: RequestStatus }) =>
  (REPORT_STATUSES as readonly RequestStatus[]).includes(request.status);

export const isOpen = (request: { status: RequestStatus }) => request.status === 'open';
/** Open, closed or released: the round's questions are fixed. */
export const isLaunched = (request: { status: RequestStatus }) =>
  (LAUNCHED_STATUSES as readonly RequestStatus[]).includes(request.status);
export const isWaitingForLeader = (request: { status: RequestStatus }) => request.status === 'submitted';
export const isReleased = (request: { status: RequestStatus }) => request.status === 'released';

/**
 * What each status allows, one line per step of the round (PRODUCT.md, "The round"). Pages
 * ask this before they show a button and again before they act on it.
 */
export const allows = {
  /** The manager changes the draft (or a declined request) and submits it. */
  edit: (r: { status: RequestStatus }) => isEditable(r),
  deleteDraft: (r: { status: RequestStatus }) => r.status === 'draft',
  reopen: (r: { status: RequestStatus }) => r.status === 'draft' || r.status === 'declined',
  /** The leader reviews: edits the details, removes invitees, launches or declines. */
  review: (r: { status: RequestStatus }) => r.status === 'submitted',
  /** Once per round, while it is open. */
  extend: (r: { status: RequestStatus; extended: boolean }) => r.status === 'open' && !r.extended,
  close: (r: { status: RequestStatus }) => r.status === 'open',
  release: (r: { status: RequestStatus }) => r.status === 'closed',
  /**
   * The manager answers the round's questions about themself, and changes them, until it
   * closes: at its closing moment, as the team's links stop, even before its job has closed it.
   */
  assessSelf: (r: { status: RequestStatus; closes_at: Date }, now: Date) => r.status === 'open' && r.closes_at > now,
  /** The manager writes to the team once the report is released, and sends it once. */
  replyToTeam: (r: { status: RequestStatus; kind: RequestKind }) => r.status === 'released' && r.kind === 'round',
  /** A check-back is offered on a released round (never on a check-back itself). */
  checkBack: (r: { status: RequestStatus; kind: RequestKind }) => r.status === 'released' && r.kind === 'round',
} as const;

/**
 * The statement a check-back asks about one focus point, on the agree scale. `since` is the
 * day the focus point was agreed, as the team reads dates.
 */
export const checkBackPrompt = (managerName: string, since: string, focusPoint: string, locale: Locale) =>
  t(locale, 'checkBack.prompt', { since, managerName, focusPoint });

/** The one optional comment every check-back ends with, in the team's language. */
export const checkBackCommentPrompt = (locale: Locale) => t(locale, 'checkBack.commentPrompt');
export const CHECK_BACK_COMMENT_PROMPT = checkBackCommentPrompt(SOURCE_LOCALE);

/**
 * How long invitees' addresses are kept (issue 20, point 3): the reply to the team and the
 * check-backs are sent to them, so a round's addresses stay while that loop still needs the
 * team, and never past a cap. The purge job says the same in SQL (src/jobs/purge-invitees.ts);
 * the survey page, the invitation and the README say it in words (addressesKeptWords).
 */
export interface AddressRetention {
  /** INVITEE_RETENTION_DAYS: after the close, when nothing more is planned. */
  days: number;
  /** INVITEE_RETENTION_MAX_DAYS: after the close, in any case. */
  maxDays: number;
}

/** A closed round's loop as the retention rule reads it. */
export interface RoundLoop {
  status: RequestStatus;
  /** The manager's reply to the team has been sent. */
  replySent: boolean;
  /** Focus points no closed (or released) check-back has asked about yet: one may still come. */
  focusPointsNotCheckedBack: number;
}

/**
 * The loop still needs the team's addresses: (a) the report is released and the reply not yet
 * sent, or (b) a focus point has still to be asked about by a check-back that has closed.
 */
export const loopNeedsTeam = (round: RoundLoop) =>
  (round.status === 'released' && !round.replySent) || round.focusPointsNotCheckedBack > 0;

/**
 * The latest a round's addresses are kept, as things stand: INVITEE_RETENTION_DAYS after the
 * close, or, while the loop needs the team, until it no longer does, but never past
 * INVITEE_RETENTION_MAX_DAYS after the close (the date returned then). A check-back's own
 * addresses go `days` after it closes, or with its round's, whichever comes first.
 */
export function addressesKeptUntil(closedAt: Date, needed: boolean, retention: AddressRetention): Date {
  const days = needed ? Math.max(retention.days, retention.maxDays) : retention.days;
  return new Date(closedAt.getTime() + days * 86_400_000);
}

/** The retention settings as the rule reads them, from the deployment's configuration. */
export const retentionOf = (config: { INVITEE_RETENTION_DAYS: number; INVITEE_RETENTION_MAX_DAYS: number }) => ({
  days: config.INVITEE_RETENTION_DAYS,
  maxDays: config.INVITEE_RETENTION_MAX_DAYS,
});

/** The rule in the words a team member reads on the survey page and in the invitation, in the round's language. */
export function addressesKeptWords(
  request: { kind: RequestKind; managerName: string },
  retention: AddressRetention,
  locale: Locale,
): string {
  const { days, maxDays } = retention;
  if (isCheckBack(request)) return t(locale, 'retention.checkBack', { days });
  if (maxDays <= days) return t(locale, 'retention.round', { days });
  return t(locale, 'retention.roundOrLater', { days, maxDays, managerName: request.managerName });
}

/**
 * The leader may send a reminder by hand at most once a day: a day after the last reminder
 * that went out, by hand or on schedule, so nobody gets two in a day through the button.
 */
export const REMINDER_GAP_MS = 24 * 60 * 60 * 1000;

/** When the leader may next send a reminder by hand: now if none went out in the last day. */
export function nextReminderFrom(lastSentAt: Date | null, now: Date): Date {
  if (!lastSentAt) return now;
  const from = new Date(lastSentAt.getTime() + REMINDER_GAP_MS);
  return from > now ? from : now;
}

/**
 * The fewest answers before any figure of this round is shown: the one recorded at launch,
 * or, for a round not launched yet (or launched before thresholds were recorded), the
 * deployment's.
 */
export function thresholdInForce(request: { anonymity_threshold: number | null }, deploymentThreshold: number): number {
  return request.anonymity_threshold ?? deploymentThreshold;
}

/** A status in words, for the manager who asked and for the leader who collects (`status.*` in the catalogues). */
export const statusWord = (role: 'manager' | 'leader', status: RequestStatus, locale: Locale) =>
  t(locale, `status.${role}.${status}`);

/** The five points of every agree question, lowest first, and the answer that is none of them. */
export const AGREE_POINTS = [
  { point: 1, label: 'Strongly disagree' },
  { point: 2, label: 'Disagree' },
  { point: 3, label: 'Neither agree nor disagree' },
  { point: 4, label: 'Agree' },
  { point: 5, label: 'Strongly agree' },
] as const;
export const AGREE_SCALE = AGREE_POINTS.map((p) => p.point);
export const NOT_APPLICABLE = { value: 'na', label: 'Not applicable' } as const;

/** A point's words in a language (`agree.1` … `agree.5`), "" for anything else. */
export const agreeLabel = (point: number, locale: Locale) =>
  AGREE_SCALE.includes(point as 1) ? t(locale, `agree.${point}`) : '';
/** The five points' words, lowest first. */
export const agreeLabels = (locale: Locale) => AGREE_SCALE.map((point) => agreeLabel(point, locale));

const MEAN_FORMATS = new Map<Locale, Intl.NumberFormat>();

/** "4.2" ("4,2" in German): means are shown to one decimal, which is all five-point answers can support. */
export function formatMean(mean: number, locale: Locale): string {
  // Kept per language: a report writes dozens of figures, and making a formatter costs more than using one.
  let format = MEAN_FORMATS.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(intlLocale(locale), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    MEAN_FORMATS.set(locale, format);
  }
  return format.format(mean);
}

const shown = (mean: number) => Math.round(mean * 10) / 10;

/** "+0.4" ("+0,4" in German), "−0.3" (a real minus sign, read as "minus"), or "±0.0". */
const signedAmount = (delta: number, locale: Locale) =>
  delta === 0 ? `±${formatMean(0, locale)}` : `${delta > 0 ? '+' : '−'}${formatMean(Math.abs(delta), locale)}`;

export interface Change {
  direction: 'up' | 'down' | 'same';
  symbol: '▲' | '▼' | '●';
  /** Its words in the catalogues: `change.up`, `change.down`, `change.same`. */
  wordKey: 'change.up' | 'change.down' | 'change.same';
  /** "+0.4", "−0.3" (a real minus sign, read as "minus"), or "±0.0". */
  amount: string;
}

/**
 * Which way a mean moved, decided on the two means as the page shows them (one decimal), so
 * the amount is always the difference a reader can work out from the page, and every page
 * says the same of it: within ±0.1 is "about the same", as answers of a few people move by
 * that much without anything changing.
 */
export function changeBetween(before: number, after: number, locale: Locale): Change {
  const delta = Math.round((shown(after) - shown(before)) * 10) / 10;
  const amount = signedAmount(delta, locale);
  if (Math.abs(delta) <= 0.1) return { direction: 'same', symbol: '●', wordKey: 'change.same', amount };
  return delta > 0
    ? { direction: 'up', symbol: '▲', wordKey: 'change.up', amount }
    : { direction: 'down', symbol: '▼', wordKey: 'change.down', amount };
}

/**
 * The three sides of the agree scale as a report groups it: the two disagree points, the
 * middle one, the two agree points. "Favourable" is the agree side.
 */
export const AGREE_SIDES = [
  { side: 'disagree', points: [1, 2] },
  { side: 'neutral', points: [3] },
  { side: 'agree', points: [4, 5] },
] as const;
export type Leaning = (typeof AGREE_SIDES)[number]['side'];

/** The side of the scale a point (1–5) is on. */
export const sideOfPoint = (point: number): Leaning =>
  AGREE_SIDES.find((s) => (s.points as readonly number[]).includes(point))!.side;

/** Whole percent of `count` in `total`; 0 of nothing is 0. */
export const percentOf = (count: number, total: number) => (total > 0 ? Math.round((count / total) * 100) : 0);

/**
 * The count and share of each side, from the counts per point (1–5, lowest first). Each share
 * is rounded on its own, as the reader would work it out, so the three may add up to 99 or 101.
 */
export function agreeSides(
  distribution: number[],
  locale: Locale,
): Array<{ side: Leaning; label: string; count: number; percent: number }> {
  const total = distribution.reduce((sum, n) => sum + n, 0);
  return AGREE_SIDES.map(({ side, points }) => {
    const count = points.reduce((sum, point) => sum + (distribution[point - 1] ?? 0), 0);
    return { side, label: t(locale, `side.${side}`), count, percent: percentOf(count, total) };
  });
}

/** "% favourable": the share of answers that agree or strongly agree (not applicable left out). */
export const favourablePercent = (distribution: number[]) =>
  agreeSides(distribution, SOURCE_LOCALE).find((s) => s.side === 'agree')!.percent;

/**
 * Which way a mean leans, on the mean as shown (one decimal): 3.5 and above agrees, 2.5 and
 * below disagrees, in between is neutral. A 2.3 is never shown as a good score.
 */
export function leaningOf(mean: number): Leaning {
  const value = shown(mean);
  return value >= 3.5 ? 'agree' : value <= 2.5 ? 'disagree' : 'neutral';
}

/** How far apart, in points, the manager's own answer and the team's mean must be to count as "clearly". */
export const CLEARLY_APART = 1;

/** The rule for "clearly", in the words the report shows beside the lists. */
export const selfGapRule = (locale: Locale) => t(locale, 'selfGap.rule', { points: formatMean(CLEARLY_APART, locale) });

export interface SelfGap {
  /** "+1.2", "−0.8" (a real minus sign), or "±0.0": self − the team's mean as shown. */
  amount: string;
  /** Clearly higher than the team (a blind spot), clearly lower (a hidden strength), or neither. */
  kind: 'blind-spot' | 'hidden-strength' | 'in-line';
}

/**
 * The manager's own answer (1–5) against the team's mean, decided on the mean as the page
 * shows it (one decimal), so the gap is always one a reader can work out from the page.
 */
export function selfGap(self: number, teamMean: number, locale: Locale): SelfGap {
  const delta = Math.round((self - shown(teamMean)) * 10) / 10;
  const amount = signedAmount(delta, locale);
  const kind = delta >= CLEARLY_APART ? 'blind-spot' : delta <= -CLEARLY_APART ? 'hidden-strength' : 'in-line';
  return { amount, kind };
}

/**
 * The next round (issue 19): a date set at the release, or after it by the leader or the
 * manager, after today and at most this many months ahead. On it the manager is emailed a
 * link that starts the follow-up round, unless one was started already.
 */
export const NEXT_ROUND_MAX_MONTHS = 24;

/**
 * A round's one-on-one as the leader's overview names it: planned until its start, held from
 * then on; a cancelled meeting, or one without a time yet, counts as neither.
 */
export function oneOnOneStage(
  meeting: { starts_at: Date | null; cancelled_at: Date | null } | null,
  now: Date,
): 'planned' | 'held' | null {
  if (!meeting?.starts_at || meeting.cancelled_at) return null;
  return meeting.starts_at.getTime() > now.getTime() ? 'planned' : 'held';
}
