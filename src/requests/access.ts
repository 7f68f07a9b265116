// Finding the signed-in manager's own request from the URL. Anything else, a malformed id
// or someone else's request, is the same plain 404: the page never says a request exists.
import type { Request } from 'express';
import type { Kysely } from 'kysely';
import { signedInUser } from '../auth/require-sign-in.ts';
import type { Database } from '../db/schema.ts';
import { notFound } from '../http/errors.ts';
import { idsOf } from '../http/params.ts';
import { findOwnRequest, type OwnRequest } from './queries.ts';

export async function loadOwnRequest(db: Kysely<Database>, req: Request): Promise<OwnRequest> {
  const { id } = idsOf(req, 'id');
  const request = await findOwnRequest(db, id, signedInUser(req).id);
  if (!request) throw notFound();
  return request;
}
