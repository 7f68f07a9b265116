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

/**
 * Statements the manager rated themself clearly higher than the team did, by the
 * self-assessment's rule (selfGap in request-life.ts, applied by compareWithTeam).
 */
export function blindSpots(
  figures: QuestionFigures[],
  selfAnswers: SelfAnswer[],
): Array<{ prompt: string; self: number; team: string }> {
  return (compareWithTeam(figures, selfAnswers)?.blindSpots ?? []).map(({ prompt, self, team }) => ({
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
}

/** The agenda as plain text, for the leader to edit, print and copy into their notes. */
export function buildAgenda(input: AgendaInput): string {
  const name = input.managerName;
  const { strengths, focus } = strengthsAndFocus(input.figures);
  const spots = blindSpots(input.figures, input.selfAnswers);
  const sections: string[][] = [];
  sections.push([
    'How are you?',
    `Begin with ${name}, not with the results. How are things going for you at the moment? What is on your mind?`,
  ]);
  sections.push([
    'Thank you for asking',
    `Thank ${name} for asking the team for feedback: ${input.participation.answered} of ${input.participation.invited} people answered.`,
  ]);
  if (strengths.length)
    sections.push([
      'Strengths to praise',
      ...strengths.map((s) => `- "${s.prompt}" (${s.mean})`),
      'What do you do there that works, and where else could it help?',
    ]);
  if (focus.length)
    sections.push([
      'The months ahead',
      ...focus.map(
        (f) => `- "${f.prompt}" (${f.mean})\n  What would it take for this to become a strength in the next months?`,
      ),
    ]);
  if (spots.length)
    sections.push([
      'Blind spots',
      `${name} rated these clearly higher than the team did:`,
      ...spots.map((s) => `- "${s.prompt}": ${name} ${s.self}, the team ${s.team}`),
      'What might the team see here that is hard to see from where you stand?',
    ]);
  sections.push([
    'Focus points',
    'Agree on two or three specific things to try, each with a date to talk about how it is going.',
  ]);
  sections.push([
    'What to tell the team',
    'Decide together what to share with the team: what you heard, and what will change.',
  ]);
  const title = `One-on-one with ${name}: the months ahead`;
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
export function meetingSummary(meeting: OneOnOne | undefined) {
  if (!meeting?.starts_at || !meeting.time_zone || !meeting.minutes) return null;
  return {
    when: describeMeeting(meeting.starts_at, meeting.minutes, meeting.time_zone),
    minutes: meeting.minutes,
    place: meeting.place,
    placeIsLink: /^https?:\/\/\S+$/i.test(meeting.place),
  };
}
