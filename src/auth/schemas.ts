import { z } from 'zod';
import { emailAddress } from '../lib/email-address.ts';
import { hasControlCharacters } from '../lib/text.ts';
import { LOCALES } from '../i18n/translate.ts';
import { TIME_ZONE_NAMES } from '../lib/dates.ts';

export const signInForm = z.object({
  email: emailAddress,
  next: z.string().optional(),
});

/** The single sign-on button: only the page to return to, checked by safeLocalPath when used. */
export const oidcStartForm = z.object({ next: z.string().optional() });

/** A shipped language, or "" to follow the browser's (Accept-Language). */
export const languageForm = z.object({
  language: z.union([z.literal(''), z.enum(LOCALES as [string, ...string[]])]),
});

export const displayNameForm = z.object({
  name: z
    .string({ error: 'Enter your name.' })
    .trim()
    .min(1, 'Enter your name.')
    .max(80, 'Keep your name under 80 characters.')
    .refine(
      (name) => !hasControlCharacters(name) && !/[<>]/.test(name),
      'Use letters, spaces and ordinary punctuation only.',
    ),
  next: z.string().optional(),
});

/** A zone from the list, or empty for the deployment's own (stored as null). */
export const timeZoneForm = z.object({
  time_zone: z
    .string({ error: 'Pick a time zone from the list.' })
    .trim()
    .refine((zone) => zone === '' || TIME_ZONE_NAMES.includes(zone), 'Pick a time zone from the list.')
    .transform((zone) => zone || null),
});
