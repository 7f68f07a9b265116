// What the leader's pages show: states in words, questions described, messages after an
// action. Pure functions; the routes load the rows.
import type { QuestionKind } from '../db/schema.ts';
import { formatDateTime } from '../lib/dates.ts';
import { nextReminderFrom } from '../domain/request-life.ts';

/** Shown once after a redirect (`?done=…`), so a reload never repeats the action. */
export const DONE_NOTICES: Record<string, string> = {
  saved: 'The closing date and the note to the team are saved.',
  removed: 'The invitee is removed. They will not be invited.',
  launched: 'The round is open. The invitations are on their way, and the manager has been told.',
  declined: 'You declined the request. The manager has been emailed your reason.',
  closed: 'The round is closed. Unused links no longer work.',
  extended: 'The closing date is extended. Reminders still due move with it.',
  reminded: 'A reminder is on its way to everyone who has not answered yet.',
  'all-answered': 'Everyone invited has answered: there is nobody to remind.',
};

export function doneNotice(query: unknown): string | undefined {
  const done = (query as Record<string, unknown> | undefined)?.done;
  return typeof done === 'string' ? DONE_NOTICES[done] : undefined;
}

export function describeQuestion(question: { kind: QuestionKind; choices: string[] }): string {
  if (question.kind === 'agree') return 'Agree or disagree, on a five-point scale';
  if (question.kind === 'choice') return `One of: ${question.choices.join(', ')}`;
  return 'Written answer';
}

/** "2 of 5 answered", with the share for a bar; null before launch. */
export function participation(answered: number, invited: number | null) {
  if (invited === null) return null;
  return { answered, invited, percent: invited ? Math.round((answered / invited) * 100) : 0 };
}

/**
 * The open round's reminders for its leader: each point sent or due (when, never to whom),
 * how many went out, and whether one can be sent by hand now or from when.
 */
export function reminderSummary(
  points: ReadonlyArray<{ due_at: Date; sent_at: Date | null }>,
  now: Date,
  zone: string,
) {
  const sent = points.filter((point) => point.sent_at !== null);
  // The points come in time order (listReminders), so the last sent is the latest.
  const nextFrom = nextReminderFrom(sent.at(-1)?.sent_at ?? null, now);
  return {
    points: points.map((point) =>
      point.sent_at
        ? { sent: true, when: formatDateTime(point.sent_at, zone) }
        : { sent: false, when: formatDateTime(point.due_at, zone) },
    ),
    sentCount: sent.length,
    canSendNow: nextFrom <= now,
    nextFrom: formatDateTime(nextFrom, zone),
  };
}
