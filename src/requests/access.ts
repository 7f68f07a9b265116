// Finding the signed-in manager's own request from the URL. Anything else, a malformed id
// or someone else's request, is the same plain 404: the page never says a request exists.
import type { Request } from 'express';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { findOwnRequest, type OwnRequest } from './queries.ts';

const requestId = z.uuid();

export function signedInUser(req: Request) {
  const user = req.session?.user;
  if (!user) throw notFound(); // requireSignIn runs first; this only satisfies the types.
  return user;
}

export async function loadOwnRequest(db: Kysely<Database>, req: Request): Promise<OwnRequest> {
  const id = requestId.safeParse(req.params.id);
  if (!id.success) throw notFound();
  const request = await findOwnRequest(db, id.data, signedInUser(req).id);
  if (!request) throw notFound();
  return request;
}

/** A change asked of a request whose state no longer allows it (another tab, the leader). */
export const notInThatState = () =>
  new HttpError(
    409,
    'This request can no longer be changed that way',
    'Its state changed meanwhile, perhaps in another tab. Open it again to see where it stands.',
  );
