// A leader's side of a request: review, launch or decline, follow participation, close.
import { Router } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';

export function leaderRoutes(_deps: RouteDeps): Router {
  const router = Router();
  return router;
}
