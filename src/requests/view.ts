// A request's state as its manager reads it, in words: the status's own words, with the
// leader who has it or the closing date where they help.
import { STATUS_WORDS, type RequestStatus } from '../domain/request-life.ts';
import { formatDate } from '../lib/dates.ts';

export function stateInWords(request: { status: RequestStatus; leader_email: string; closes_at: Date }): string {
  if (request.status === 'submitted') return `Waiting for ${request.leader_email}`;
  if (request.status === 'open') return `Open until ${formatDate(request.closes_at)}`;
  return STATUS_WORDS.manager[request.status];
}
