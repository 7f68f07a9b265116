// Every email Upward sends, one definition each: its subject and its two templates in
// views/emails/ (HTML and plain text), both wrapped in views/emails/layouts/base.*.hbs.
// A new email is one entry here plus its two templates; queueEmail then checks its data.

export interface EmailDefinition<Data> {
  subject: (data: Data) => string;
  /** File names under views/emails/. */
  html: string;
  text: string;
}

/** Spells out the data type once; the templates receive exactly this object. */
const define = <Data>(definition: EmailDefinition<Data>) => definition;

export const emailDefinitions = {
  /**
   * `link` is a path inside Upward (`/sign-in/link/…`) or an absolute address under
   * BASE_URL; the templates make it absolute with the `url` helper.
   */
  'sign-in-link': define<{ link: string; minutes: number }>({
    subject: () => 'Your sign-in link for Upward',
    html: 'sign-in-link.html.hbs',
    text: 'sign-in-link.text.hbs',
  }),
};

export type EmailName = keyof typeof emailDefinitions;

export type EmailData<Name extends EmailName> =
  (typeof emailDefinitions)[Name] extends EmailDefinition<infer Data> ? Data : never;

/** An email to queue: its recipient, which definition, and that definition's data. */
export type EmailMessage = { [Name in EmailName]: { to: string; name: Name; data: EmailData<Name> } }[EmailName];
