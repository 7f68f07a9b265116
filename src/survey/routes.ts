// The anonymous survey behind each invitation link: /s/<token>. The GET only shows (mail
// scanners open links); the POST validates, seals the answers with the round's key
// (sealing.ts), then spends the link and stores the sealed row in one statement (queries.ts). No session is read here (see app.ts) and nothing
// about the person is logged or stored.
//
// A POST is usually one round trip to the database: the form names its round through its
// answers' fields (survey-cache.ts), and the statement that spends the link also returns what
// the thank-you page shows. Whenever that does not work out (the round's questions are not
// loaded in this process yet, a mistake in the form, a link that could not be spent in that
// round), the POST takes the full path: look the link up first, then decide.
import { addressesKeptWords, isCheckBack, retentionOf, thresholdInForce } from '../domain/request-life.ts';
import { paths } from '../http/paths.ts';
import { Router, type Request, type Response } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { createFailureLimit } from '../http/rate-limit.ts';
import { formParser, parseForm, refuseNulCharacters } from '../http/forms.ts';
import { sameOriginOnly } from '../http/csrf.ts';
import { hashLinkToken, isWellFormedLinkToken } from '../rounds/link-tokens.ts';
import { formatDateIn, formatNumberIn } from '../i18n/format.ts';
import { localeOr, t, type Locale } from '../i18n/translate.ts';
import { fromAcceptLanguage } from '../i18n/negotiate.ts';
import { closingTimeForTeam } from '../rounds/people.ts';
import { zoneOf } from '../auth/users.ts';
import { linkSecretOf } from '../rounds/survey-links.ts';
import { roundKey, sealAnswers } from './sealing.ts';
import {
  findLink,
  spendLinkAndStoreSealed,
  type SpentRound,
  type SurveyQuestion,
  type SurveyRequest,
} from './queries.ts';
import { linkState, type LinkState } from './link-state.ts';
import { FORM_ERROR, MAX_COMMENT_LENGTH, toAnswers } from './form.ts';
import { questionViews, surveyLength } from './view.ts';
import { createSurveyCache, surveyPageKey, thankYouKey, type RoundShown, type ThankYouShown } from './survey-cache.ts';

/**
 * Guessing links: each client (by a keyed hash of its IP address) may meet this many unknown
 * or malformed links per window; then every survey page answers 429 until the window ends.
 * Only failed lookups are counted, so answering through a working link writes nothing.
 */
export const SURVEY_LINK_LIMITS = { failuresPerClient: 20, windowMinutes: 15 };

type OpenLink = Extract<LinkState, { kind: 'open' }>;
type ClosedLink = Exclude<LinkState, { kind: 'open' }>;

/** Used and closed links speak the round's language; an unknown link, the browser's. */
function showLinkProblem(res: Response, state: ClosedLink) {
  const locale: Locale =
    state.kind === 'unknown' ? fromAcceptLanguage(res.req.headers['accept-language']) : localeOr(state.locale);
  if (state.kind === 'used') {
    return res.status(410).render('survey/link-used', { locale, title: t(locale, 'survey.linkUsed.title') });
  }
  if (state.kind === 'closed') {
    return res.status(410).render('survey/link-closed', {
      locale,
      title: t(locale, 'survey.linkClosed.title'),
      closedOn: formatDateIn(locale, state.closedOn),
    });
  }
  return res.status(404).render('survey/link-unknown', { locale, title: t(locale, 'survey.linkUnknown.title') });
}

export function surveyRoutes(deps: RouteDeps): Router {
  const { db, clock, config } = deps;
  const thresholdOf = (request: Pick<SurveyRequest, 'anonymity_threshold'>) =>
    thresholdInForce(request, config.ANONYMITY_THRESHOLD);
  const router = Router();
  const secret = linkSecretOf(config);
  const retention = retentionOf(config);
  const sealed = (requestId: string, questions: SurveyQuestion[], form: Record<string, string | undefined>) =>
    sealAnswers(roundKey(secret, requestId), questions, toAnswers(questions, form));
  // Questions, form schema and blank page are the same for every invitee of a round.
  const cache = createSurveyCache(db, { pages: config.NODE_ENV !== 'development' });
  const guesses = createFailureLimit(
    { db, clock, secret: config.SESSION_SECRET },
    {
      name: 'survey-link',
      limit: SURVEY_LINK_LIMITS.failuresPerClient,
      windowMinutes: SURVEY_LINK_LIMITS.windowMinutes,
      keyOf: (req) => req.ip,
    },
  );

  // A survey page belongs to one person: no shared cache or back-forward copy may keep it.
  router.use('/s', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    // Team members have no account: the header offers no sign-in here.
    res.locals.anonymousPage = true;
    next();
  });

  /** The link's state, by its token's hash; malformed tokens never reach the database. */
  async function lookUp(token: string, now: Date): Promise<{ state: LinkState; tokenHash: string }> {
    if (!isWellFormedLinkToken(token)) return { state: { kind: 'unknown' }, tokenHash: '' };
    const tokenHash = hashLinkToken(token);
    return { state: linkState(await findLink(db, tokenHash), now), tokenHash };
  }

  const shownOf = ({ request, people }: OpenLink): RoundShown => ({ request, people, threshold: thresholdOf(request) });

  function surveyLocals(
    { request, people }: OpenLink,
    questions: SurveyQuestion[],
    form: { values?: Record<string, unknown>; errors?: Record<string, string> },
  ) {
    const locale = localeOr(request.survey_language);
    const views = questionViews(questions, form.values, form.errors, locale);
    const summary = [
      ...(form.errors?.[FORM_ERROR] ? [{ text: form.errors[FORM_ERROR] }] : []),
      ...views
        .filter((q) => q.error)
        .map((q) => ({ href: `#${q.anchor}`, text: t(locale, 'survey.errorSummary.item', q as { number: number }) })),
    ];
    const title = t(locale, 'survey.pageTitle', {
      kind: isCheckBack(request) ? 'checkBack' : 'round',
      managerName: people.managerName,
    });
    return {
      locale,
      title: summary.length ? t(locale, 'survey.errorTitle', { title }) : title,
      ...people,
      checkBack: isCheckBack(request),
      closesOn: closingTimeForTeam(
        request.closes_at,
        zoneOf({ timeZone: people.leaderZone }, config.TIME_ZONE),
        locale,
      ),
      teamNote: request.team_note.trim(),
      threshold: thresholdOf(request),
      addressesKept: addressesKeptWords({ kind: request.kind, managerName: people.managerName }, retention, locale),
      maxLength: formatNumberIn(locale, MAX_COMMENT_LENGTH),
      questions: views,
      questionCount: views.length,
      length: surveyLength(questions, locale),
      summary,
    };
  }

  function renderSurvey(
    res: Response,
    link: OpenLink,
    questions: SurveyQuestion[],
    form: { status: number; values?: Record<string, unknown>; errors?: Record<string, string> },
  ) {
    res.status(form.status).render('survey/survey', surveyLocals(link, questions, form));
  }

  /** A link we do not know counts against the client; used and closed links do not. */
  async function refuse(req: Request, res: Response, state: ClosedLink) {
    if (state.kind === 'unknown') await guesses.recordFailure(req);
    showLinkProblem(res, state);
  }

  /** Renders a view to a string, for the pages kept in the cache. */
  function renderToString(res: Response, view: string, locals: object): Promise<string> {
    return new Promise((resolve, reject) =>
      res.render(view, locals, (error: Error | null, page?: string) => (error ? reject(error) : resolve(page!))),
    );
  }

  /**
   * Writes a page kept as bytes. No ETag: these pages are `no-store`, so nothing would ever
   * send it back, and hashing 15 KB per view was a measurable part of the survey's time.
   */
  function sendPage(res: Response, page: Buffer) {
    res.type('html').set('Content-Length', String(page.length)).end(page);
  }

  /** The thank-you page, rendered once per round (and per closing date, threshold and name). */
  async function sendThankYou(res: Response, requestId: string, { request, leaderName, leaderZone }: SpentRound) {
    const shown: ThankYouShown = {
      requestId,
      closesAt: request.closes_at,
      threshold: thresholdOf(request),
      leaderName,
      locale: localeOr(request.survey_language),
      // The closing day on the round's clock (its leader's), as the survey page gives it.
      zone: zoneOf({ timeZone: leaderZone }, config.TIME_ZONE),
    };
    const page = await cache.page(thankYouKey(shown), () =>
      renderToString(res, 'survey/thank-you', {
        locale: shown.locale,
        title: t(shown.locale, 'survey.thankYou.title'),
        leaderName,
        closesOn: formatDateIn(shown.locale, shown.closesAt, shown.zone),
        threshold: shown.threshold,
      }),
    );
    sendPage(res, page);
  }

  router.get(paths.survey(':token'), guesses.check, async (req, res) => {
    const { state } = await lookUp(String(req.params.token), clock.now());
    if (state.kind !== 'open') return refuse(req, res, state);
    // Rendered once per round (and per closing date, note and names), then served as it is.
    const page = await cache.page(surveyPageKey(shownOf(state)), async () =>
      renderToString(res, 'survey/survey', surveyLocals(state, await cache.questions(state.request.id), {})),
    );
    sendPage(res, page);
  });

  /**
   * The one-round-trip path: the round the answers name, valid answers to it, and the link
   * spent in that round. Resolves whether it answered; if not, nothing was written.
   */
  async function storeDirectly(req: Request, res: Response, token: string, now: Date): Promise<boolean> {
    const requestId = isWellFormedLinkToken(token) ? cache.roundOfForm(req.body) : undefined;
    if (!requestId) return false;
    const questions = await cache.questions(requestId);
    // Only whether the form is valid counts here: a mistake takes the full path, in the round's language.
    const form = parseForm(cache.schema(questions), req.body);
    if (!form.ok) return false;
    const spent = await spendLinkAndStoreSealed(db, {
      tokenHash: hashLinkToken(token),
      requestId,
      now,
      sealed: sealed(requestId, questions, form.data),
    });
    if (!spent) return false;
    await sendThankYou(res, requestId, spent);
    return true;
  }

  // Mounted before the app's own body parsers (app.ts): a survey answer reads its form here,
  // and one posted from another site is refused like any other form.
  router.post(
    paths.survey(':token'),
    sameOriginOnly(config.BASE_URL),
    formParser,
    refuseNulCharacters,
    guesses.check,
    async (req, res) => {
      const now = clock.now();
      const token = String(req.params.token);
      if (await storeDirectly(req, res, token, now)) return;

      const { state, tokenHash } = await lookUp(token, now);
      if (state.kind !== 'open') return refuse(req, res, state);
      const { request } = state;
      const questions = await cache.questions(request.id);
      const form = parseForm(cache.schema(questions, localeOr(request.survey_language)), req.body);
      if (!form.ok)
        return renderSurvey(res, state, questions, { status: 422, values: form.values, errors: form.errors });

      const spent = await spendLinkAndStoreSealed(db, {
        tokenHash,
        requestId: request.id,
        now,
        sealed: sealed(request.id, questions, form.data),
      });
      if (!spent) {
        // Another submission of this link won the race, or the round closed meanwhile.
        const after = linkState(await findLink(db, tokenHash), now);
        return showLinkProblem(res, after.kind === 'open' ? { kind: 'used' } : after);
      }
      await sendThankYou(res, request.id, spent);
    },
  );

  return router;
}
