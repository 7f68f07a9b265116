// Who may see what of a round's report (PRODUCT.md, "People and what each can see"):
// the leader once the round closed with at least k answers; the manager only once the
// leader released it; nobody while the round is open; nobody else at all.
import type { ReportRound } from './queries.ts';

export type Viewer = 'leader' | 'manager';

/** What the page shows a viewer instead of, or as, the report. */
export type ReportStage =
  /** Drafts, submitted and declined requests: there is no round, so no report page. */
  | 'none'
  | 'open'
  /** Closed with fewer than k answers: results can never be shown. */
  | 'too-few'
  /** The manager waits for the leader's release. */
  | 'awaiting-release'
  | 'report';

/** The leader wins when one person is both: they collected the answers. */
export function viewerOf(
  round: Pick<ReportRound, 'leader_email' | 'manager_id'>,
  user: { id: string; email: string },
): Viewer | null {
  if (round.leader_email.toLowerCase() === user.email.toLowerCase()) return 'leader';
  if (round.manager_id === user.id) return 'manager';
  return null;
}

/** The threshold recorded at launch; a round launched without one falls back to the deployment's. */
export function thresholdOf(round: Pick<ReportRound, 'anonymity_threshold'>, fallback: number): number {
  return round.anonymity_threshold ?? fallback;
}

export function reportStage(
  round: Pick<ReportRound, 'status'>,
  viewer: Viewer,
  responses: number,
  threshold: number,
): ReportStage {
  if (round.status === 'open') return 'open';
  if (round.status !== 'closed' && round.status !== 'released') return 'none';
  if (responses < threshold) return 'too-few';
  if (viewer === 'manager' && round.status !== 'released') return 'awaiting-release';
  return 'report';
}
