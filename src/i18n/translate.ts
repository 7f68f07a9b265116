// t(locale, key, values): a message of the catalogues (catalogues.ts) in ICU MessageFormat,
// compiled once by intl-messageformat and kept. Catalogues are read once, at first use.
import { IntlMessageFormat, type PrimitiveType } from 'intl-messageformat';
import { SOURCE_LOCALE, readCatalogue, shippedLocales, type Catalogue } from './catalogues.ts';

export const LOCALES: readonly string[] = shippedLocales();
export type Locale = string;

export const isLocale = (value: unknown): value is Locale => typeof value === 'string' && LOCALES.includes(value);

/** A shipped language, or English for anything else (null, a removed catalogue, a typo). */
export const localeOr = (value: unknown): Locale => (isLocale(value) ? value : SOURCE_LOCALE);

/** Intl's name for a language: English is written the British way ("21 November 2026"). */
export const intlLocale = (locale: Locale) => (locale === SOURCE_LOCALE ? 'en-GB' : locale);

const catalogues = new Map<Locale, Catalogue>();
const compiled = new Map<string, IntlMessageFormat>();

function catalogueOf(locale: Locale): Catalogue {
  let found = catalogues.get(locale);
  if (!found) catalogues.set(locale, (found = readCatalogue(locale)));
  return found;
}

/**
 * The message compiled for a language. A key missing from a translation falls back to
 * English (tests/unit/catalogues.test.ts fails on it first); one missing from English is a
 * mistake in the code and throws, so no key ever reaches a reader as text.
 */
function messageOf(locale: Locale, key: string): IntlMessageFormat {
  const id = `${locale}\u0000${key}`;
  let found = compiled.get(id);
  if (!found) {
    const source = catalogueOf(locale)[key] ?? (locale === SOURCE_LOCALE ? undefined : catalogueOf(SOURCE_LOCALE)[key]);
    if (source === undefined) throw new Error(`No message "${key}" in locales/${SOURCE_LOCALE}.json`);
    // ignoreTag: a "<" in a message is text; the HTML around messages stays in the templates.
    found = new IntlMessageFormat(source, intlLocale(locale), undefined, { ignoreTag: true });
    compiled.set(id, found);
  }
  return found;
}

/** Whether English, the source, has this message (and so, by the catalogue test, every language). */
export const hasMessage = (key: string) => catalogueOf(SOURCE_LOCALE)[key] !== undefined;

export type MessageValues = Record<string, PrimitiveType>;

export function t(locale: Locale, key: string, values: MessageValues = {}): string {
  return String(messageOf(localeOr(locale), key).format(values));
}

/**
 * What a redirect after a POST says happened (`?done=…`): the message `keys` names for that
 * value, in the reader's language; nothing for any other value (the query is the visitor's).
 */
export const doneMessage = (locale: Locale, keys: Readonly<Record<string, string>>, done: unknown) =>
  typeof done === 'string' && Object.hasOwn(keys, done) ? t(locale, keys[done]!) : undefined;
