// A manager's requests: ask for feedback, edit the draft, submit it to the leader, follow it.
import { Router } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';

export function managerRoutes(_deps: RouteDeps): Router {
  const router = Router();
  return router;
}
