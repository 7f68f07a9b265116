// Which shipped language a reader gets: the one they chose on the account page, else the
// first their browser asks for (Accept-Language, by its q-values), else English.
import type { RequestHandler } from 'express';
import { SOURCE_LOCALE } from './catalogues.ts';
import { LOCALES, isLocale, type Locale } from './translate.ts';

/** "de-CH,de;q=0.9,en;q=0.5" → "de"; a region falls back to its language ("fr-CA" → "fr"). */
export function fromAcceptLanguage(header: string | undefined): Locale {
  const asked = (header ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(
        params
          .find((p) => p.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? '1',
      );
      return { tag: tag.trim().toLowerCase(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of asked) {
    const found =
      LOCALES.find((locale) => locale.toLowerCase() === tag) ?? LOCALES.find((l) => l === tag.split('-')[0]);
    if (found) return found;
  }
  return SOURCE_LOCALE;
}

export const localeOf = (chosen: string | null | undefined, acceptLanguage: string | undefined): Locale =>
  isLocale(chosen) ? chosen : fromAcceptLanguage(acceptLanguage);

/**
 * Puts the reader's language in res.locals.locale, for {{t}} and the routes. After the
 * session, which brings the signed-in person's choice. Pages then vary by the header.
 */
export const readerLocale: RequestHandler = (req, res, next) => {
  const user = res.locals.currentUser as { language?: string | null } | undefined;
  res.locals.locale = localeOf(user?.language, req.headers['accept-language']);
  res.vary('Accept-Language');
  next();
};
