// Calendar dates as people pick them (YYYY-MM-DD) and the instants the service acts on.
// A day is always a day on someone's clock: a round closes at the end of its closing day in
// its leader's time zone (endOfDayIn), and each person reads instants in their own zone.
// All of it with Intl and the IANA database Node ships: no offsets are written down here.

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** True for a real calendar date written YYYY-MM-DD (so 2026-02-30 is refused). */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * The last millisecond of `day` on the clock of `zone`: when a round with that closing date
 * closes. It is the millisecond before the next day starts there, so a day the clocks change
 * on (23 or 25 hours long) and a zone whose midnight is skipped come out right.
 */
export function endOfDayIn(day: string, zone: string): Date {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  return new Date(instantOf(next, '00:00', zone).getTime() - 1);
}

/** The last millisecond of `day` in UTC (the tests' rounds, and a deployment in UTC). */
export function endOfDay(day: string): Date {
  return endOfDayIn(day, 'UTC');
}

/** The calendar day of an instant on the clock of `zone` (UTC unless given), as YYYY-MM-DD. */
export function dayOf(instant: Date, zone = 'UTC'): string {
  return zone === 'UTC' ? instant.toISOString().slice(0, 10) : wallTimeOf(instant, zone).day;
}

export function addDays(instant: Date, days: number): Date {
  return new Date(instant.getTime() + days * DAY_MS);
}

/** Whole days from `now`'s day in `zone` to `day` (0 = today, 1 = tomorrow). */
export function daysUntil(day: string, now: Date, zone = 'UTC'): number {
  return Math.round(
    (new Date(`${day}T00:00:00Z`).getTime() - new Date(`${dayOf(now, zone)}T00:00:00Z`).getTime()) / DAY_MS,
  );
}

/** One formatter per zone and style: building an Intl.DateTimeFormat is far slower than using one. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${zone}|${JSON.stringify(options)}`;
  let made = formatters.get(key);
  if (!made) formatters.set(key, (made = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone })));
  return made;
}

const LONG: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long', year: 'numeric' };

/**
 * "21 November 2026" ("21. November 2026" in `de`: `locale` is an Intl tag), for pages and
 * emails: an instant's day on the clock of `zone`; a calendar day (YYYY-MM-DD) is the same day
 * everywhere.
 */
export function formatDate(value: Date | string, zone = 'UTC', locale = 'en-GB'): string {
  if (typeof value === 'string')
    return formatter(locale, 'UTC', LONG).format(new Date(`${value.slice(0, 10)}T12:00:00Z`));
  return formatter(locale, zone, LONG).format(value);
}

const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** "Nov 2026", where a full date does not fit (a chart's column). */
export function formatMonth(value: Date): string {
  return MONTH.format(value);
}

const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };

/**
 * "20 December 2026, 18:00 CET": an instant where the hour matters, on the clock of `zone`,
 * with the zone named so that no one has to guess whose clock it is. In every language the
 * date as formatDate writes it, the 24-hour time, and the zone's short name.
 */
export function formatDateTime(value: Date, zone = 'UTC', locale = 'en-GB'): string {
  return `${formatDate(value, zone, locale)}, ${formatter(locale, zone, TIME).format(value)} ${zoneAbbreviation(value, zone)}`;
}

/**
 * The zone's short name at an instant: "CET", "CEST", "PST", "UTC". British English names
 * Europe's zones, American English America's; where neither has a name, the offset ("GMT+9").
 */
export function zoneAbbreviation(instant: Date, zone: string): string {
  const named = (locale: string) =>
    formatter(locale, zone, { timeZoneName: 'short' })
      .formatToParts(instant)
      .find((part) => part.type === 'timeZoneName')?.value ?? 'UTC';
  const british = named('en-GB');
  return /^GMT[+-]/.test(british) ? named('en-US') : british;
}

/**
 * The same day `months` calendar months after `day` (YYYY-MM-DD), or the month's last day when
 * it has no such day: 31 August + 6 months is 28 (or 29) February, not 3 March.
 */
export function addMonths(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date, lastDay));
  return dayOf(target);
}

/** Whether Intl knows the zone (the IANA database's names and UTC): dates can be written in it. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Every zone a person can pick: UTC first, then the IANA names Intl knows, A to Z. */
export const TIME_ZONE_NAMES: readonly string[] = [
  'UTC',
  ...Intl.supportedValuesOf('timeZone')
    .filter((zone) => zone !== 'UTC')
    .sort(),
];

/** The wall-clock fields of an instant in a zone: "2027-01-12", "09:00". */
export function wallTimeOf(instant: Date, zone: string): { day: string; time: string } {
  const parts = Object.fromEntries(
    formatter('en-CA', zone, {
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return { day: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** How far the zone's clock is ahead of UTC at an instant, in milliseconds. */
export function offsetAt(instant: Date, zone: string): number {
  const { day, time } = wallTimeOf(instant, zone);
  const asUtc = Date.parse(`${day}T${time}:00Z`);
  return asUtc - Math.floor(instant.getTime() / 60_000) * 60_000;
}

/**
 * The instant a day and time on the clock of `zone` stand for. A time the clocks skip (the
 * spring change) comes out an hour later, as calendars read it; a time that happens twice
 * (the autumn change) is the first of the two.
 */
export function instantOf(day: string, time: string, zone: string): Date {
  const asUtc = Date.parse(`${day}T${time}:00Z`);
  // The zone's offsets a day either side cover both sides of any clock change that day.
  const offsets = [-DAY_MS, 0, DAY_MS].map((shift) => offsetAt(new Date(asUtc + shift), zone));
  const candidates = [...new Set(offsets.map((offset) => asUtc - offset))].sort((a, b) => a - b);
  const shows = (candidate: number) => {
    const wall = wallTimeOf(new Date(candidate), zone);
    return wall.day === day && wall.time === time;
  };
  // Skipped by the clocks: read with the offset before the change, which lands after it.
  return new Date(candidates.find(shows) ?? asUtc - offsets[0]!);
}
