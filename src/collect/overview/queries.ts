// Totals across the teams a leader collects feedback from, computed in SQL over each
// manager's latest round. A total only ever includes rounds that met their own anonymity
// threshold: were a team with fewer than k answers in it, that team's figures could be worked
// out by subtracting the other teams' reports from the total. Callers own transactions.
import { REPORT_STATUSES } from '../../domain/request-life.ts';
import { type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { answeredCount } from '../../rounds/round-queries.ts';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * One row per manager: their latest request the leader was sent (never a draft), with its
 * threshold (the one recorded at launch; the deployment's for rounds not launched) and how
 * many answered, counted from the anonymous responses.
 */
function latestRounds(db: Db, leaderEmail: string, fallbackThreshold: number) {
  return (
    db
      .selectFrom('feedback_requests as r')
      .distinctOn('r.manager_id')
      .select((eb) => [
        'r.id',
        'r.status',
        'r.invited_count',
        eb.fn.coalesce('r.anonymity_threshold', eb.val(fallbackThreshold)).as('threshold'),
        answeredCount(eb.ref('r.id'), eb.ref('r.response_count')).as('answered'),
      ])
      .where('r.leader_email', '=', leaderEmail)
      .where('r.status', '!=', 'draft')
      // A check-back is part of its round's follow-through, never a team's latest round.
      .where('r.kind', '=', 'round')
      // DISTINCT ON keeps the first row of each manager in this order: the newest request.
      .orderBy('r.manager_id')
      .orderBy('r.created_at', 'desc')
      .orderBy('r.id')
  );
}

type LatestRef = ExpressionBuilder<{ l: { status: string; answered: number | null; threshold: number } }, 'l'>;

const hasReport = (eb: LatestRef) => eb('l.status', 'in', [...REPORT_STATUSES]);
const metThreshold = (eb: LatestRef) => eb.and([hasReport(eb), eb('l.answered', '>=', eb.ref('l.threshold'))]);
const belowThreshold = (eb: LatestRef) => eb.and([hasReport(eb), eb('l.answered', '<', eb.ref('l.threshold'))]);

export interface ParticipationTotals {
  /** Teams whose latest round closed with at least its threshold of answers: the only ones counted. */
  teams: number;
  answered: number;
  invited: number;
  /** Teams whose latest round closed with fewer answers than its threshold: left out. */
  tooFew: number;
  /** The smallest and largest threshold among the teams left out (equal in most deployments). */
  tooFewThresholds: { min: number; max: number } | null;
  /** Teams whose latest round has not closed (waiting, declined or open): not counted yet. */
  notClosed: number;
}

export async function participationTotals(
  db: Db,
  leaderEmail: string,
  fallbackThreshold: number,
): Promise<ParticipationTotals> {
  const row = await db
    .selectFrom(latestRounds(db, leaderEmail, fallbackThreshold).as('l'))
    .select((eb) => [
      eb.fn.countAll<number>().filterWhere(metThreshold(eb)).as('teams'),
      eb.fn.sum<number>('l.answered').filterWhere(metThreshold(eb)).as('answered'),
      eb.fn.sum<number>('l.invited_count').filterWhere(metThreshold(eb)).as('invited'),
      eb.fn.countAll<number>().filterWhere(belowThreshold(eb)).as('too_few'),
      eb.fn.min<number>('l.threshold').filterWhere(belowThreshold(eb)).as('too_few_min'),
      eb.fn.max<number>('l.threshold').filterWhere(belowThreshold(eb)).as('too_few_max'),
      eb.fn
        .countAll<number>()
        .filterWhere((f) => f.not(hasReport(f)))
        .as('not_closed'),
    ])
    .executeTakeFirstOrThrow();
  // PostgreSQL hands back counts and sums as strings (bigint, numeric), and sums of nothing as null.
  return {
    teams: Number(row.teams),
    answered: Number(row.answered ?? 0),
    invited: Number(row.invited ?? 0),
    tooFew: Number(row.too_few),
    tooFewThresholds: row.too_few_min === null ? null : { min: Number(row.too_few_min), max: Number(row.too_few_max) },
    notClosed: Number(row.not_closed),
  };
}

export interface StatementAverage {
  prompt: string;
  /** Counted teams (latest round met its threshold) whose round asked this statement. */
  asked: number;
  /** Of those, the teams where the statement itself had at least k answers: the ones averaged. */
  teams: number;
  /** The average of those teams' means (each team weighs the same), or null when none. */
  mean: number | null;
}

/**
 * Per agree statement (matched by identical wording) across the counted teams: the average of
 * each team's mean. A team's mean enters only when that statement had at least the round's
 * threshold of answers, exactly when its report shows the mean (src/reports/aggregate.ts):
 * "not applicable" and empty answers have no value and are not counted, as there.
 */
export async function statementAverages(
  db: Db,
  leaderEmail: string,
  fallbackThreshold: number,
): Promise<StatementAverage[]> {
  const perTeam = db
    .selectFrom(latestRounds(db, leaderEmail, fallbackThreshold).as('l'))
    .innerJoin('request_questions as q', 'q.request_id', 'l.id')
    .leftJoin('answers as a', (join) => join.onRef('a.question_id', '=', 'q.id').on('a.value', 'is not', null))
    .select((eb) => [
      'q.prompt',
      'l.threshold',
      eb.fn.min('q.position').as('position'),
      eb.fn.count<number>('a.value').as('answered'),
      eb.fn.avg<number>('a.value').as('mean'),
    ])
    .where(metThreshold)
    .where('q.kind', '=', 'agree')
    .groupBy(['q.id', 'q.prompt', 'l.threshold']);

  const rows = await db
    .selectFrom(perTeam.as('t'))
    .select((eb) => [
      't.prompt',
      eb.fn.countAll<number>().as('asked'),
      eb.fn.countAll<number>().filterWhere('t.answered', '>=', eb.ref('t.threshold')).as('teams'),
      eb.fn.avg<number>('t.mean').filterWhere('t.answered', '>=', eb.ref('t.threshold')).as('mean'),
    ])
    .groupBy('t.prompt')
    .orderBy((eb) => eb.fn.min('t.position'))
    .orderBy('t.prompt')
    .execute();
  return rows.map((row) => ({
    prompt: row.prompt,
    asked: Number(row.asked),
    teams: Number(row.teams),
    mean: row.mean === null ? null : Number(row.mean),
  }));
}

/**
 * What followed each of these rounds, in one statement: the next round's date, the one-on-one's
 * start and cancellation (only those columns of one_on_ones, which the one-on-one page fills),
 * when the reply to the team went. The focus points and their check-backs come from
 * src/check-back/page.ts, as the report shows them.
 */
export async function followThrough(db: Db, requestIds: string[]) {
  if (requestIds.length === 0) return [];
  return db
    .selectFrom('feedback_requests as r')
    .leftJoin('one_on_ones as o', 'o.request_id', 'r.id')
    .leftJoin('team_replies as t', 't.request_id', 'r.id')
    .select(['r.id', 'r.next_round_on', 'o.starts_at', 'o.cancelled_at', 't.sent_at as reply_sent_at'])
    .where('r.id', 'in', requestIds)
    .execute();
}

export type FollowThrough = Awaited<ReturnType<typeof followThrough>>[number];
