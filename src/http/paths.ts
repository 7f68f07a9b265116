// Every address of Upward, built in one place. Routes mount the same functions with
// parameter names (`paths.collect.launch(':id')` is '/collect/:id/launch'), views build links
// with {{path "collect.launch" request.id}}, and emails get the paths their links go to.
type Id = string;

export const paths = {
  home: () => '/',
  start: () => '/start',
  signIn: () => '/sign-in',
  signInCheckEmail: () => '/sign-in/check-email',
  signInLink: (token: string) => `/sign-in/link/${token}`,
  /** Single sign-on: the POST leaves for the OpenID provider, which sends the browser back to the callback. */
  signInOidc: () => '/sign-in/oidc',
  signInOidcCallback: () => '/sign-in/oidc/callback',
  welcome: () => '/welcome',
  account: () => '/account',
  accountName: () => '/account/name',
  accountLanguage: () => '/account/language',
  accountTimeZone: () => '/account/time-zone',
  signOut: () => '/sign-out',
  signOutEverywhere: () => '/sign-out/everywhere',
  signedOut: () => '/signed-out',
  survey: (token: string) => `/s/${token}`,
  requests: {
    list: () => '/requests',
    new: () => '/requests/new',
    show: (id: Id) => `/requests/${id}`,
    edit: (id: Id) => `/requests/${id}/edit`,
    reopen: (id: Id) => `/requests/${id}/reopen`,
    delete: (id: Id) => `/requests/${id}/delete`,
    /** The manager's answers about themself while the round is open. */
    selfAssessment: (id: Id) => `/requests/${id}/self-assessment`,
  },
  collect: {
    list: () => '/collect',
    show: (id: Id) => `/collect/${id}`,
    removeInvitee: (id: Id, invitationId: Id) => `/collect/${id}/invitees/${invitationId}/remove`,
    launch: (id: Id) => `/collect/${id}/launch`,
    decline: (id: Id) => `/collect/${id}/decline`,
    extend: (id: Id) => `/collect/${id}/extend`,
    remind: (id: Id) => `/collect/${id}/remind`,
    close: (id: Id) => `/collect/${id}/close`,
  },
  reports: {
    show: (id: Id) => `/reports/${id}`,
    csv: (id: Id) => `/reports/${id}.csv`,
    release: (id: Id) => `/reports/${id}/release`,
    notes: (id: Id) => `/reports/${id}/notes`,
    comment: (id: Id, answerId: Id, action: string) => `/reports/${id}/comments/${answerId}/${action}`,
    focusPoints: (id: Id) => `/reports/${id}/focus-points`,
    focusPointDone: (id: Id, pointId: Id) => `/reports/${id}/focus-points/${pointId}/done`,
    followUp: (id: Id) => `/reports/${id}/follow-up`,
    /** The leader's one-on-one with the manager: agenda, meeting and its invitation. */
    oneOnOne: (id: Id) => `/reports/${id}/one-on-one`,
    oneOnOneAgenda: (id: Id) => `/reports/${id}/one-on-one/agenda`,
    oneOnOneMeeting: (id: Id) => `/reports/${id}/one-on-one/meeting`,
    oneOnOneCancel: (id: Id) => `/reports/${id}/one-on-one/cancel`,
    nextRound: (id: Id) => `/reports/${id}/next-round`,
    /** The manager's reply to the team after the release: write, preview, send once. */
    reply: (id: Id) => `/reports/${id}/reply`,
    replyPreview: (id: Id) => `/reports/${id}/reply/preview`,
    replySend: (id: Id) => `/reports/${id}/reply/send`,
    /** The check-back on the round's focus points: offered on a follow-up date, launched by the leader. */
    checkBack: (id: Id) => `/reports/${id}/check-back`,
    checkBackLaunch: (id: Id) => `/reports/${id}/check-back/launch`,
    /** The manager pastes the team again once their addresses were deleted. */
    checkBackTeam: (id: Id) => `/reports/${id}/check-back/team`,
  },
  mailbox: {
    list: () => '/dev/mailbox',
    show: (id: Id) => `/dev/mailbox/${id}`,
    html: (id: Id) => `/dev/mailbox/${id}/html`,
  },
};

/** A path with a query (`?done=saved`) and a fragment, leaving out what is empty. */
export function withQuery(path: string, query: Record<string, string | undefined>, fragment?: string): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, value);
  return `${path}${search.size ? `?${search}` : ''}${fragment ? `#${fragment}` : ''}`;
}

type PathFunction = (...args: string[]) => string;

/** The view helper's lookup: "collect.launch" → paths.collect.launch. */
export function pathByName(name: string): PathFunction {
  let found: unknown = paths;
  for (const part of name.split('.')) found = (found as Record<string, unknown> | undefined)?.[part];
  if (typeof found !== 'function') throw new Error(`No path is named ${name}`);
  return found as PathFunction;
}
