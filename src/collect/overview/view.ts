// What the leader's overview shows in words: each request's row, which way a statement
// moved (a word beside the symbol, never colour or symbol alone), and who a total leaves out.
// Pure functions; leader-overview.ts loads the figures.
import { hasReport, isReleased, oneOnOneStage, statusWord } from '../../domain/request-life.ts';
import { formatDate } from '../../lib/dates.ts';
import type { FollowThrough } from './queries.ts';
import type { PointCheckBack } from '../../check-back/view.ts';
import type { FocusPointWithCheckBack } from '../../check-back/page.ts';
import type { QuestionFigures } from '../../reports/aggregate.ts';
import type { CollectedRequest } from '../queries.ts';
import { participation } from '../view.ts';

export type RequestRow = ReturnType<typeof requestRow>;

/** A request as the overview and the table show it: its state in words, participation once launched. */
export function requestRow(row: CollectedRequest) {
  return {
    ...row,
    state: statusWord('leader', row.status),
    // The leader may follow the count while open, and keeps seeing it after the close.
    participation: participation(Number(row.answered ?? 0), row.invited_count),
    hasReport: hasReport(row),
  };
}

/** Why an agree statement of the latest round has no change to show. */
export function notComparedReason(question: QuestionFigures, previous: QuestionFigures[]): string {
  if (question.suppressed) return 'Not compared: too few answers to it in this round.';
  const before = previous.find((q) => q.kind === 'agree' && q.prompt === question.prompt);
  if (!before) return 'Not compared: the previous round did not ask it.';
  return 'Not compared: too few answers to it in the previous round.';
}

const teams = (count: number) => (count === 1 ? '1 team' : `${count} teams`);

/**
 * "1 team with fewer than 3 answers is left out, so no team can be worked out by
 * subtraction." Null when no team is left out.
 */
export function leftOutSentence(count: number, thresholds: { min: number; max: number } | null): string | null {
  if (count === 0 || !thresholds) return null;
  const why =
    thresholds.min === thresholds.max
      ? `fewer than ${thresholds.min} answers`
      : `fewer answers than ${count === 1 ? 'its round' : 'their rounds'} needed`;
  return `${teams(count)} with ${why} ${count === 1 ? 'is' : 'are'} left out, so no team can be worked out by subtraction.`;
}

/** For one statement's average: the counted teams whose answers to it were too few to show. */
export function statementLeftOut(count: number): string | null {
  if (count === 0) return null;
  return `${teams(count)} with too few answers to this statement ${count === 1 ? 'is' : 'are'} left out.`;
}

const MEETING = (timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', {
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

/**
 * What followed a round, in words: the one-on-one planned (its start, in the deployment's
 * TIME_ZONE) or held, the focus points still open of all agreed, and the next round's date.
 * `fromRound` names the round when it is not the manager's latest request.
 */
export function followThroughView(
  round: Pick<CollectedRequest, 'id' | 'status' | 'closed_at'>,
  after: FollowThrough,
  latestId: string,
  at: { now: Date; timeZone: string },
  /** The round's focus points, each with its latest check-back (src/check-back/page.ts). */
  points: FocusPointWithCheckBack[],
) {
  const stage = oneOnOneStage(after, at.now);
  const when = after.starts_at ? MEETING(at.timeZone).format(after.starts_at) : '';
  const open = points.filter((point) => !point.done).length;
  const total = points.length;
  return {
    fromRound:
      round.id === latestId || !round.closed_at
        ? null
        : `After the round that closed on ${formatDate(round.closed_at)}`,
    oneOnOne: stage === 'planned' ? `Planned for ${when}` : stage === 'held' ? `Held on ${when}` : 'Not planned yet',
    released: isReleased(round),
    reply: after.reply_sent_at
      ? `Sent on ${formatDate(after.reply_sent_at)}`
      : isReleased(round)
        ? 'Not sent yet'
        : 'After the release',
    focus: total === 0 ? null : `${open} open, ${total - open} done`,
    points: points.map((point) => ({
      text: point.text,
      done: point.done,
      followUpOn: formatDate(point.followUpOn),
      checkBack: point.checkBack ? checkBackResult(point.checkBack) : null,
    })),
    nextRound: after.next_round_on ? formatDate(after.next_round_on) : null,
  };
}

/**
 * A focus point's latest check-back as the leader reads it (src/check-back/ decides what shows:
 * the count while open, as for a round; the figures once closed, only at the threshold).
 */
export function checkBackResult(check: PointCheckBack): { text: string; shown: boolean; openId?: string } {
  if (check.open) {
    const count = check.participation
      ? `: ${check.participation.answered} of ${check.participation.invited} answered`
      : '';
    return { text: `Check-back open until ${check.closesOn}${count}`, shown: false, openId: check.id };
  }
  if (check.suppressed || check.mean === null)
    return { text: `Check-back: not enough answers to show (fewer than ${check.threshold})`, shown: false };
  const answers = check.answered === 1 ? '1 answer' : `${check.answered} answers`;
  return { text: `Check-back: ${check.mean} out of 5, ${check.favourable}% favourable (${answers})`, shown: true };
}
