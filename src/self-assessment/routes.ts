// The manager's self-assessment, /requests/:id/self-assessment: the same questions as the
// team's survey, about themself, while the round is open; afterwards, their answers read-only.
// Only the request's manager: anyone else gets the same 404 as for a request that does not
// exist (loadOwnRequest). Mounted inside the manager's routes, which require sign-in.
import { Router, type Response } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { allows, isLaunched, isReleased } from '../domain/request-life.ts';
import { notFound, stateChanged } from '../http/errors.ts';
import { parseForm } from '../http/forms.ts';
import { paths, withQuery } from '../http/paths.ts';
import { formatDateIn, formatDateTimeIn } from '../i18n/format.ts';
import { t, type Locale } from '../i18n/translate.ts';
import { zoneOf } from '../auth/users.ts';
import { loadOwnRequest } from '../requests/access.ts';
import type { OwnRequest } from '../requests/queries.ts';
import { questionsOf } from '../rounds/round-queries.ts';
import { roundPeople } from '../rounds/people.ts';
import { saveSelfAssessment } from './actions.ts';
import { formValuesOf, selfAnswersFrom, selfAssessmentSchema } from './form.ts';
import { selfAnswersOf, selfAssessmentSavedAt } from './queries.ts';
import { formView, readOnlyView } from './view.ts';

/** Said (in the reader's language) when the round closed before the answers were saved. */
const closed = (locale: Locale) => stateChanged(t(locale, 'selfAssessment.closed'));

export function selfAssessmentRoutes(deps: RouteDeps): Router {
  const { db } = deps;
  const router = Router();

  async function render(
    res: Response,
    request: OwnRequest,
    form?: { values: Record<string, unknown>; errors: Record<string, string> },
  ) {
    const [questions, saved, savedAt, people] = await Promise.all([
      questionsOf(db, request.id),
      selfAnswersOf(db, request.id),
      selfAssessmentSavedAt(db, request.id),
      roundPeople(db, request.id),
    ]);
    const locale: Locale = res.locals.locale;
    const common = {
      title: t(locale, 'selfAssessment.title'),
      request,
      leaderName: people.leaderName,
      savedOn: savedAt ? formatDateIn(locale, savedAt) : null,
      closesOn: formatDateTimeIn(locale, request.closes_at, zoneOf(res.locals.currentUser, deps.config.TIME_ZONE)),
    };
    if (!allows.assessSelf(request, deps.clock.now())) {
      return res.render('self-assessment/answers', {
        ...common,
        answers: readOnlyView(questions, saved, locale),
        released: isReleased(request),
      });
    }
    const values = form?.values ?? formValuesOf(questions, saved);
    res
      .status(form ? 422 : 200)
      .render('self-assessment/form', { ...common, ...formView(questions, values, form?.errors, locale) });
  }

  router.get(paths.requests.selfAssessment(':id'), async (req, res) => {
    const request = await loadOwnRequest(db, req);
    // Before launch there are no fixed questions to answer yet.
    if (!isLaunched(request)) throw notFound();
    await render(res, request);
  });

  router.post(paths.requests.selfAssessment(':id'), async (req, res) => {
    const request = await loadOwnRequest(db, req);
    if (!allows.assessSelf(request, deps.clock.now())) {
      if (isLaunched(request)) throw closed(res.locals.locale);
      throw notFound();
    }
    const questions = await questionsOf(db, request.id);
    // The form's CSRF token is not one of its answers.
    const { _csrf: _, ...fields } = (req.body ?? {}) as Record<string, unknown>;
    const form = parseForm(selfAssessmentSchema(questions, res.locals.locale), fields);
    if (!form.ok) return render(res, request, form);
    if ((await saveSelfAssessment(deps, request.id, selfAnswersFrom(questions, form.data))) === 'closed')
      throw closed(res.locals.locale);
    res.redirect(303, withQuery(paths.requests.show(request.id), { self: 'saved' }));
  });

  return router;
}
