// What the leader's pages show: states in words, questions described, messages after an
// action. Pure functions; the routes load the rows. Every sentence is in the reader's language.
import type { QuestionKind } from '../db/schema.ts';
import { formatDateTimeIn } from '../i18n/format.ts';
import { t, type Locale } from '../i18n/translate.ts';
import { nextReminderFrom } from '../domain/request-life.ts';

/** Shown once after a redirect (`?done=…`), so a reload never repeats the action (`collect.done.*`). */
const DONE_NOTICES: Record<string, string> = {
  saved: 'saved',
  removed: 'removed',
  launched: 'launched',
  declined: 'declined',
  closed: 'closed',
  extended: 'extended',
  reminded: 'reminded',
  'all-answered': 'allAnswered',
};

export function doneNotice(query: unknown, locale: Locale): string | undefined {
  const done = (query as Record<string, unknown> | undefined)?.done;
  const key = typeof done === 'string' && Object.hasOwn(DONE_NOTICES, done) ? DONE_NOTICES[done] : undefined;
  return key ? t(locale, `collect.done.${key}`) : undefined;
}

export function describeQuestion(question: { kind: QuestionKind; choices: string[] }, locale: Locale): string {
  if (question.kind === 'agree') return t(locale, 'collect.question.agree');
  if (question.kind === 'choice') return t(locale, 'collect.question.choice', { choices: question.choices.join(', ') });
  return t(locale, 'collect.question.text');
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
  locale: Locale,
) {
  const sent = points.filter((point) => point.sent_at !== null);
  // The points come in time order (listReminders), so the last sent is the latest.
  const nextFrom = nextReminderFrom(sent.at(-1)?.sent_at ?? null, now);
  return {
    points: points.map((point) =>
      point.sent_at
        ? { sent: true, when: formatDateTimeIn(locale, point.sent_at, zone) }
        : { sent: false, when: formatDateTimeIn(locale, point.due_at, zone) },
    ),
    sentCount: sent.length,
    canSendNow: nextFrom <= now,
    nextFrom: formatDateTimeIn(locale, nextFrom, zone),
  };
}
