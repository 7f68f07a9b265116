// Calendar dates as people pick them (YYYY-MM-DD) and the instants the service acts on.
// A round closes at the end of its closing day, in UTC.

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** True for a real calendar date written YYYY-MM-DD (so 2026-02-30 is refused). */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** The last millisecond of `day` in UTC: when a round with that closing date closes. */
export function endOfDay(day: string): Date {
  return new Date(`${day}T23:59:59.999Z`);
}

/** The calendar day (UTC) of an instant, as YYYY-MM-DD. */
export function dayOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

export function addDays(instant: Date, days: number): Date {
  return new Date(instant.getTime() + days * DAY_MS);
}

/** Whole days from `now`'s day to `day` (0 = today, 1 = tomorrow). */
export function daysUntil(day: string, now: Date): number {
  return Math.round((new Date(`${day}T00:00:00Z`).getTime() - new Date(`${dayOf(now)}T00:00:00Z`).getTime()) / DAY_MS);
}

const LONG = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "21 November 2026", for pages and emails. */
export function formatDate(value: Date | string): string {
  return LONG.format(typeof value === 'string' ? new Date(`${value.slice(0, 10)}T12:00:00Z`) : value);
}

const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** "Nov 2026", where a full date does not fit (a chart's column). */
export function formatMonth(value: Date): string {
  return MONTH.format(value);
}

const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
});

/** "5 December 2026, 09:00 UTC": an instant where the hour matters (a reminder sent). */
export function formatDateTime(value: Date): string {
  return `${DATE_TIME.format(value).replace(' at ', ', ')} UTC`;
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
