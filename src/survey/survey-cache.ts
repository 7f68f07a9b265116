// What every invitee of an open round shares, made once per process instead of once per
// request: the round's questions (fixed from launch on: only drafts are edited), the form's
// zod schema built from them, the blank survey page and the thank-you page. Nothing here is
// about a person: the pages hold no token (the form posts back to its own address) and no
// answer. Pages are kept as bytes, ready to write.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { BoundedCache } from '../lib/bounded-cache.ts';
import { surveySchema } from './survey-form.ts';
import { findQuestions, type SurveyPeople, type SurveyQuestion, type SurveyRequest } from './survey-repository.ts';

/** Rounds kept per process; a round's entries are a few kilobytes. */
const ROUNDS = 500;

export interface SurveyCache {
  /** The questions of a launched round, in order. */
  questions(requestId: string): Promise<SurveyQuestion[]>;
  schema(questions: SurveyQuestion[]): ReturnType<typeof surveySchema>;
  /**
   * A page of an open round that is the same for each of its invitees (`kind`: the blank
   * survey, the thank-you page). Keyed by everything such a page shows that may still change
   * while the round is open (closing date, note, names, threshold), so an edit makes a new
   * page rather than showing an old one.
   */
  page(kind: string, round: RoundShown, render: () => Promise<string>): Promise<Buffer>;
}

/** What the round's shared pages show that the leader may still change. */
export interface RoundShown {
  request: SurveyRequest;
  people: SurveyPeople;
  threshold: number;
}

/** `pages: false` (development) renders every page afresh, so template edits show at once. */
export function createSurveyCache(db: Kysely<Database>, opts: { pages: boolean }): SurveyCache {
  const questions = new BoundedCache<SurveyQuestion[]>(ROUNDS);
  const pages = new BoundedCache<Buffer>(ROUNDS * 2);
  const schemas = new WeakMap<SurveyQuestion[], ReturnType<typeof surveySchema>>();
  return {
    questions: (requestId) => questions.get(requestId, () => findQuestions(db, requestId)),
    schema(list) {
      let schema = schemas.get(list);
      if (!schema) {
        schema = surveySchema(list);
        schemas.set(list, schema);
      }
      return schema;
    },
    page(kind, { request, people, threshold }, render) {
      const bytes = async () => Buffer.from(await render());
      if (!opts.pages) return bytes();
      const key = JSON.stringify([kind, request.id, request.closes_at.toISOString(), request.team_note, threshold, people.managerName, people.leaderName]);
      return pages.get(key, bytes);
    },
  };
}
