// The one-on-one page's forms, one zod schema each: the agenda, and the meeting (day, time,
// length, time zone, place). The meeting's start must lie ahead of the injected clock.
import { z } from 'zod';
import { isIsoDate } from '../lib/dates.ts';
import { instantOf, TIME_ZONES } from './calendar.ts';
import { t, type Locale } from '../i18n/translate.ts';
import { formatNumberIn } from '../i18n/format.ts';

export const AGENDA_MAX = 5_000;
export const PLACE_MAX = 500;
export const MINUTES = { min: 15, max: 240, default: 30 } as const;

export const agendaForm = (locale: Locale) =>
  z.object({
    agenda: z
      .string({ error: t(locale, 'oneOnOne.agenda.missing') })
      .max(AGENDA_MAX, t(locale, 'oneOnOne.agenda.tooLong', { limit: formatNumberIn(locale, AGENDA_MAX) })),
    /** Which button: save the agenda, or save it and add it to the report's notes. */
    action: z.enum(['save', 'copy']).default('save'),
  });

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The fields the start is made of: the start is checked once they are valid. */
const WHEN_FIELDS = ['day', 'time', 'time_zone'];

/** The meeting as the leader picks it; `starts_at` is the instant it stands for in its zone. */
export function meetingForm(now: Date, locale: Locale) {
  const say = (key: string, values = {}) => t(locale, `oneOnOne.error.${key}`, values);
  const range = { min: MINUTES.min, max: MINUTES.max };
  return (
    z
      .object({
        day: z.string({ error: say('pickDay') }).refine(isIsoDate, say('pickDayExample')),
        time: z
          .string({ error: say('pickTime') })
          .trim()
          .regex(TIME, say('pickTimeExample')),
        minutes: z.coerce
          .number({ error: say('minutes', range) })
          .int(say('wholeMinutes', range))
          .min(MINUTES.min, say('atLeast', range))
          .max(MINUTES.max, say('atMost', range)),
        time_zone: z
          .string({ error: say('pickZone') })
          .refine((zone) => TIME_ZONES.includes(zone), say('zoneFromList')),
        place: z
          .string({ error: say('place') })
          .trim()
          .min(1, say('place'))
          .max(PLACE_MAX, say('placeTooLong', { limit: PLACE_MAX })),
      })
      // Checked even when the length or the place is wrong too, so every mistake shows at once.
      .refine((meeting) => instantOf(meeting.day, meeting.time, meeting.time_zone).getTime() > now.getTime(), {
        path: ['day'],
        message: say('ahead'),
        when: (payload) => payload.issues.every((issue) => !WHEN_FIELDS.includes(String(issue.path?.[0]))),
      })
      .transform((meeting) => ({ ...meeting, startsAt: instantOf(meeting.day, meeting.time, meeting.time_zone) }))
  );
}
