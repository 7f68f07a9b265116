// Turns an email definition and its data into a subject and HTML and text bodies, inside the
// shared base layout. Templates are compiled once, at first use, and kept.
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { emailDefinitions, type EmailData, type EmailDefinition, type EmailName } from './definitions.ts';
import type { EmailMessage } from './definitions.ts';

const EMAIL_VIEWS = fileURLToPath(new URL('../../views/emails/', import.meta.url));

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

interface RenderData {
  baseUrl: string;
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
  const options = { data: { baseUrl: config.BASE_URL } satisfies RenderData };
  const wrap = (body: string, layout: string) => template(layout)({ subject, body }, options);
  return {
    subject,
    html: wrap(template(definition.html)(data, options), 'layouts/base.html.hbs'),
    text: wrap(template(definition.text)(data, options), 'layouts/base.text.hbs'),
  };
}
