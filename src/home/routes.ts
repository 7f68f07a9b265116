// The landing page: what Upward does for each kind of person, and the way in. Someone
// signed in sees their own start page instead.
import { Router } from 'express';
import { t } from '../i18n/translate.ts';

export function homeRoutes(): Router {
  const router = Router();
  router.get('/', (req, res) => {
    if (req.session?.user) {
      res.render('home/start', { title: t(res.locals.locale, 'home.start.title') });
      return;
    }
    res.render('home/index', { title: t(res.locals.locale, 'home.title') });
  });
  return router;
}
