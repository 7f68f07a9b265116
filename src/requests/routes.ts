// A manager's requests: ask for feedback, edit the draft, submit it to the leader, follow it.
// Everything under /requests needs a signed-in person and only ever shows their own requests.
import { allows, hasReport } from '../domain/request-life.ts';
import { paths, withQuery } from '../http/paths.ts';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { RouteDeps } from '../http/route-deps.ts';
import { requireSignIn, signedInUser } from '../auth/require-sign-in.ts';
import { stateChanged } from '../http/errors.ts';
import { parseForm } from '../http/forms.ts';
import { formatDateIn, formatDateTimeIn } from '../i18n/format.ts';
import { hasMessage, t, type Locale } from '../i18n/translate.ts';
import { zoneOf } from '../auth/users.ts';
import { listOwnRequests } from './queries.ts';
import { inviteesOf } from '../rounds/round-queries.ts';
import { questionsOf } from '../rounds/round-queries.ts';
import { deleteRequest, reopenRequest, startRequest } from './actions.ts';
import { listTemplates, templateExists } from './templates-queries.ts';
import { listItem, stateInWords } from './view.ts';
import { loadOwnRequest } from './access.ts';
import { editRoutes } from './edit-routes.ts';
import { selfAssessmentRoutes } from '../self-assessment/routes.ts';
import { selfAssessmentSavedAt } from '../self-assessment/queries.ts';

const CHOOSE_TEMPLATE = 'requests.errors.chooseTemplate';
const templateId = z.uuid();
const newRequestForm = z.object({
  template: z
    .string({ error: CHOOSE_TEMPLATE })
    .refine((value) => value === 'blank' || templateId.safeParse(value).success, CHOOSE_TEMPLATE),
});

/** A built-in template's name or description in the page's language, as stored when the catalogue has none. */
const templateText = (locale: Locale, slug: string, part: 'name' | 'description', stored: string) =>
  hasMessage(`template.${slug}.${part}`) ? t(locale, `template.${slug}.${part}`) : stored;

/** Pages about one person's own requests are never kept by shared caches or the back button. */
const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

export function managerRoutes(deps: RouteDeps): Router {
  const { db } = deps;
  const requests = Router();
  requests.use(paths.requests.list(), requireSignIn, noStore);

  requests.get(paths.requests.list(), async (req, res) => {
    const rows = await listOwnRequests(db, signedInUser(req).id);
    res.render('requests/index', {
      title: t(res.locals.locale, 'requests.list.title'),
      deleted: req.query.deleted === '1',
      requests: rows.map((row) => ({ ...row, ...listItem(row, res.locals.locale) })),
    });
  });

  const showNew = async (
    res: Parameters<RequestHandler>[1],
    values: Record<string, unknown>,
    errors?: Record<string, string>,
  ) => {
    const templates = await listTemplates(db);
    const locale: Locale = res.locals.locale;
    res.status(errors ? 422 : 200).render('requests/new', {
      title: t(locale, 'requests.new.title'),
      // The form's one message is a catalogue key (CHOOSE_TEMPLATE).
      errors: errors && { template: t(locale, CHOOSE_TEMPLATE) },
      templates: templates.map((template, i) => ({
        ...template,
        name: templateText(locale, template.slug, 'name', template.name),
        description: templateText(locale, template.slug, 'description', template.description),
        question_count: Number(template.question_count),
        checked: values.template ? values.template === template.id : i === 0,
      })),
      blankChecked: values.template === 'blank',
      firstRadio: templates[0] ? `template-${templates[0].id}` : 'template-blank',
    });
  };

  requests.get(paths.requests.new(), (_req, res) => showNew(res, {}));

  requests.post(paths.requests.list(), async (req, res) => {
    const form = parseForm(newRequestForm, req.body);
    if (!form.ok) return showNew(res, form.values, form.errors);
    const templateId = form.data.template === 'blank' ? null : form.data.template;
    if (templateId && !(await templateExists(db, templateId)))
      return showNew(res, form.data, { template: CHOOSE_TEMPLATE });
    // The survey starts in the manager's language (their choice, else their browser's).
    const id = await startRequest(deps, signedInUser(req), templateId, res.locals.locale);
    res.redirect(303, paths.requests.edit(id));
  });

  requests.use(editRoutes(deps));
  requests.use(selfAssessmentRoutes(deps));

  requests.get(paths.requests.show(':id'), async (req, res) => {
    const request = await loadOwnRequest(db, req);
    const [questions, invitees, selfSavedAt] = await Promise.all([
      questionsOf(db, request.id),
      inviteesOf(db, request.id),
      selfAssessmentSavedAt(db, request.id),
    ]);
    const locale: Locale = res.locals.locale;
    const zone = zoneOf(signedInUser(req), deps.config.TIME_ZONE);
    res.render('requests/show', {
      title: t(locale, 'requests.show.title'),
      request,
      state: stateInWords(request, locale),
      isDraft: allows.deleteDraft(request),
      isDeclined: request.status === 'declined',
      submitted: req.query.submitted === '1' && request.status === 'submitted',
      questions: questions.map((q, i) => ({ ...q, number: i + 1, kindWords: t(locale, `requests.kind.${q.kind}`) })),
      invitees,
      closesOn: formatDateTimeIn(locale, request.closes_at, zone),
      self: {
        open: allows.assessSelf(request, deps.clock.now()),
        done: hasReport(request),
        savedOn: selfSavedAt ? formatDateIn(locale, selfSavedAt) : null,
        justSaved: req.query.self === 'saved',
      },
    });
  });

  requests.post(paths.requests.reopen(':id'), async (req, res) => {
    const request = await loadOwnRequest(db, req);
    if ((await reopenRequest(deps, signedInUser(req), request)) === 'moved-on') throw stateChanged();
    res.redirect(303, paths.requests.edit(request.id));
  });

  requests.get(paths.requests.delete(':id'), async (req, res) => {
    const request = await loadOwnRequest(db, req);
    if (!allows.deleteDraft(request)) return res.redirect(303, paths.requests.show(request.id));
    res.render('requests/delete', { title: t(res.locals.locale, 'requests.delete.title'), request });
  });

  requests.post(paths.requests.delete(':id'), async (req, res) => {
    const request = await loadOwnRequest(db, req);
    if ((await deleteRequest(deps, signedInUser(req), request.id)) === 'moved-on') throw stateChanged();
    res.redirect(303, withQuery(paths.requests.list(), { deleted: '1' }));
  });

  return requests;
}
