// The landing page: what Upward does for each kind of person, and the way in.
import { Router } from 'express';

export function homeRoutes(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.render('home/index', { title: 'Honest feedback for managers, safely collected' });
  });
  return router;
}
