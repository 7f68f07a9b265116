// The message catalogues: one JSON file per language in locales/, English the source. The
// languages Upward ships are the files present, so adding a language is adding a file
// (docs/TRANSLATING.md). Nested keys are flattened to dotted ones ("survey.title").
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const LOCALES_DIR = fileURLToPath(new URL('../../locales/', import.meta.url));

export type Catalogue = Record<string, string>;

/** The language every other catalogue is checked against, and the fallback. */
export const SOURCE_LOCALE = 'en';

/** Flattens `{ survey: { title: "…" } }` to `{ "survey.title": "…" }`. */
export function flatten(tree: unknown, prefix = '', into: Catalogue = {}): Catalogue {
  for (const [key, value] of Object.entries(tree as Record<string, unknown>)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') into[name] = value;
    else if (value && typeof value === 'object') flatten(value, name, into);
    else throw new Error(`locales: ${name} is neither a message nor a group of messages`);
  }
  return into;
}

export function readCatalogue(locale: string, dir = LOCALES_DIR): Catalogue {
  return flatten(JSON.parse(readFileSync(`${dir}${locale}.json`, 'utf8')));
}

/** The shipped languages: English first, then the other files present, by name. */
export function shippedLocales(dir = LOCALES_DIR): string[] {
  const found = readdirSync(dir)
    .filter((file) => /^[a-z]{2,3}(-[A-Z]{2})?\.json$/.test(file))
    .map((file) => file.slice(0, -'.json'.length));
  return [SOURCE_LOCALE, ...found.filter((locale) => locale !== SOURCE_LOCALE).sort()];
}
