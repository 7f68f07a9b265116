// The leader's forms and route parameters, one zod schema each. Dates are calendar days
// (YYYY-MM-DD) checked against the injected clock, so the schemas are built per request.
import { LOCALES, t, type Locale } from '../i18n/translate.ts';
import { formatDateIn } from '../i18n/format.ts';
import { z } from 'zod';
import { dayOf, daysUntil, endOfDayIn, instantOf, isIsoDate, wallTimeOf } from '../lib/dates.ts';
import { hasControlCharacters } from '../lib/text.ts';

/** How far ahead a closing date may be set, at review and when extending. */
export const MAX_DAYS_AHEAD = 60;
export const MAX_NOTE_LENGTH = 2_000;

// Line breaks and tabs are welcome in a note; other control characters are not text.
const hasStrayControl = (text: string) => hasControlCharacters(text.replace(/[\n\r\t]/g, ''));

/** A note's errors in the reader's language; `what` names the note (`collect.form.<what>.*`). */
const longText = (what: 'teamNote' | 'reason', required: boolean, locale: Locale) =>
  z
    .string({ error: t(locale, `collect.form.${what}.${required ? 'write' : 'writeOrEmpty'}`) })
    .trim()
    .min(required ? 1 : 0, t(locale, `collect.form.${what}.write`))
    .max(MAX_NOTE_LENGTH, t(locale, `collect.form.${what}.tooLong`))
    .refine((text) => !hasStrayControl(text), t(locale, 'collect.form.ordinaryText'));

/** A closing day on the leader's clock (`zone`): after today there, and after `laterThan`. */
function closingDay(now: Date, zone: string, locale: Locale, laterThan?: Date) {
  const error = (key: string, values = {}) => t(locale, `collect.form.${key}`, values);
  return z
    .string({ error: error('enterDate') })
    .trim()
    .min(1, error('enterDate'))
    .refine(isIsoDate, { error: error('realDate'), abort: true })
    .refine((day) => daysUntil(day, now, zone) >= 1, { error: error('afterToday'), abort: true })
    .refine((day) => !laterThan || endOfDayIn(day, zone) > laterThan, {
      error: error('afterCurrent', { date: laterThan ? formatDateIn(locale, laterThan, zone) : '' }),
      abort: true,
    })
    .refine((day) => daysUntil(day, now, zone) <= MAX_DAYS_AHEAD, error('tooFar', { days: MAX_DAYS_AHEAD }));
}

export const detailsForm = (now: Date, zone: string, locale: Locale) =>
  z.object({
    closes_on: closingDay(now, zone, locale),
    /** HH:MM on the leader's clock; empty: the end of the day. */
    closes_at_time: z
      .string()
      .trim()
      .regex(/^(([01]\d|2[0-3]):[0-5]\d)?$/, t(locale, 'collect.form.time'))
      .default(''),
    team_note: longText('teamNote', false, locale).default(''),
    // Absent from a form without the field: the request keeps its language.
    survey_language: z.enum(LOCALES as [string, ...string[]], { error: t(locale, 'collect.form.language') }).optional(),
  });

export const extendForm = (now: Date, zone: string, closesAt: Date, locale: Locale) =>
  z.object({ closes_on: closingDay(now, zone, locale, closesAt) });

export const declineForm = (locale: Locale) => z.object({ reason: longText('reason', true, locale) });

/** The launch: a checkbox, ticked once the leader checked the addresses marked for checking. */
export const launchForm = z.object({ addresses_checked: z.literal('yes').optional() });

export const addressesUncheckedError = (locale: Locale) => t(locale, 'collect.form.addressesUnchecked');

/**
 * When a round closes: at the time the leader gave on their closing day, or at the end of that
 * day, on their clock (`zone`).
 */
export function closingMoment(day: string, time: string, zone: string): Date {
  return time ? instantOf(day, time, zone) : endOfDayIn(day, zone);
}

/** The review form's closing day and time for a stored moment (no time: the end of the day). */
export function closingFields(closesAt: Date, zone: string): { closes_on: string; closes_at_time: string } {
  const day = dayOf(closesAt, zone);
  const endOfDay = closesAt.getTime() === endOfDayIn(day, zone).getTime();
  return { closes_on: day, closes_at_time: endOfDay ? '' : wallTimeOf(closesAt, zone).time };
}
