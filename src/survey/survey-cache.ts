// What every invitee of an open round shares, made once per process instead of once per
// request: the round's questions (fixed from launch on: only drafts are edited), the form's
// zod schema built from them, and the blank survey page itself. Nothing here is about a
// person: the page holds no token (the form posts back to its own address) and no answer.
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
   * The blank survey page of an open round. Keyed by everything the page shows that may
   * still change while the round is open (closing date, note, names, threshold), so an edit
   * makes a new page rather than showing an old one.
   */
  blankPage(request: SurveyRequest, people: SurveyPeople, threshold: number, render: () => Promise<string>): Promise<string>;
}

/** `pages: false` (development) renders every page afresh, so template edits show at once. */
export function createSurveyCache(db: Kysely<Database>, opts: { pages: boolean }): SurveyCache {
  const questions = new BoundedCache<SurveyQuestion[]>(ROUNDS);
  const pages = new BoundedCache<string>(ROUNDS);
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
    blankPage(request, people, threshold, render) {
      const key = JSON.stringify([request.id, request.closes_at.toISOString(), request.team_note, threshold, people.managerName, people.leaderName]);
      return opts.pages ? pages.get(key, render) : render();
    },
  };
}
