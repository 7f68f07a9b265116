// Every error a person can meet, in one place: each has a stable code (in the JSON body and
// on the error page, for support and for tests), a status, and words that are safe to show
// to the person who made the request. Anything else that reaches the error handler becomes
// a plain 500 with a reference.
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

export class HttpError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly title: string;
  constructor(status: number, code: ErrorCode, title: string, message: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.title = title;
  }
}

interface ErrorText {
  code: ErrorCode;
  title: string;
  message: string;
}

/** What each status says when the code raising it has nothing better (a parser, a router). */
export const STATUS_TEXT: Record<number, ErrorText> = {
  400: {
    code: 'bad-request',
    title: 'That request did not make sense to us',
    message: 'Something in what was sent could not be read. Go back and try again.',
  },
  403: {
    code: 'not-allowed',
    title: 'Not allowed',
    message: 'You do not have access to this page. If you think you should, sign in and try again.',
  },
  404: {
    code: 'not-found',
    title: 'Page not found',
    message: 'There is nothing at this address. Check the link, or start again from the home page.',
  },
  405: {
    code: 'method-not-allowed',
    title: 'Not allowed here',
    message: 'This page cannot be used that way. Start again from the home page.',
  },
  409: {
    code: 'state-changed',
    title: 'This has moved on meanwhile',
    message:
      'It changed in the meantime, perhaps in another tab or by the other person, so it can no longer be changed that way. Open it again to see where it stands.',
  },
  413: {
    code: 'too-large',
    title: 'That was too much to send at once',
    message: 'What you sent is larger than we accept. Shorten the longest answers and send it again.',
  },
  415: {
    code: 'unsupported-type',
    title: 'That request did not make sense to us',
    message: 'What was sent is in a form we do not accept.',
  },
  429: { code: 'too-many-tries', title: 'Too many tries', message: 'Please wait a little and try again.' },
  500: {
    code: 'server-error',
    title: 'Something went wrong on our side',
    message:
      'The problem is ours, not yours. Please try again in a moment; if it keeps happening, tell the people who run this service and give them the reference below.',
  },
  503: {
    code: 'unavailable',
    title: 'Upward is briefly unavailable',
    message: 'We cannot reach our database just now. Please try again in a minute.',
  },
};

const fromStatus = (status: number, message?: string) => {
  const text = STATUS_TEXT[status]!;
  return new HttpError(status, text.code, text.title, message ?? text.message);
};

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

export const formExpired = () =>
  new HttpError(
    403,
    'form-expired',
    'This form has expired',
    'For your safety we could not accept it. Go back, reload the page and try again.',
  );

export const notText = () =>
  fromStatus(400, 'What was sent held a character that is not text, so nothing was saved. Go back and try again.');

export const tooManyTries = (minutes: number) =>
  fromStatus(
    429,
    `That has been tried too often. Please wait ${minutes === 1 ? 'a minute' : `${minutes} minutes`} and try again.`,
  );
