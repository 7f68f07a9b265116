// Route parameters. Every id in an address is a UUID; an address with anything else in its
// place names nothing, so it gets the same plain 404 as an id that does not exist.
import type { Request } from 'express';
import { z } from 'zod';
import { notFound } from './errors.ts';

const uuid = z.uuid();

export function idsOf<Name extends string>(req: Pick<Request, 'params'>, ...names: Name[]): Record<Name, string> {
  const params = req.params as Record<string, unknown>;
  const ids = {} as Record<Name, string>;
  for (const name of names) {
    const parsed = uuid.safeParse(params[name]);
    if (!parsed.success) throw notFound();
    ids[name] = parsed.data;
  }
  return ids;
}
