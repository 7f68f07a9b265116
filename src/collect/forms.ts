// The leader's forms and route parameters, one zod schema each. Dates are calendar days
// (YYYY-MM-DD) checked against the injected clock, so the schemas are built per request.
import { z } from 'zod';
import { daysUntil, endOfDayIn, formatDate, isIsoDate } from '../lib/dates.ts';
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
    team_note: longText('the note to the team', false).default(''),
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
