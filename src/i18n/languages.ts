// The shipped languages as a person picks them: each named in its own language ("Deutsch"),
// by Intl, so a new catalogue needs no name written anywhere.
import { LOCALES, intlLocale, type Locale } from './translate.ts';

export function languageName(locale: Locale): string {
  const name = new Intl.DisplayNames([intlLocale(locale)], { type: 'language' }).of(locale) ?? locale;
  return name.charAt(0).toLocaleUpperCase(intlLocale(locale)) + name.slice(1);
}

export interface LanguageChoice {
  value: Locale;
  name: string;
  selected: boolean;
}

export const languageChoices = (selected: string | null | undefined): LanguageChoice[] =>
  LOCALES.map((value) => ({ value, name: languageName(value), selected: value === selected }));
