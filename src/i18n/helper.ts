// The Handlebars helper {{t "key" name=value}}, for pages and emails alike. The message's own
// text is trusted (it comes from the catalogues, as the template's words did), so it may stand
// beside HTML; the values put into it are escaped where the output is HTML.
import Handlebars from 'handlebars';
import { t, type Locale, type MessageValues } from './translate.ts';

export interface TranslateOptions {
  /** Where the helper finds the language of what is being rendered. */
  localeOf: (options: Handlebars.HelperOptions) => Locale;
  /** False for plain-text emails, which print values as they are. */
  html: (options: Handlebars.HelperOptions) => boolean;
}

/** `{{t "key" closesOn=(strong closesOn)}}`: a value in bold inside a translated sentence. */
export const strongHelper = (value: unknown) =>
  new Handlebars.SafeString(`<strong>${Handlebars.escapeExpression(String(value))}</strong>`);

export function translateHelper({ localeOf, html }: TranslateOptions) {
  return function (key: string, options: Handlebars.HelperOptions) {
    const escape = html(options);
    const values: MessageValues = {};
    for (const [name, value] of Object.entries(options.hash as Record<string, unknown>)) {
      // A SafeString (from a helper such as {{strong}}) is HTML already: put in as it is.
      if (value instanceof Handlebars.SafeString) values[name] = escape ? value.toHTML() : value.toString();
      else values[name] = escape && typeof value === 'string' ? Handlebars.escapeExpression(value) : (value as string);
    }
    const text = t(localeOf(options), key, values);
    return escape ? new Handlebars.SafeString(text) : text;
  };
}
