// Turns an email definition and its data into a subject and HTML and text bodies, inside the
// shared base layout. Templates are compiled once, at first use, and kept.
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { emailDefinitions, type EmailData, type EmailDefinition, type EmailName } from './definitions.ts';
import type { EmailMessage } from './definitions.ts';
import { strongHelper, translateHelper } from '../i18n/helper.ts';
import { localeOr, type Locale } from '../i18n/translate.ts';

const EMAIL_VIEWS = fileURLToPath(new URL('../../views/emails/', import.meta.url));

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

interface RenderData {
  baseUrl: string;
  /** The email's language: `locale` in its data, English when it has none. */
  locale: Locale;
  html: boolean;
}

const handlebars = Handlebars.create();

/**
 * `{{url path}}` gives the absolute address of a page of Upward. Links to other sites are
 * refused rather than silently rewritten: an email must only ever point at Upward.
 */
handlebars.registerHelper('url', function (target: unknown, options: Handlebars.HelperOptions) {
  const { baseUrl } = options.data as RenderData;
  if (typeof target === 'string' && target.startsWith('/') && !target.startsWith('//')) return baseUrl + target;
  if (typeof target === 'string' && (target === baseUrl || target.startsWith(`${baseUrl}/`))) return target;
  throw new Error(`An email link must be a path in Upward or start with ${baseUrl}; got ${String(target)}`);
});

/** `{{t "email.x" closesOn=(strong closesOn)}}`: a value in bold inside a translated sentence. */
handlebars.registerHelper('strong', strongHelper);

/** `{{t "email.sentBy" site=(link @baseUrl style="…")}}`: a link inside a translated sentence. */
handlebars.registerHelper('link', (href: unknown, options: Handlebars.HelperOptions) => {
  const escape = Handlebars.escapeExpression;
  const style = options.hash.style ? ` style="${escape(String(options.hash.style))}"` : '';
  return new Handlebars.SafeString(`<a href="${escape(`${String(href)}/`)}"${style}>${escape(String(href))}</a>`);
});

/** `{{t "key" name=value}}`, in the email's language; values escaped in the HTML part only. */
handlebars.registerHelper(
  't',
  translateHelper({
    localeOf: (options) => (options.data as RenderData).locale,
    html: (options) => (options.data as RenderData).html,
  }),
);

const compiled = new Map<string, Handlebars.TemplateDelegate>();

/** HTML templates escape what they print; text templates print it as it is. */
function template(file: string): Handlebars.TemplateDelegate {
  let found = compiled.get(file);
  if (!found) {
    const source = readFileSync(EMAIL_VIEWS + file, 'utf8');
    found = handlebars.compile(source, { strict: true, noEscape: file.endsWith('.text.hbs') });
    compiled.set(file, found);
  }
  return found;
}

/** A queued message, whose name and data TypeScript cannot pair up once there are several emails. */
export function renderEmail(
  name: EmailMessage['name'],
  data: EmailMessage['data'],
  config: { BASE_URL: string },
): RenderedEmail;
export function renderEmail<Name extends EmailName>(
  name: Name,
  data: EmailData<Name>,
  config: { BASE_URL: string },
): RenderedEmail;
export function renderEmail<Name extends EmailName>(
  name: Name,
  data: EmailData<Name>,
  config: { BASE_URL: string },
): RenderedEmail {
  const definition = emailDefinitions[name] as EmailDefinition<EmailData<Name>>;
  // A subject is a header: a line break in it would start a new header.
  const subject = definition.subject(data).replace(/\s+/g, ' ').trim();
  const locale = localeOr((data as { locale?: unknown }).locale);
  const html: { data: RenderData } = { data: { baseUrl: config.BASE_URL, locale, html: true } };
  const text: { data: RenderData } = { data: { baseUrl: config.BASE_URL, locale, html: false } };
  const wrap = (body: string, layout: string, options: typeof html) =>
    template(layout)({ subject, body, locale }, options);
  return {
    subject,
    html: wrap(template(definition.html)(data, html), 'layouts/base.html.hbs', html),
    text: wrap(template(definition.text)(data, text), 'layouts/base.text.hbs', text),
  };
}
