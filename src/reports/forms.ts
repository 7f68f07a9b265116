// The report's route parameters and forms, one zod schema each.
import { z } from 'zod';
import { addDays, addMonths, dayOf, isIsoDate } from '../lib/dates.ts';
import { NEXT_ROUND_MAX_MONTHS } from '../domain/request-life.ts';

export const NOTES_MAX = 5_000;
export const FOCUS_POINT_MAX = 500;

/**
 * How many focus points one report holds: a few to work on at a time (PRODUCT.md, "a few
 * specific things"), and a bound on the page, which shows every one of them.
 */
export const FOCUS_POINTS_LIMITS = { open: 10, all: 40 };

/** Why a focus point that passed its form was refused, said beside its text. */
export const FOCUS_POINTS_FULL = {
  open: `This report has ${FOCUS_POINTS_LIMITS.open} open focus points, as many as it holds at once. Mark one done before adding another.`,
  all: `This report holds ${FOCUS_POINTS_LIMITS.all} focus points, as many as it can. Start a follow-up round to go on.`,
};

export const notesForm = z.object({
  notes: z
    .string({ error: 'Write your notes here.' })
    .max(NOTES_MAX, `Keep the notes under ${NOTES_MAX.toLocaleString('en-GB')} characters.`),
});

/** The same calendar day a year later: follow-ups stay within one review cycle. */
function aYearAfter(today: Date): string {
  const next = new Date(today);
  next.setUTCFullYear(next.getUTCFullYear() + 1);
  return dayOf(next);
}

/** A focus point's follow-up date must lie after `today` and at most a year ahead (UTC days). */
export function focusPointForm(today: Date) {
  const first = dayOf(addDays(today, 1));
  const last = aYearAfter(today);
  return z.object({
    text: z
      .string({ error: 'Describe the focus point.' })
      .trim()
      .min(1, 'Describe the focus point.')
      .max(FOCUS_POINT_MAX, `Keep the focus point under ${FOCUS_POINT_MAX} characters.`),
    follow_up_on: z
      .string({ error: 'Pick a follow-up date.' })
      .refine(isIsoDate, 'Pick a follow-up date, for example 2027-03-01.')
      .refine((day) => day >= first, 'Pick a date after today.')
      .refine((day) => day <= last, 'Pick a date within a year from today.'),
  });
}

/**
 * The next round's date: after `today`, at most NEXT_ROUND_MAX_MONTHS ahead (UTC days). Empty
 * means no next round is planned (null).
 */
export function nextRoundForm(today: Date) {
  const first = dayOf(addDays(today, 1));
  const last = addMonths(dayOf(today), NEXT_ROUND_MAX_MONTHS);
  return z.object({
    next_round_on: z
      .string()
      .optional()
      .transform((day) => day?.trim() || null)
      .refine((day) => day === null || isIsoDate(day), 'Pick a date, for example 2027-06-01.')
      .refine((day) => day === null || day >= first, 'Pick a date after today.')
      .refine(
        (day) => day === null || day <= last,
        `Pick a date within ${NEXT_ROUND_MAX_MONTHS / 12} years from today.`,
      ),
  });
}

/** The first and last day a next round may be set for, and an example, for the date field. */
export function nextRoundRange(now: Date) {
  const today = dayOf(now);
  return { min: dayOf(addDays(now, 1)), max: addMonths(today, NEXT_ROUND_MAX_MONTHS), example: addMonths(today, 6) };
}
