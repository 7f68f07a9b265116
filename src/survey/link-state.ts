// What a survey link leads to right now. Used and closed links say so kindly; a link we do
// not know and one that is not even shaped like ours get the same page, so nobody can probe
// which links exist.
import { hasReport } from '../domain/request-life.ts';
import type { LinkLookup, SurveyPeople, SurveyRequest } from './queries.ts';

export type LinkState =
  | { kind: 'open'; request: SurveyRequest; people: SurveyPeople }
  | { kind: 'used'; locale?: string }
  | { kind: 'closed'; closedOn: Date; locale?: string }
  | { kind: 'unknown' };

export function linkState(lookup: LinkLookup | undefined, now: Date): LinkState {
  if (!lookup) return { kind: 'unknown' };
  const { request } = lookup;
  // Links exist only from launch on, so any other status means the link is not ours to show.
  if (hasReport(request)) {
    return { kind: 'closed', closedOn: request.closed_at ?? request.closes_at, locale: request.survey_language };
  }
  if (request.status !== 'open') return { kind: 'unknown' };
  // Past its closing time the round is closed, even before the closing job has run.
  if (request.closes_at.getTime() <= now.getTime())
    return { kind: 'closed', closedOn: request.closes_at, locale: request.survey_language };
  if (!lookup.hasBallot) return { kind: 'used', locale: request.survey_language };
  return { kind: 'open', request, people: lookup.people };
}
