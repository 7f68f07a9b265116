// A request's state as its manager reads it, in words.
import type { RequestStatus } from '../db/schema.ts';
import { formatDate } from '../lib/dates.ts';

export function stateInWords(request: { status: RequestStatus; leader_email: string; closes_at: Date }): string {
  switch (request.status) {
    case 'draft':
      return 'Draft';
    case 'submitted':
      return `Waiting for ${request.leader_email}`;
    case 'declined':
      return 'Declined';
    case 'open':
      return `Open until ${formatDate(request.closes_at)}`;
    case 'closed':
      return 'Closed';
    case 'released':
      return 'Released';
  }
}
