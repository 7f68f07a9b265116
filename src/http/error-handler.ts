// The one place that turns a failure into a response: an HTML page (or JSON where asked)
// with the status, a kind message and the request id; never a stack trace.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpError, STATUS_TEXT, errorText, notFound } from './errors.ts';
import { fromAcceptLanguage } from '../i18n/negotiate.ts';
import { isLocale, t, type Locale } from '../i18n/translate.ts';

interface ErrorLike {
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  type?: unknown;
  code?: unknown;
}

/** Database connection failures, as raised by pg and by Node's sockets. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P03',
  '08006',
  '08001',
  '08003',
]);

function statusOf(error: unknown): number {
  if (error instanceof HttpError) return error.status;
  const e = (error ?? {}) as ErrorLike;
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  // body-parser and friends mark client errors with a status and `expose`.
  if (status && status >= 400 && status < 500) return status;
  if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return 503;
  if (error instanceof Error && /timeout exceeded when trying to connect|Connection terminated/i.test(error.message))
    return 503;
  return 500;
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(notFound());

export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const status = statusOf(error);
  // The reader's language; an error raised before it was settled (a parser's) goes by the browser's.
  const locale: Locale = isLocale(res.locals.locale)
    ? res.locals.locale
    : fromAcceptLanguage(req.headers['accept-language']);
  const { code, title, message } =
    error instanceof HttpError
      ? {
          code: error.code,
          title: error.titleKey ? t(locale, error.titleKey) : error.title,
          message: error.wording ? t(locale, error.wording.key, error.wording.values) : error.message,
        }
      : errorText((STATUS_TEXT[status] ?? STATUS_TEXT[status < 500 ? 400 : 500]!).code, locale);
  const requestId = String(req.id ?? '');

  if (status >= 500) req.log?.error({ err: error }, 'request failed');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(status);
  res.setHeader('Cache-Control', 'no-store');
  if (status === 503) res.setHeader('Retry-After', '30');
  if (req.accepts(['html', 'json']) === 'json') {
    res.json({ error: { status, code, title, message, requestId } });
    return;
  }
  res.render('errors/error', { locale, title, message, status, code, requestId }, (renderError, html) => {
    // If the page itself cannot be rendered, fall back to plain text rather than a stack.
    if (renderError) res.type('text/plain').send(`${title}\n\n${message}\n\nReference: ${requestId}\n`);
    else res.send(html);
  });
};
