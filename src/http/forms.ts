// Form validation with zod: either the parsed values, or one message per field to show
// beside it, with what the person typed kept so nothing is lost.
import express, { type RequestHandler } from 'express';
import type { z } from 'zod';
import { notText } from './errors.ts';

export type FormResult<T> =
  { ok: true; data: T } | { ok: false; errors: Record<string, string>; values: Record<string, unknown> };

export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.infer<S>> {
  const values = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    errors[field] ??= issue.message;
  }
  return { ok: false, errors, values };
}

/**
 * Refuses a posted form holding a NUL character (U+0000) in any field. No browser sends one
 * from a page, and PostgreSQL cannot store it in text, so it would otherwise fail deep in a
 * query as a 500. Forms are flat (the urlencoded parser is not `extended`): a field is a
 * string or a list of strings; anything nested is refused by each form's schema anyway.
 */
export const refuseNulCharacters: RequestHandler = (req, _res, next) => {
  const body = req.body as unknown;
  if (!body || typeof body !== 'object') return next();
  for (const value of Object.values(body as Record<string, unknown>)) {
    const texts = Array.isArray(value) ? value : [value];
    if (texts.some((text) => typeof text === 'string' && text.includes('\u0000'))) {
      return next(notText());
    }
  }
  next();
};

/** Largest form or JSON body accepted; a long survey with every comment box full fits. */
export const BODY_LIMIT = '100kb';

/** Reads a posted form into `req.body`: flat fields (not `extended`), at most BODY_LIMIT. */
export const formParser: RequestHandler = express.urlencoded({
  extended: false,
  limit: BODY_LIMIT,
  parameterLimit: 500,
});
