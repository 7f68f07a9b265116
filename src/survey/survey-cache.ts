// What every invitee of an open round shares, made once per process instead of once per
// request: the round's questions (fixed from launch on: only drafts are edited), the form's
// zod schema built from them, the blank survey page and the thank-you page. Nothing here is
// about a person: the pages hold no token (the form posts back to its own address) and no
// answer. Pages are kept as bytes, ready to write.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { BoundedCache } from '../lib/bounded-cache.ts';
import { questionIdOf, surveySchema } from './form.ts';
import { questionsOf } from '../rounds/round-queries.ts';
import { type SurveyPeople, type SurveyQuestion, type SurveyRequest } from './queries.ts';
import type { Locale } from '../i18n/translate.ts';
import { SOURCE_LOCALE } from '../i18n/catalogues.ts';

/** Rounds kept per process; a round's entries are a few kilobytes. */
const ROUNDS = 500;

export interface SurveyCache {
  /** The questions of a launched round, in order. */
  questions(requestId: string): Promise<SurveyQuestion[]>;
  /**
   * The round a posted form answers, by its first answer's field (`q-<question id>`), if that
   * round's questions are loaded in this process; undefined otherwise. Only rounds looked up
   * through a real link get here, so a forged field never reaches the database.
   */
  roundOfForm(body: unknown): string | undefined;
  /**
   * The form's schema, its messages in the round's language. Without a language, any one kept:
   * every language's schema accepts and refuses the same forms.
   */
  schema(questions: SurveyQuestion[], locale?: Locale): ReturnType<typeof surveySchema>;
  /**
   * A page of an open round that is the same for each of its invitees (the blank survey, the
   * thank-you page). Keyed by the page and everything it shows that may still change while
   * the round is open (closing date, note, names, threshold: surveyPageKey, thankYouKey), so
   * an edit makes a new page rather than showing an old one.
   */
  page(key: string, render: () => Promise<string>): Promise<Buffer>;
}

/** What the blank survey page shows that the leader may still change. */
export interface RoundShown {
  request: SurveyRequest;
  people: SurveyPeople;
  threshold: number;
}

/** What the thank-you page shows that the leader may still change. */
export interface ThankYouShown {
  requestId: string;
  closesAt: Date;
  threshold: number;
  leaderName: string;
  locale: Locale;
  /** The round's clock, its leader's: the closing date is the day there. */
  zone: string;
}

export const surveyPageKey = ({ request, people, threshold }: RoundShown) =>
  JSON.stringify([
    'survey',
    request.id,
    request.closes_at.toISOString(),
    request.survey_language,
    request.team_note,
    threshold,
    people.managerName,
    people.leaderName,
    people.leaderZone,
  ]);

export const thankYouKey = ({ requestId, closesAt, threshold, leaderName, locale, zone }: ThankYouShown) =>
  JSON.stringify(['thank-you', requestId, closesAt.toISOString(), threshold, leaderName, locale, zone]);

/** `pages: false` (development) renders every page afresh, so template edits show at once. */
export function createSurveyCache(db: Kysely<Database>, opts: { pages: boolean }): SurveyCache {
  const questions = new BoundedCache<SurveyQuestion[]>(ROUNDS);
  const pages = new BoundedCache<Buffer>(ROUNDS * 2);
  const schemas = new WeakMap<SurveyQuestion[], { locale: Locale; schema: ReturnType<typeof surveySchema> }>();
  // Question id -> its round, for the rounds loaded above. Question ids are never reused, so
  // an entry never goes stale; the map is only emptied now and then to bound it.
  const roundOfQuestion = new Map<string, string>();
  const load = async (requestId: string) => {
    const list = await questionsOf(db, requestId);
    if (roundOfQuestion.size > ROUNDS * 100) roundOfQuestion.clear();
    for (const question of list) roundOfQuestion.set(question.id, requestId);
    return list;
  };
  return {
    questions: (requestId) => questions.get(requestId, () => load(requestId)),
    roundOfForm(body) {
      if (!body || typeof body !== 'object') return undefined;
      for (const field in body) {
        // Only the first answer: a form that mixes rounds fails validation anyway.
        const questionId = questionIdOf(field);
        if (questionId) return roundOfQuestion.get(questionId);
      }
      return undefined;
    },
    schema(list, locale) {
      let found = schemas.get(list);
      if (!found || (locale && found.locale !== locale)) {
        const inLocale = locale ?? SOURCE_LOCALE;
        found = { locale: inLocale, schema: surveySchema(list, inLocale) };
        schemas.set(list, found);
      }
      return found.schema;
    },
    page(key, render) {
      const bytes = async () => Buffer.from(await render());
      return opts.pages ? pages.get(key, bytes) : bytes();
    },
  };
}
