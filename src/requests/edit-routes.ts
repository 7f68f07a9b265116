// The edit page: one form with the details and every question. Each button (save, submit,
// add, remove, move) first keeps everything typed, then does its own part: a draft is
// stored and the page shown again, or, when something typed cannot be stored, the page
// comes back with the errors beside their fields and every value as it was.
import { paths, withQuery } from '../http/paths.ts';
import { Router, type Request, type Response } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { signedInUser } from '../auth/require-sign-in.ts';
import { leaderZone } from '../auth/users.ts';
import { emailAddress } from '../lib/email-address.ts';
import { allows } from '../domain/request-life.ts';
import { stateChanged } from '../http/errors.ts';
import { type OwnRequest } from './queries.ts';
import { inviteesOf } from '../rounds/round-queries.ts';
import { questionsOf } from '../rounds/round-queries.ts';
import { saveDraft } from './actions.ts';
import { checkDraft, draftFromForm, draftFromStored, storableDraft, type RequestDraft } from './edit-form.ts';
import { applyQuestionAction, parseQuestionAction } from './questions.ts';
import { editView } from './edit-view.ts';
import { templateQuestions } from './templates-queries.ts';
import { retranslated } from './template-language.ts';
import { isLocale, localeOr, t, type Locale } from '../i18n/translate.ts';
import { loadOwnRequest } from './access.ts';

function render(
  res: Response,
  status: number,
  request: OwnRequest,
  draft: RequestDraft,
  errors?: Record<string, string>,
  notices?: string[],
) {
  res.status(status).render('requests/edit', editView({ request, draft, errors, notices }, res.locals.locale));
}

function noticesFrom(req: Request, locale: Locale): string[] {
  const notices: string[] = [];
  if (req.query.saved === '1') notices.push(t(locale, 'requests.notice.saved'));
  // A follow-up round made after the team's addresses were deleted (retention) starts empty.
  if (req.query.team === 'purged') notices.push(t(locale, 'requests.notice.teamPurged'));
  const duplicates = Number(req.query.duplicates);
  if (Number.isInteger(duplicates) && duplicates > 0 && duplicates <= 1_000)
    notices.push(t(locale, 'requests.notice.duplicates', { count: duplicates }));
  return notices;
}

export function editRoutes(deps: RouteDeps): Router {
  const { db, clock, config } = deps;
  const router = Router();

  router.get(paths.requests.edit(':id'), async (req, res) => {
    const request = await loadOwnRequest(db, req);
    if (!allows.edit(request)) return res.redirect(303, paths.requests.show(request.id));
    const [questions, invitees, zone] = await Promise.all([
      questionsOf(db, request.id),
      inviteesOf(db, request.id),
      leaderZone(db, request.leader_email, config.TIME_ZONE),
    ]);
    render(
      res,
      200,
      request,
      draftFromStored(request, questions, invitees, zone),
      undefined,
      noticesFrom(req, res.locals.locale),
    );
  });

  router.post(paths.requests.edit(':id'), async (req, res) => {
    const request = await loadOwnRequest(db, req);
    const user = signedInUser(req);
    const locale: Locale = res.locals.locale;
    const { draft, action, newKind, errors: fieldErrors } = draftFromForm(req.body, locale);
    // A form without the field (an older page still open) keeps the language the request has.
    draft.surveyLanguage ||= request.survey_language;
    // A new language brings the template's questions in it, where the manager left them as they came.
    if (request.template_id && isLocale(draft.surveyLanguage) && draft.surveyLanguage !== request.survey_language) {
      const template = await templateQuestions(db, request.template_id);
      draft.questions = retranslated(
        draft.questions,
        template,
        localeOr(request.survey_language),
        draft.surveyLanguage,
      );
    }
    const submitting = action === 'submit';
    if (!allows.edit(request)) {
      // A second press of "Submit" (or a second tab) lands on the request as it now is.
      if (submitting && request.status === 'submitted') return res.redirect(303, paths.requests.show(request.id));
      throw stateChanged();
    }

    const questionAction = parseQuestionAction(action);
    let focus: number | undefined;
    if (questionAction)
      ({ questions: draft.questions, focus } = applyQuestionAction(draft.questions, questionAction, newKind));
    // The round lives by its leader's clock (their zone, else the deployment's).
    const zone = await leaderZone(db, emailAddress.safeParse(draft.leaderEmail).data ?? '', config.TIME_ZONE);
    const checked = checkDraft(draft, {
      forSubmit: submitting,
      selfEmail: user.email,
      now: clock.now(),
      config,
      zone,
      locale,
    });
    // Errors of a posted kind field are by position, which a move or removal has changed.
    const errors = { ...(questionAction ? {} : fieldErrors), ...checked.errors };
    if (Object.keys(errors).length) return render(res, 422, request, draft, errors);

    const stored = storableDraft(draft, checked, zone);
    const outcome = await saveDraft(deps, user, request.id, stored, { submit: submitting, locale });
    if (outcome === 'moved-on') {
      // A second press of "Submit" lands on the request as it now is.
      if (submitting) return res.redirect(303, paths.requests.show(request.id));
      throw stateChanged();
    }

    if (submitting) return res.redirect(303, withQuery(paths.requests.show(request.id), { submitted: '1' }));
    const query = {
      saved: questionAction ? undefined : '1',
      duplicates: checked.invitees.duplicates ? String(checked.invitees.duplicates) : undefined,
    };
    const anchor = questionAction ? (focus === undefined ? 'questions' : `question-${focus + 1}`) : undefined;
    res.redirect(303, withQuery(paths.requests.edit(request.id), query, anchor));
  });

  return router;
}
