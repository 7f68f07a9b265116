// The one-on-one page's content: the agenda built from the report's figures (PRODUCT.md, "From
// feedback to a better working relationship": the person first, then thanks, strengths, a few
// focus areas as open questions about the months ahead, blind spots, focus points with dates,
// what to tell the team), and the meeting's state in words. Pure functions.
import type { QuestionFigures } from '../reports/aggregate.ts';
import { strengthsAndFocus } from '../reports/view.ts';
import type { OneOnOne } from './queries.ts';
import { compareWithTeam } from '../self-assessment/comparison.ts';
import type { SelfAnswer } from '../self-assessment/queries.ts';
import { describeMeeting } from './calendar.ts';
import { t, type Locale } from '../i18n/translate.ts';

/**
 * Statements the manager rated themself clearly higher than the team did, by the
 * self-assessment's rule (selfGap in request-life.ts, applied by compareWithTeam).
 */
export function blindSpots(
  figures: QuestionFigures[],
  selfAnswers: SelfAnswer[],
  locale: Locale,
): Array<{ prompt: string; self: number; team: string }> {
  return (compareWithTeam(figures, selfAnswers, locale)?.blindSpots ?? []).map(({ prompt, self, team }) => ({
    prompt,
    self,
    team,
  }));
}

export interface AgendaInput {
  managerName: string;
  figures: QuestionFigures[];
  selfAnswers: SelfAnswer[];
  participation: { answered: number; invited: number };
  /** The leader's language: the agenda is theirs to edit. */
  locale?: Locale;
}

/** The agenda as plain text, for the leader to edit, print and copy into their notes. */
export function buildAgenda(input: AgendaInput): string {
  const locale = input.locale ?? 'en';
  const say = (key: string, values = {}) => t(locale, `oneOnOne.agendaText.${key}`, values);
  const name = input.managerName;
  const { strengths, focus } = strengthsAndFocus(input.figures, locale);
  const spots = blindSpots(input.figures, input.selfAnswers, locale);
  const item = (h: { prompt: string; mean: string }) => say('item', { prompt: h.prompt, mean: h.mean });
  const sections: string[][] = [];
  sections.push([say('howAreYou'), say('beginWith', { name })]);
  const { answered, invited } = input.participation;
  sections.push([say('thanks'), say('thank', { name, answered, invited })]);
  if (strengths.length) sections.push([say('strengths'), ...strengths.map(item), say('whatWorks')]);
  if (focus.length) sections.push([say('monthsAhead'), ...focus.map((f) => `${item(f)}\n  ${say('becomeStrength')}`)]);
  if (spots.length)
    sections.push([
      say('blindSpots'),
      say('ratedHigher', { name }),
      ...spots.map((s) => say('spot', { prompt: s.prompt, name, self: s.self, team: s.team })),
      say('seeHere'),
    ]);
  sections.push([say('focusPoints'), say('agreeOn')]);
  sections.push([say('tellTeam'), say('decide')]);
  const title = say('title', { name });
  return [title, ...sections.map((lines, index) => `${index + 1}. ${lines.join('\n')}`)].join('\n\n');
}

export type MeetingState = 'none' | 'planned' | 'moved' | 'cancelled' | 'held';

/** Where the meeting stands: not planned, planned, moved, called off, or (its start passed) held. */
export function meetingState(meeting: OneOnOne | undefined, now: Date): MeetingState {
  if (!meeting?.starts_at) return 'none';
  if (meeting.cancelled_at) return 'cancelled';
  if (meeting.starts_at.getTime() <= now.getTime()) return 'held';
  return meeting.sequence > 0 ? 'moved' : 'planned';
}

/** The meeting as the page and the emails say it. */
export function meetingSummary(meeting: OneOnOne | undefined, locale: Locale) {
  if (!meeting?.starts_at || !meeting.time_zone || !meeting.minutes) return null;
  return {
    when: describeMeeting(meeting.starts_at, meeting.minutes, meeting.time_zone, locale),
    minutes: meeting.minutes,
    place: meeting.place,
    placeIsLink: /^https?:\/\/\S+$/i.test(meeting.place),
  };
}
