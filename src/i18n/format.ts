// Dates and numbers in a reader's language, through Intl: src/lib/dates.ts's formats (and its
// kept formatters) with the reader's Intl locale, so English pages read exactly as before.
import { formatDate, formatDateTime } from '../lib/dates.ts';
import { intlLocale, type Locale } from './translate.ts';

/** "21 November 2026", "21. November 2026", "21 novembre 2026", "21 de noviembre de 2026". */
export const formatDateIn = (locale: Locale, value: Date | string, zone = 'UTC'): string =>
  formatDate(value, zone, intlLocale(locale));

export const formatNumberIn = (locale: Locale, value: number) => value.toLocaleString(intlLocale(locale));

/** "20 December 2026, 18:00 CET" in the reader's language, the zone's short name as the English pages give it. */
export const formatDateTimeIn = (locale: Locale, value: Date, zone = 'UTC'): string =>
  formatDateTime(value, zone, intlLocale(locale));
