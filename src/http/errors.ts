// Every error a person can meet, in one place: each has a stable code (in the JSON body and
// on the error page, for support and for tests), a status, and words that are safe to show
// to the person who made the request. Anything else that reaches the error handler becomes
// a plain 500 with a reference. The words are in the catalogues (errors.*), said on the page
// in the reader's language.
import { SOURCE_LOCALE } from '../i18n/catalogues.ts';
import { t, type Locale, type MessageValues } from '../i18n/translate.ts';
export type ErrorCode =
  | 'bad-request'
  | 'not-text'
  | 'form-expired'
  | 'not-allowed'
  | 'not-found'
  | 'method-not-allowed'
  | 'state-changed'
  | 'too-large'
  | 'unsupported-type'
  | 'too-many-tries'
  | 'server-error'
  | 'unavailable';

/** A message of the catalogues, said in the reader's language when the error page is shown. */
export interface Wording {
  key: string;
  values?: MessageValues;
}

export class HttpError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  /** In English, for the log; the page says `titleKey`'s message when there is one. */
  readonly title: string;
  readonly titleKey?: string;
  /** The message's catalogue key; none when the message was given already in the reader's words. */
  readonly wording?: Wording;
  constructor(
    status: number,
    code: ErrorCode,
    title: string,
    message: string,
    keys: { titleKey?: string; wording?: Wording } = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.title = title;
    this.titleKey = keys.titleKey;
    this.wording = keys.wording;
  }
}

/** The stable code each status has when the code raising it has nothing better (a parser, a router). */
const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'bad-request',
  403: 'not-allowed',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'state-changed',
  413: 'too-large',
  415: 'unsupported-type',
  429: 'too-many-tries',
  500: 'server-error',
  503: 'unavailable',
};

interface ErrorText {
  code: ErrorCode;
  title: string;
  message: string;
}

/** An error's words in the reader's language: its title and message are `errors.<code>.*` in the catalogues. */
export const errorText = (code: ErrorCode, locale: Locale): ErrorText => ({
  code,
  title: t(locale, `errors.${code}.title`),
  message: t(locale, `errors.${code}.message`),
});

/** What each status says in English, the log's language. */
export const STATUS_TEXT: Record<number, ErrorText> = Object.fromEntries(
  Object.entries(STATUS_CODES).map(([status, code]) => [status, errorText(code, SOURCE_LOCALE)]),
);

/** The error's code's own words, unless `message` (already in the reader's words) says it better. */
const fromCode = (status: number, code: ErrorCode, message?: string | Wording) => {
  const wording = typeof message === 'string' ? undefined : (message ?? { key: `errors.${code}.message` });
  return new HttpError(
    status,
    code,
    t(SOURCE_LOCALE, `errors.${code}.title`),
    typeof message === 'string' ? message : t(SOURCE_LOCALE, wording!.key, wording!.values),
    { titleKey: `errors.${code}.title`, wording },
  );
};

const fromStatus = (status: number, message?: string | Wording) => fromCode(status, STATUS_CODES[status]!, message);

/**
 * Anything not found, and anything the person may not know exists (someone else's request,
 * a malformed id): the same plain 404, so an address never reveals whether a thing exists.
 */
export const notFound = () => fromStatus(404);

/**
 * A change asked of something whose state no longer allows it (another tab, the other person,
 * a round closed meanwhile); the message says what happened when the page can say it better.
 */
export const stateChanged = (message?: string) => fromStatus(409, message);

/** Signed in and allowed to see the thing, but not to do this with it; the message says why. */
export const notAllowed = (message: string) => fromStatus(403, message);

export const formExpired = () => fromCode(403, 'form-expired');

export const notText = () => fromStatus(400, { key: 'errors.not-text.message' });

export const tooManyTries = (minutes: number) => fromStatus(429, { key: 'errors.tooManyTries', values: { minutes } });
