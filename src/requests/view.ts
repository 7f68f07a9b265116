// A request's state as its manager reads it, in words: the status's own words, with the
// leader who has it or the closing date where they help, in the reader's language.
import { statusWord, isReleased, type RequestStatus } from '../domain/request-life.ts';
import { formatDateIn } from '../i18n/format.ts';
import { t, type Locale } from '../i18n/translate.ts';

export function stateInWords(
  request: {
    status: RequestStatus;
    leader_email: string;
    leader_name?: string | null;
    closes_at: Date;
  },
  locale: Locale,
): string {
  if (request.status === 'submitted')
    return t(locale, 'requests.state.waitingFor', { leader: request.leader_name || request.leader_email });
  if (request.status === 'open')
    return t(locale, 'requests.state.openUntil', { date: formatDateIn(locale, request.closes_at) });
  return statusWord('manager', request.status, locale);
}

/** A row of "Your requests": its title, what state it is in, and the one next step it offers. */
export function listItem(
  request: {
    id: string;
    status: RequestStatus;
    leader_email: string;
    leader_name: string | null;
    closes_at: Date;
    answered: number | null;
  },
  locale: Locale,
) {
  const leader = request.leader_name || request.leader_email;
  const draft = request.status === 'draft';
  const title = draft
    ? leader
      ? t(locale, 'requests.list.draftFor', { leader })
      : t(locale, 'requests.list.draftUnsent')
    : t(locale, 'requests.list.collectedBy', { leader });
  return {
    title,
    state: stateInWords(request, locale),
    draft,
    answeredKnown: request.answered !== null,
    report: isReleased(request),
  };
}
