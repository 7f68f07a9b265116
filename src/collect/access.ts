// Finds the request a /collect page is about, for the signed-in leader only. A malformed id,
// an unknown one and another person's request all get the same plain 404, so nobody learns
// whether a request exists.
import type { Request } from 'express';
import type { Kysely } from 'kysely';
import { signedInUser } from '../auth/require-sign-in.ts';
import type { Database } from '../db/schema.ts';
import { notFound } from '../http/errors.ts';
import { idsOf } from '../http/params.ts';
import { findLeaderRequest, type LeaderRequest } from './queries.ts';

export async function loadLeaderRequest(db: Kysely<Database>, req: Request): Promise<LeaderRequest> {
  const { id } = idsOf(req, 'id');
  const request = await findLeaderRequest(db, id, signedInUser(req).email);
  if (!request) throw notFound();
  return request;
}
