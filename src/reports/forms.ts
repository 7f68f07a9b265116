// The report's route parameters and forms, one zod schema each.
import { z } from 'zod';
import { addDays, addMonths, dayOf, isIsoDate } from '../lib/dates.ts';
import { NEXT_ROUND_MAX_MONTHS } from '../domain/request-life.ts';
import { t, type Locale } from '../i18n/translate.ts';
import { formatNumberIn } from '../i18n/format.ts';

export const NOTES_MAX = 5_000;
export const FOCUS_POINT_MAX = 500;

/**
 * How many focus points one report holds: a few to work on at a time (PRODUCT.md, "a few
 * specific things"), and a bound on the page, which shows every one of them.
 */
export const FOCUS_POINTS_LIMITS = { open: 10, all: 40 };

/** Why a focus point that passed its form was refused, said beside its text. */
export const focusPointsFull = (locale: Locale, limit: keyof typeof FOCUS_POINTS_LIMITS) =>
  t(locale, limit === 'open' ? 'report.focus.fullOpen' : 'report.focus.fullAll', { count: FOCUS_POINTS_LIMITS[limit] });

export const notesForm = (locale: Locale) =>
  z.object({
    notes: z
      .string({ error: t(locale, 'report.notes.missing') })
      .max(NOTES_MAX, t(locale, 'report.notes.tooLong', { limit: formatNumberIn(locale, NOTES_MAX) })),
  });

/** The same calendar day a year later: follow-ups stay within one review cycle. */
function aYearAfter(today: Date): string {
  const next = new Date(today);
  next.setUTCFullYear(next.getUTCFullYear() + 1);
  return dayOf(next);
}

/** A focus point's follow-up date must lie after `today` and at most a year ahead (UTC days). */
export function focusPointForm(today: Date, locale: Locale) {
  const first = dayOf(addDays(today, 1));
  const last = aYearAfter(today);
  return z.object({
    text: z
      .string({ error: t(locale, 'report.focus.describe') })
      .trim()
      .min(1, t(locale, 'report.focus.describe'))
      .max(FOCUS_POINT_MAX, t(locale, 'report.focus.tooLong', { limit: FOCUS_POINT_MAX })),
    follow_up_on: z
      .string({ error: t(locale, 'report.focus.pickDate') })
      .refine(isIsoDate, t(locale, 'report.focus.pickDateExample'))
      .refine((day) => day >= first, t(locale, 'report.pickAfterToday'))
      .refine((day) => day <= last, t(locale, 'report.focus.withinYear')),
  });
}

/**
 * The next round's date: after `today`, at most NEXT_ROUND_MAX_MONTHS ahead (UTC days). Empty
 * means no next round is planned (null).
 */
export function nextRoundForm(today: Date, locale: Locale) {
  const first = dayOf(addDays(today, 1));
  const last = addMonths(dayOf(today), NEXT_ROUND_MAX_MONTHS);
  return z.object({
    next_round_on: z
      .string()
      .optional()
      .transform((day) => day?.trim() || null)
      .refine((day) => day === null || isIsoDate(day), t(locale, 'report.nextRound.pickDate'))
      .refine((day) => day === null || day >= first, t(locale, 'report.pickAfterToday'))
      .refine(
        (day) => day === null || day <= last,
        t(locale, 'report.nextRound.withinYears', { years: NEXT_ROUND_MAX_MONTHS / 12 }),
      ),
  });
}

/** The first and last day a next round may be set for, and an example, for the date field. */
export function nextRoundRange(now: Date) {
  const today = dayOf(now);
  return { min: dayOf(addDays(now, 1)), max: addMonths(today, NEXT_ROUND_MAX_MONTHS), example: addMonths(today, 6) };
}
