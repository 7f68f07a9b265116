// The personal survey link of each invitation, recomputed from its id whenever an email
// needs it (invitation, reminders): only the hash is ever stored.
import { paths } from '../http/paths.ts';
import { hashLinkToken, surveyLinkToken } from './link-tokens.ts';

export interface InvitationLink {
  invitationId: string;
  tokenHash: string;
  /** A path in Upward; emails make it absolute. */
  path: string;
}

export function invitationLink(secret: string, invitationId: string): InvitationLink {
  const token = surveyLinkToken(secret, invitationId);
  return { invitationId, tokenHash: hashLinkToken(token), path: paths.survey(token) };
}

/** The secret links are derived from; main.ts fills it in before anything runs. */
export function linkSecretOf(config: { SESSION_SECRET: string }): string {
  return config.SESSION_SECRET;
}
