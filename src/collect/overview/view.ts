// What the leader's overview shows in words, in the leader's language: each request's row,
// which way a statement moved (a word beside the symbol, never colour or symbol alone), and
// who a total leaves out. Pure functions; page.ts loads the figures.
import { hasReport, isReleased, oneOnOneStage, statusWord } from '../../domain/request-life.ts';
import { formatDateIn } from '../../i18n/format.ts';
import { intlLocale, t, type Locale } from '../../i18n/translate.ts';
import type { FollowThrough } from './queries.ts';
import type { PointCheckBack } from '../../check-back/view.ts';
import type { FocusPointWithCheckBack } from '../../check-back/page.ts';
import type { QuestionFigures } from '../../reports/aggregate.ts';
import type { CollectedRequest } from '../queries.ts';
import { participation } from '../view.ts';

export type RequestRow = ReturnType<typeof requestRow>;

/** The reader: their language, and the zone their dates are read in. */
export interface Reader {
  locale: Locale;
  timeZone: string;
}

/** A request as the overview and the table show it: its state and dates in words, participation once launched. */
export function requestRow(row: CollectedRequest, reader: Reader = { locale: 'en', timeZone: 'UTC' }) {
  const { locale, timeZone } = reader;
  const day = (value: Date) => formatDateIn(locale, value, timeZone);
  return {
    ...row,
    state: statusWord('leader', row.status, locale),
    when: row.closed_at
      ? t(locale, 'overview.closed', { date: day(row.closed_at) })
      : t(locale, row.launched_at ? 'overview.openUntil' : 'overview.closingDate', { date: day(row.closes_at) }),
    askedOn: row.submitted_at ? day(row.submitted_at) : null,
    closedOn: row.closed_at ? day(row.closed_at) : null,
    // The leader may follow the count while open, and keeps seeing it after the close.
    participation: participation(Number(row.answered ?? 0), row.invited_count),
    hasReport: hasReport(row),
  };
}

/** Why an agree statement of the latest round has no change to show. */
export function notComparedReason(question: QuestionFigures, previous: QuestionFigures[], locale: Locale) {
  if (question.suppressed) return t(locale, 'overview.notCompared.tooFewNow');
  const before = previous.find((q) => q.kind === 'agree' && q.prompt === question.prompt);
  if (!before) return t(locale, 'overview.notCompared.notAsked');
  return t(locale, 'overview.notCompared.tooFewBefore');
}

/**
 * "1 team with fewer than 3 answers is left out, so no team can be worked out by
 * subtraction." Null when no team is left out.
 */
export function leftOutSentence(
  count: number,
  thresholds: { min: number; max: number } | null,
  locale: Locale,
): string | null {
  if (count === 0 || !thresholds) return null;
  return thresholds.min === thresholds.max
    ? t(locale, 'overview.leftOut.belowThreshold', { count, threshold: thresholds.min })
    : t(locale, 'overview.leftOut.belowTheirThresholds', { count });
}

/** For one statement's average: the counted teams whose answers to it were too few to show. */
export function statementLeftOut(count: number, locale: Locale): string | null {
  return count === 0 ? null : t(locale, 'overview.leftOut.statement', { count });
}

const MEETING = (timeZone: string, locale: Locale) =>
  new Intl.DateTimeFormat(intlLocale(locale), {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
    timeZone,
  });

export type FollowThroughView = ReturnType<typeof followThroughView>;

/** A focus point as the overview gets it: with when its open check-back closes, if one is open. */
export type OverviewFocusPoint = FocusPointWithCheckBack;

/**
 * What followed a round, in words: the one-on-one planned (its start, in the deployment's
 * TIME_ZONE) or held, the focus points still open of all agreed, and the next round's date.
 * `fromRound` names the round when it is not the manager's latest request.
 */
export function followThroughView(
  round: Pick<CollectedRequest, 'id' | 'status' | 'closed_at'>,
  after: FollowThrough,
  latestId: string,
  at: { now: Date; timeZone: string; locale?: Locale },
  /** The round's focus points, each with its latest check-back (src/check-back/page.ts). */
  points: OverviewFocusPoint[],
) {
  const locale = at.locale ?? 'en';
  const stage = oneOnOneStage(after, at.now);
  const when = after.starts_at ? MEETING(at.timeZone, locale).format(after.starts_at) : '';
  const open = points.filter((point) => !point.done).length;
  const total = points.length;
  const day = (value: Date | string) => formatDateIn(locale, value);
  return {
    fromRound:
      round.id === latestId || !round.closed_at
        ? null
        : t(locale, 'overview.afterRound', { date: day(round.closed_at) }),
    oneOnOne:
      stage === 'planned'
        ? t(locale, 'overview.oneOnOne.planned', { when })
        : stage === 'held'
          ? t(locale, 'overview.oneOnOne.held', { when })
          : t(locale, 'overview.oneOnOne.notPlanned'),
    released: isReleased(round),
    reply: after.reply_sent_at
      ? t(locale, 'overview.reply.sent', { date: day(after.reply_sent_at) })
      : t(locale, isReleased(round) ? 'overview.reply.notSent' : 'overview.reply.afterRelease'),
    focus: total === 0 ? null : t(locale, 'overview.focus', { open, done: total - open }),
    points: points.map((point) => ({
      text: point.text,
      done: point.done,
      followUpOn: day(point.followUpOn),
      checkBack: point.checkBack ? checkBackResult(point.checkBack, locale) : null,
    })),
    nextRound: after.next_round_on ? day(after.next_round_on) : null,
  };
}

/**
 * A focus point's latest check-back as the leader reads it (src/check-back/ decides what shows:
 * the count while open, as for a round; the figures once closed, only at the threshold). Its
 * date and mean come written in the reader's language and on their clock.
 */
export function checkBackResult(
  check: PointCheckBack,
  locale: Locale,
): { text: string; shown: boolean; openId?: string } {
  if (check.open) {
    const { closesOn } = check;
    const text = check.participation
      ? t(locale, 'overview.checkBack.openAnswered', { closesOn, ...check.participation })
      : t(locale, 'overview.checkBack.open', { closesOn });
    return { text, shown: false, openId: check.id };
  }
  if (check.suppressed || check.mean === null)
    return { text: t(locale, 'overview.checkBack.tooFew', { threshold: check.threshold }), shown: false };
  const text = t(locale, 'overview.checkBack.figures', {
    mean: check.mean,
    favourable: check.favourable ?? 0,
    answered: check.answered,
  });
  return { text, shown: true };
}
