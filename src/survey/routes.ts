// The anonymous survey behind each invitation link: /s/<token>.
import { Router } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';

export function surveyRoutes(_deps: RouteDeps): Router {
  const router = Router();
  return router;
}
