// Dates and numbers in a reader's language, through Intl. English keeps the service's own
// formats (src/lib/dates.ts), so English pages read exactly as before.
import { formatDate } from '../lib/dates.ts';
import { SOURCE_LOCALE } from './catalogues.ts';
import { intlLocale, type Locale } from './translate.ts';

const LONG_DATES = new Map<Locale, Intl.DateTimeFormat>();

/** "21 November 2026", "21. November 2026", "21 novembre 2026", "21 de noviembre de 2026". */
export function formatDateIn(locale: Locale, value: Date | string): string {
  if (locale === SOURCE_LOCALE) return formatDate(value);
  let format = LONG_DATES.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(intlLocale(locale), {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    LONG_DATES.set(locale, format);
  }
  return format.format(typeof value === 'string' ? new Date(`${value.slice(0, 10)}T12:00:00Z`) : value);
}

export const formatNumberIn = (locale: Locale, value: number) => value.toLocaleString(intlLocale(locale));
