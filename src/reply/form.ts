// The reply's forms, one zod schema each: a draft may be half written (empty parts are
// kept), a preview or a send needs both parts. Values come back trimmed; line breaks stay.
import { z } from 'zod';
import { hasControlCharacters } from '../lib/text.ts';
import { formatNumberIn } from '../i18n/format.ts';
import { t, type Locale } from '../i18n/translate.ts';

/** Each part of the reply: enough for a few paragraphs, short enough to be read in an email. */
export const REPLY_MAX = 3_000;

// Line breaks and tabs are welcome in a letter; other control characters are not text.
const hasStrayControl = (text: string) => hasControlCharacters(text.replace(/[\n\r\t]/g, ''));

/** `part` names the field in the messages, in the manager's language (`locale`). */
const part = (locale: Locale, which: 'heard' | 'willDo', required: boolean) => {
  const error = (key: string) =>
    t(locale, `reply.error.${key}`, { part: which, max: formatNumberIn(locale, REPLY_MAX) });
  return z
    .string({ error: error('missing') })
    .trim()
    .min(required ? 1 : 0, error('empty'))
    .max(REPLY_MAX, error('tooLong'))
    .refine((text) => !hasStrayControl(text), t(locale, 'reply.error.control'));
};

/** A checkbox: sent as "yes" when ticked, absent when not. */
const includeFigures = (locale: Locale) =>
  z
    .enum(['yes'], { error: t(locale, 'reply.error.figures') })
    .optional()
    .transform((value) => value === 'yes');

const replySchema = (required: boolean, locale: Locale) =>
  z.object({
    heard: part(locale, 'heard', required),
    will_do: part(locale, 'willDo', required),
    include_figures: includeFigures(locale),
  });

const schemas = new Map<string, ReturnType<typeof replySchema>>();
const schemaOf = (required: boolean, locale: Locale) => {
  const key = `${String(required)} ${locale}`;
  let found = schemas.get(key);
  if (!found) schemas.set(key, (found = replySchema(required, locale)));
  return found;
};

/** A draft may be half written; its messages in the manager's language. */
export const draftForm = (locale: Locale) => schemaOf(false, locale);
/** The preview and the send: what goes to the team must say something in both parts. */
export const replyForm = (locale: Locale) => schemaOf(true, locale);

export type ReplyInput = z.infer<ReturnType<typeof draftForm>>;
