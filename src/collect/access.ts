// Finds the request a /collect page is about, for the signed-in leader only. A malformed id,
// an unknown one and another person's request all get the same plain 404, so nobody learns
// whether a request exists.
import type { Request } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { notFound } from '../http/errors.ts';
import { requestParams } from './forms.ts';
import { findLeaderRequest, type LeaderRequest } from './queries.ts';

export function leaderEmailOf(req: Request): string {
  return req.session!.user!.email;
}

export async function loadLeaderRequest(db: Kysely<Database>, req: Request): Promise<LeaderRequest> {
  const params = requestParams.safeParse(req.params);
  const request = params.success ? await findLeaderRequest(db, params.data.id, leaderEmailOf(req)) : undefined;
  if (!request) throw notFound();
  return request;
}
