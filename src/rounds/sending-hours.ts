// When the service writes to people by itself (reminders, nudges, check-back reminders): at a
// sensible hour on the recipient's clock, never at night. A point that would fall between
// 21:00 and 08:00 there waits for the next 09:00: late enough to find people at work, early
// enough that a reminder is read on the day it is meant for. Team members have no zone of
// their own: theirs is the round's, its leader's.
import { dayOf, instantOf, wallTimeOf } from '../lib/dates.ts';
import { zoneOf } from '../auth/users.ts';

export const SENDING_HOURS = { quietFrom: '21:00', quietUntil: '08:00', sendAt: '09:00' };

/** `instant` itself in waking hours on the clock of `zone`; else the next 09:00 there. */
export function atSensibleHour(instant: Date, zone: string): Date {
  const { day, time } = wallTimeOf(instant, zone);
  if (time >= SENDING_HOURS.quietUntil && time < SENDING_HOURS.quietFrom) return instant;
  // After the evening's start, the morning is tomorrow's; after midnight, it is today's.
  const morning = time >= SENDING_HOURS.quietFrom ? nextDay(day) : day;
  return instantOf(morning, SENDING_HOURS.sendAt, zone);
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * Of the emails due on a calendar day (a focus point's follow-up date, the next round's date),
 * those whose day has reached 09:00 on the clock of their zone (null: `fallback`, TIME_ZONE).
 */
export function dueThisMorning<T extends { day: string; zone: string | null }>(
  rows: readonly T[],
  now: Date,
  fallback: string,
): T[] {
  return rows.filter(
    (row) => instantOf(row.day, SENDING_HOURS.sendAt, zoneOf({ timeZone: row.zone }, fallback)) <= now,
  );
}

/** The latest calendar day anywhere at `now` (the clocks run up to 14 hours ahead of UTC). */
export const latestDayAnywhere = (now: Date) => dayOf(new Date(now.getTime() + 14 * 3_600_000));
