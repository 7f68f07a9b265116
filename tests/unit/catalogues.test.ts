// The catalogues in locales/ against English, the source: the same keys, every message valid
// ICU MessageFormat, and the same arguments (a translation that drops {threshold} or spells
// it {treshold} would print wrong or throw). A failure names the language and the key.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IntlMessageFormat } from 'intl-messageformat';
import { SOURCE_LOCALE, readCatalogue, shippedLocales, type Catalogue } from '../../src/i18n/catalogues.ts';

type Element = ReturnType<IntlMessageFormat['getAst']>[number];

/** Arguments by name, with the options of each select (plural categories differ by language). */
function argumentsOf(elements: Element[], into = new Map<string, string>()): Map<string, string> {
  for (const element of elements) {
    if (!('value' in element) || element.type === 0) continue; // literal text
    if ('options' in element) {
      const selectKeys = element.type === 5 ? Object.keys(element.options).sort().join('|') : '';
      into.set(element.value, selectKeys);
      for (const option of Object.values(element.options)) argumentsOf(option.value, into);
    } else {
      into.set(element.value, '');
    }
  }
  return into;
}

function parse(locale: string, key: string, message: string): Map<string, string> {
  try {
    return argumentsOf(new IntlMessageFormat(message, locale, undefined, { ignoreTag: true }).getAst());
  } catch (error) {
    assert.fail(`locales/${locale}.json ${key} is not valid ICU MessageFormat: ${(error as Error).message}`);
  }
}

const english: Catalogue = readCatalogue(SOURCE_LOCALE);
const translations = shippedLocales().filter((locale) => locale !== SOURCE_LOCALE);

describe('message catalogues', () => {
  it('ships English and at least German, French and Spanish, read from the files present', () => {
    assert.deepEqual(shippedLocales().slice(0, 1), ['en']);
    for (const locale of ['de', 'fr', 'es']) assert.ok(translations.includes(locale), locale);
  });

  it('has every English message parse as ICU MessageFormat', () => {
    for (const [key, message] of Object.entries(english)) parse(SOURCE_LOCALE, key, message);
  });

  for (const locale of translations) {
    describe(`locales/${locale}.json`, () => {
      const catalogue = readCatalogue(locale);

      it('has every key English has, and none English lacks', () => {
        const missing = Object.keys(english).filter((key) => !(key in catalogue));
        const extra = Object.keys(catalogue).filter((key) => !(key in english));
        assert.deepEqual(missing, [], `missing from locales/${locale}.json`);
        assert.deepEqual(extra, [], `in locales/${locale}.json but not in English`);
      });

      it('has every message parse, with the same arguments as English', () => {
        for (const [key, message] of Object.entries(catalogue)) {
          const source = english[key];
          if (source === undefined) continue;
          const theirs = Object.fromEntries(parse(locale, key, message));
          const ours = Object.fromEntries(parse(SOURCE_LOCALE, key, source));
          assert.deepEqual(theirs, ours, `locales/${locale}.json ${key}: arguments differ from English`);
        }
      });
    });
  }

  it('keeps French punctuation on the line of its word: a no-break space before : ; ? ! and inside « »', () => {
    // A plain space lets a narrow screen start a line with the colon or the question mark.
    const broken = Object.entries(readCatalogue('fr')).filter(([, message]) => /( [:;?!»])|(« )/.test(message));
    assert.deepEqual(
      broken.map(([key]) => key),
      [],
    );
  });
});
