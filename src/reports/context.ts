// Loads a round for the signed-in person and decides what they may do with it. Everyone who
// is neither its leader nor its manager gets the same 404 as for a round that does not
// exist, so the address reveals nothing.
import type { Request } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { notAllowed, notFound } from '../http/errors.ts';
import { roundResponses } from './round-results.ts';
import { reportStage, viewerOf, type ReportStage, type Viewer } from './access.ts';
import { idsOf } from '../http/params.ts';
import { isCheckBack, isReleased, thresholdInForce } from '../domain/request-life.ts';
import { signedInUser } from '../auth/require-sign-in.ts';
import { findReportRound, type ReportRound } from './queries.ts';
import { localeOr, t, type Locale } from '../i18n/translate.ts';

export interface ReportContext {
  round: ReportRound;
  viewer: Viewer;
  threshold: number;
  responses: number;
  stage: ReportStage;
  /** The reader's language (the page's), for what is said to them when they may not act. */
  locale: Locale;
}

export async function loadReportContext(
  db: Kysely<Database>,
  req: Request,
  fallbackThreshold: number,
): Promise<ReportContext> {
  const { id } = idsOf(req, 'id');
  const round = await findReportRound(db, id);
  const user = signedInUser(req);
  const viewer = round && viewerOf(round, user);
  // A check-back has no report of its own (its results are in its round's: src/check-back/).
  if (!round || !viewer || isCheckBack(round)) throw notFound();
  const threshold = thresholdInForce(round, fallbackThreshold);
  // Stored at close and read with the round; counted (and stored) only for a round without.
  const responses = round.storedResponses ?? (await roundResponses(db, round, threshold));
  const stage = reportStage(round, viewer, responses, threshold);
  return { round, viewer, threshold, responses, stage, locale: localeOr(req.res?.locals.locale) };
}

const forbidden = notAllowed;

/** The leader's tools work while the report exists for them: closed or released, k met. */
export function assertLeaderTools(ctx: ReportContext): void {
  if (ctx.viewer !== 'leader')
    throw forbidden(t(ctx.locale, 'report.forbidden.leaderOnly', { leaderName: ctx.round.leaderName }));
  if (ctx.stage !== 'report') throw forbidden(t(ctx.locale, 'report.forbidden.noReport'));
}

/** Focus points belong to the one-on-one, so both people may use them, after the release. */
export function assertReleased(ctx: ReportContext): void {
  if (ctx.stage !== 'report' || !isReleased(ctx.round)) {
    throw forbidden(t(ctx.locale, 'report.forbidden.notReleased'));
  }
}

/**
 * Focus points are agreed in the one-on-one, which comes before the release: the leader may
 * write them down once the report exists for them, the manager once it is released.
 */
export function assertFocusPoints(ctx: ReportContext): void {
  if (ctx.viewer === 'leader' && ctx.stage === 'report') return;
  assertReleased(ctx);
}

export function assertManagerAfterRelease(ctx: ReportContext): void {
  assertReleased(ctx);
  if (ctx.viewer !== 'manager')
    throw forbidden(t(ctx.locale, 'report.forbidden.managerOnly', { managerName: ctx.round.managerName }));
}
