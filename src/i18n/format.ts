// Dates and numbers in a reader's language, through Intl. English keeps the service's own
// formats (src/lib/dates.ts), so English pages read exactly as before.
import { formatDate, formatDateTime, zoneAbbreviation } from '../lib/dates.ts';
import { SOURCE_LOCALE } from './catalogues.ts';
import { intlLocale, type Locale } from './translate.ts';

const LONG_DATES = new Map<string, Intl.DateTimeFormat>();

/** "21 November 2026", "21. November 2026", "21 novembre 2026", "21 de noviembre de 2026". */
export function formatDateIn(locale: Locale, value: Date | string, zone = 'UTC'): string {
  if (locale === SOURCE_LOCALE) return formatDate(value, zone);
  // A day (YYYY-MM-DD) is the same day everywhere: it is read at noon UTC.
  const key = typeof value === 'string' ? `${locale} UTC` : `${locale} ${zone}`;
  let format = LONG_DATES.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(intlLocale(locale), {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: typeof value === 'string' ? 'UTC' : zone,
    });
    LONG_DATES.set(key, format);
  }
  return format.format(typeof value === 'string' ? new Date(`${value.slice(0, 10)}T12:00:00Z`) : value);
}

export const formatNumberIn = (locale: Locale, value: number) => value.toLocaleString(intlLocale(locale));

const TIMES = new Map<string, Intl.DateTimeFormat>();

/**
 * "20 December 2026, 18:00 CET" in the reader's language: the date as formatDateIn writes it,
 * the time on the 24-hour clock, the zone's short name as the English pages give it.
 */
export function formatDateTimeIn(locale: Locale, value: Date, zone = 'UTC'): string {
  if (locale === SOURCE_LOCALE) return formatDateTime(value, zone);
  const key = `${locale} ${zone}`;
  let time = TIMES.get(key);
  if (!time) {
    time = new Intl.DateTimeFormat(intlLocale(locale), {
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone: zone,
    });
    TIMES.set(key, time);
  }
  return `${formatDateIn(locale, value, zone)}, ${time.format(value)} ${zoneAbbreviation(value, zone)}`;
}
