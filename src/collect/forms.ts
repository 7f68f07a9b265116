// The leader's forms and route parameters, one zod schema each. Dates are calendar days
// (YYYY-MM-DD) checked against the injected clock, so the schemas are built per request.
import { LOCALES } from '../i18n/translate.ts';
import { z } from 'zod';
import { dayOf, daysUntil, endOfDayIn, formatDate, instantOf, isIsoDate, wallTimeOf } from '../lib/dates.ts';
import { hasControlCharacters } from '../lib/text.ts';

/** How far ahead a closing date may be set, at review and when extending. */
export const MAX_DAYS_AHEAD = 60;
export const MAX_NOTE_LENGTH = 2_000;

// Line breaks and tabs are welcome in a note; other control characters are not text.
const hasStrayControl = (text: string) => hasControlCharacters(text.replace(/[\n\r\t]/g, ''));

const longText = (what: string, required: boolean) =>
  z
    .string({ error: required ? `Write ${what}.` : `Write ${what}, or leave it empty.` })
    .trim()
    .min(required ? 1 : 0, `Write ${what}.`)
    .max(MAX_NOTE_LENGTH, `Keep ${what} under 2,000 characters.`)
    .refine((text) => !hasStrayControl(text), 'Use ordinary text only.');

/** A closing day on the leader's clock (`zone`): after today there, and after `laterThan`. */
function closingDay(now: Date, zone: string, laterThan?: Date) {
  return z
    .string({ error: 'Enter a closing date.' })
    .trim()
    .min(1, 'Enter a closing date.')
    .refine(isIsoDate, { error: 'Enter a real date in the form YYYY-MM-DD, for example 2026-12-01.', abort: true })
    .refine((day) => daysUntil(day, now, zone) >= 1, { error: 'Pick a date after today.', abort: true })
    .refine((day) => !laterThan || endOfDayIn(day, zone) > laterThan, {
      error: `Pick a date after the current closing date, ${laterThan ? formatDate(laterThan, zone) : ''}.`,
      abort: true,
    })
    .refine(
      (day) => daysUntil(day, now, zone) <= MAX_DAYS_AHEAD,
      `Pick a date no more than ${MAX_DAYS_AHEAD} days from today.`,
    );
}

export const detailsForm = (now: Date, zone: string) =>
  z.object({
    closes_on: closingDay(now, zone),
    /** HH:MM on the leader's clock; empty: the end of the day. */
    closes_at_time: z
      .string()
      .trim()
      .regex(
        /^(([01]\d|2[0-3]):[0-5]\d)?$/,
        'Enter a time such as 17:00, or leave it empty to close at the end of the day.',
      )
      .default(''),
    team_note: longText('the note to the team', false).default(''),
    // Absent from a form without the field: the request keeps its language.
    survey_language: z
      .enum(LOCALES as [string, ...string[]], { error: 'Choose one of the languages listed.' })
      .optional(),
  });

export const extendForm = (now: Date, zone: string, closesAt: Date) =>
  z.object({ closes_on: closingDay(now, zone, closesAt) });

export const declineForm = z.object({ reason: longText('a reason for the manager', true) });

/** The launch: a checkbox, ticked once the leader checked the addresses marked for checking. */
export const launchForm = z.object({ addresses_checked: z.literal('yes').optional() });

export const LAUNCH_MESSAGES = {
  addressesUnchecked:
    'Tick the box once you have checked the marked addresses, or go back to the request and remove those that are not right.',
};

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
