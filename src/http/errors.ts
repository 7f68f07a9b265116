// Errors that carry a status and a message that is safe to show to the person who made the
// request. Anything else that reaches the error handler becomes a plain 500.
export class HttpError extends Error {
  readonly status: number;
  readonly title: string;
  constructor(status: number, title: string, message: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.title = title;
  }
}

/** What each status says to a person, when the code raising it has nothing better. */
export const STATUS_TEXT: Record<number, { title: string; message: string }> = {
  400: {
    title: 'That request did not make sense to us',
    message: 'Something in what was sent could not be read. Go back and try again.',
  },
  403: {
    title: 'Not allowed',
    message: 'You do not have access to this page. If you think you should, sign in and try again.',
  },
  404: {
    title: 'Page not found',
    message: 'There is nothing at this address. Check the link, or start again from the home page.',
  },
  405: { title: 'Not allowed here', message: 'This page cannot be used that way. Start again from the home page.' },
  413: {
    title: 'That was too much to send at once',
    message: 'What you sent is larger than we accept. Shorten the longest answers and send it again.',
  },
  415: { title: 'That request did not make sense to us', message: 'What was sent is in a form we do not accept.' },
  429: { title: 'Too many tries', message: 'Please wait a little and try again.' },
  500: {
    title: 'Something went wrong on our side',
    message:
      'The problem is ours, not yours. Please try again in a moment; if it keeps happening, tell the people who run this service and give them the reference below.',
  },
  503: {
    title: 'Upward is briefly unavailable',
    message: 'We cannot reach our database just now. Please try again in a minute.',
  },
};

export const notFound = () => new HttpError(404, STATUS_TEXT[404]!.title, STATUS_TEXT[404]!.message);
