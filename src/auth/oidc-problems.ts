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

/** Each problem's status; its page's title and message are in the catalogues (auth.oidc.<problem>). */
export const OIDC_PROBLEMS: Record<OidcProblem, number> = {
  denied: 403,
  'provider-error': 502,
  'no-pending-sign-in': 400,
  'wrong-state': 400,
  'code-used': 400,
  'forged-token': 502,
  'expired-token': 502,
  'wrong-audience': 502,
  'bad-response': 502,
  unreachable: 502,
  'no-email': 403,
  'unverified-email': 403,
  domain: 403,
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
