// A request's state as its manager reads it, in words: the status's own words, with the
// leader who has it or the closing date where they help.
import { statusWord, isReleased, type RequestStatus } from '../domain/request-life.ts';
import { formatDate } from '../lib/dates.ts';

export function stateInWords(request: {
  status: RequestStatus;
  leader_email: string;
  leader_name?: string | null;
  closes_at: Date;
}): string {
  if (request.status === 'submitted') return `Waiting for ${request.leader_name || request.leader_email}`;
  if (request.status === 'open') return `Open until ${formatDate(request.closes_at)}`;
  return statusWord('manager', request.status);
}

/** A row of "Your requests": its title, what state it is in, and the one next step it offers. */
export function listItem(request: {
  id: string;
  status: RequestStatus;
  leader_email: string;
  leader_name: string | null;
  closes_at: Date;
  answered: number | null;
}) {
  const leader = request.leader_name || request.leader_email;
  const draft = request.status === 'draft';
  return {
    title: draft ? (leader ? `Draft for ${leader}` : 'Draft: not sent yet') : `Feedback collected by ${leader}`,
    state: stateInWords(request),
    draft,
    answeredKnown: request.answered !== null,
    report: isReleased(request),
  };
}
