// Who may see what of a round's report (PRODUCT.md, "People and what each can see"):
// the leader once the round closed with at least k answers; the manager only once the
// leader released it; nobody while the round is open; nobody else at all.
import { hasReport, isOpen, isReleased } from '../domain/request-life.ts';
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

export function reportStage(
  round: Pick<ReportRound, 'status'>,
  viewer: Viewer,
  responses: number,
  threshold: number,
): ReportStage {
  if (isOpen(round)) return 'open';
  if (!hasReport(round)) return 'none';
  if (responses < threshold) return 'too-few';
  if (viewer === 'manager' && !isReleased(round)) return 'awaiting-release';
  return 'report';
}
