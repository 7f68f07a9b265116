// The landing page: what Upward does for each kind of person, and the way in. Someone
// signed in sees their own start page instead.
import { Router } from 'express';

export function homeRoutes(): Router {
  const router = Router();
  router.get('/', (req, res) => {
    if (req.session?.user) {
      res.render('home/start', { title: 'Your feedback rounds' });
      return;
    }
    res.render('home/index', { title: 'Honest feedback for managers, safely collected' });
  });
  return router;
}
