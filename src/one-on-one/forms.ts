// The one-on-one page's forms, one zod schema each: the agenda, and the meeting (day, time,
// length, time zone, place). The meeting's start must lie ahead of the injected clock.
import { z } from 'zod';
import { isIsoDate } from '../lib/dates.ts';
import { instantOf, TIME_ZONES } from './calendar.ts';

export const AGENDA_MAX = 5_000;
export const PLACE_MAX = 500;
export const MINUTES = { min: 15, max: 240, default: 30 } as const;

export const agendaForm = z.object({
  agenda: z
    .string({ error: 'Write the agenda here.' })
    .max(AGENDA_MAX, `Keep the agenda under ${AGENDA_MAX.toLocaleString('en-GB')} characters.`),
  /** Which button: save the agenda, or save it and add it to the report's notes. */
  action: z.enum(['save', 'copy']).default('save'),
});

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The fields the start is made of: the start is checked once they are valid. */
const WHEN_FIELDS = ['day', 'time', 'time_zone'];

/** The meeting as the leader picks it; `starts_at` is the instant it stands for in its zone. */
export function meetingForm(now: Date) {
  return (
    z
      .object({
        day: z.string({ error: 'Pick the day.' }).refine(isIsoDate, 'Pick the day, for example 2027-01-12.'),
        time: z
          .string({ error: 'Pick the time.' })
          .trim()
          .regex(TIME, 'Pick the time on a 24-hour clock, for example 09:30.'),
        minutes: z.coerce
          .number({ error: `Give the length in minutes, from ${MINUTES.min} to ${MINUTES.max}.` })
          .int(`Give the length in whole minutes, from ${MINUTES.min} to ${MINUTES.max}.`)
          .min(MINUTES.min, `Give it at least ${MINUTES.min} minutes.`)
          .max(MINUTES.max, `Keep it to ${MINUTES.max} minutes at most.`),
        time_zone: z
          .string({ error: 'Pick a time zone.' })
          .refine((zone) => TIME_ZONES.includes(zone), 'Pick a time zone from the list.'),
        place: z
          .string({ error: 'Say where you meet, or paste the call link.' })
          .trim()
          .min(1, 'Say where you meet, or paste the call link.')
          .max(PLACE_MAX, `Keep the place under ${PLACE_MAX} characters.`),
      })
      // Checked even when the length or the place is wrong too, so every mistake shows at once.
      .refine((meeting) => instantOf(meeting.day, meeting.time, meeting.time_zone).getTime() > now.getTime(), {
        path: ['day'],
        message: 'Pick a day and time that are still ahead.',
        when: (payload) => payload.issues.every((issue) => !WHEN_FIELDS.includes(String(issue.path?.[0]))),
      })
      .transform((meeting) => ({ ...meeting, startsAt: instantOf(meeting.day, meeting.time, meeting.time_zone) }))
  );
}
