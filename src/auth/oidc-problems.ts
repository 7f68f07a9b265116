// Every way a sign-in with the provider can fail, each with the page a person sees (in the
// style of a broken sign-in link) and the reason written to the log. The page says what
// happened and what to do; the log says why, technically, and never holds a token or code.
import * as client from 'openid-client';
import type { ClaimsProblem } from './oidc-actions.ts';

export type OidcProblem =
  | ClaimsProblem
  | 'denied'
  | 'provider-error'
  | 'no-pending-sign-in'
  | 'wrong-state'
  | 'code-used'
  | 'forged-token'
  | 'expired-token'
  | 'wrong-audience'
  | 'bad-response'
  | 'unreachable';

export const OIDC_PROBLEMS: Record<OidcProblem, { status: number; title: string; message: string }> = {
  denied: {
    status: 403,
    title: 'Sign-in was cancelled at your company account',
    message: 'You, or your company’s sign-in service, declined to sign you in to Upward. Nobody was signed in.',
  },
  'provider-error': {
    status: 502,
    title: 'Your company’s sign-in service could not sign you in',
    message: 'It answered with an error. Try again in a moment; if it keeps happening, tell whoever runs Upward.',
  },
  'no-pending-sign-in': {
    status: 400,
    title: 'This sign-in was not started here, or took too long',
    message:
      'We could not match it to a sign-in begun in this browser in the last few minutes. Start again from the sign-in page.',
  },
  'wrong-state': {
    status: 400,
    title: 'This sign-in does not belong to this browser',
    message:
      'The answer from your company account did not match the sign-in this browser started, so nobody was signed in. Start again from the sign-in page.',
  },
  'code-used': {
    status: 400,
    title: 'This sign-in has already been used',
    message: 'Each answer from your company account works once, for a short time. Start again from the sign-in page.',
  },
  'forged-token': {
    status: 502,
    title: 'We could not verify who you are',
    message:
      'The proof of identity we received was not signed by your company’s sign-in service, so nobody was signed in. Tell whoever runs Upward.',
  },
  'expired-token': {
    status: 502,
    title: 'The proof of identity had expired',
    message:
      'It arrived too late to be trusted (a clock that is wrong on either side can cause this). Start again from the sign-in page.',
  },
  'wrong-audience': {
    status: 502,
    title: 'That proof of identity was meant for another service',
    message: 'Your company’s sign-in service issued it for a different application, so nobody was signed in.',
  },
  'bad-response': {
    status: 502,
    title: 'Your company’s sign-in service gave an answer we could not use',
    message: 'Nobody was signed in. Try again; if it keeps happening, tell whoever runs Upward.',
  },
  unreachable: {
    status: 502,
    title: 'Your company’s sign-in service did not answer',
    message: 'Try again in a moment.',
  },
  'no-email': {
    status: 403,
    title: 'Your company account did not tell us your email address',
    message:
      'Upward knows people by their email address. Ask whoever runs your company’s sign-in service to share it with Upward, or sign in by email link if offered.',
  },
  'unverified-email': {
    status: 403,
    title: 'Your email address is not verified',
    message:
      'Your company’s sign-in service does not vouch for the email address of this account, so we cannot tell it is yours. Nobody was signed in.',
  },
  domain: {
    status: 403,
    title: 'This account cannot use Upward',
    message: 'Upward here is only for the addresses of the organisations that run it. Nobody was signed in.',
  },
};

/** The code openid-client gave its error, and the one of the error beneath it. */
function detailsOf(error: unknown): { code?: string; message: string; claim?: unknown } {
  const code = error instanceof client.ClientError ? error.code : undefined;
  const inner = error instanceof Error ? error.cause : undefined;
  const innerMessage = inner instanceof Error ? inner.message : '';
  const claim = inner instanceof Error ? (inner.cause as { claim?: unknown } | undefined)?.claim : undefined;
  return { code, message: `${error instanceof Error ? error.message : String(error)} ${innerMessage}`, claim };
}

/** Which page an error from openid-client's checks (authorizationCodeGrant) gets. */
export function problemOf(error: unknown): OidcProblem {
  if (error instanceof client.AuthorizationResponseError) {
    return error.error === 'access_denied' ? 'denied' : 'provider-error';
  }
  // The token endpoint refuses a code used before (or expired): invalid_grant.
  if (error instanceof client.ResponseBodyError)
    return error.error === 'invalid_grant' ? 'code-used' : 'provider-error';
  const { code, message, claim } = detailsOf(error);
  switch (code) {
    case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
      return 'expired-token';
    case 'OAUTH_JWT_CLAIM_COMPARISON_FAILED':
      if (claim === 'aud' || claim === 'azp') return 'wrong-audience';
      // A nonce that does not match ties the token to another sign-in: as a wrong state.
      if (claim === 'nonce' || /nonce/.test(message)) return 'wrong-state';
      return 'forged-token';
    case 'OAUTH_KEY_SELECTION_FAILED':
      return 'forged-token';
    case 'OAUTH_INVALID_RESPONSE':
      // The state is checked before anything is sent to the provider; its messages name it.
      if (/"state"/.test(message)) return 'wrong-state';
      if (/signature/.test(message)) return 'forged-token';
      return 'bad-response';
    case 'OAUTH_TIMEOUT':
      return 'unreachable';
  }
  if (error instanceof TypeError && /fetch failed/.test(message)) return 'unreachable';
  return 'bad-response';
}

/** The technical reason, for the log: openid-client's messages name checks, never tokens. */
export function reasonOf(error: unknown): { code?: string; reason: string } {
  if (error instanceof client.AuthorizationResponseError || error instanceof client.ResponseBodyError) {
    return { code: error.error, reason: error.error_description ?? error.message };
  }
  const { code, message } = detailsOf(error);
  return { code, reason: message.trim() };
}
