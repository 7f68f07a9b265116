// The reply's forms, one zod schema each: a draft may be half written (empty parts are
// kept), a preview or a send needs both parts. Values come back trimmed; line breaks stay.
import { z } from 'zod';
import { hasControlCharacters } from '../lib/text.ts';

/** Each part of the reply: enough for a few paragraphs, short enough to be read in an email. */
export const REPLY_MAX = 3_000;
const REPLY_MAX_TEXT = REPLY_MAX.toLocaleString('en-GB');

// Line breaks and tabs are welcome in a letter; other control characters are not text.
const hasStrayControl = (text: string) => hasControlCharacters(text.replace(/[\n\r\t]/g, ''));

const part = (what: string, required: boolean) =>
  z
    .string({ error: `Write ${what}.` })
    .trim()
    .min(required ? 1 : 0, `Write ${what} before you preview it.`)
    .max(REPLY_MAX, `Keep ${what} under ${REPLY_MAX_TEXT} characters.`)
    .refine((text) => !hasStrayControl(text), 'Use ordinary text only.');

/** A checkbox: sent as "yes" when ticked, absent when not. */
const includeFigures = z
  .enum(['yes'], { error: 'Tick the box, or leave it empty.' })
  .optional()
  .transform((value) => value === 'yes');

const replySchema = (required: boolean) =>
  z.object({
    heard: part('what you heard', required),
    will_do: part('what you will do', required),
    include_figures: includeFigures,
  });

export const draftForm = replySchema(false);
/** The preview and the send: what goes to the team must say something in both parts. */
export const replyForm = replySchema(true);

export type ReplyInput = z.infer<typeof draftForm>;
