// Survey links. Each invitation's token is derived from its id with a server secret
// (HMAC-SHA256, 128 bits kept), so the server can put the same link in the invitation and in
// every reminder while storing only the token's hash. Changing SESSION_SECRET therefore
// invalidates the links of rounds that are open.
//
// The hash is the link's key in survey_links. Nothing stored maps it to the invitation:
// only the secret does, by deriving the token again (reminders do). Spending the link never
// touches the invitation (see src/survey).
import { createHmac } from 'node:crypto';
import { hashToken, isWellFormedToken } from '../lib/tokens.ts';

export const LINK_TOKEN_BYTES = 16;

export function surveyLinkToken(secret: string, invitationId: string): string {
  return createHmac('sha256', secret)
    .update(`survey-link:${invitationId}`)
    .digest()
    .subarray(0, LINK_TOKEN_BYTES)
    .toString('base64url');
}

export function isWellFormedLinkToken(token: string): boolean {
  return isWellFormedToken(token, LINK_TOKEN_BYTES);
}

export { hashToken as hashLinkToken };
