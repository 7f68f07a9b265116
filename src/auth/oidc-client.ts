// The OpenID provider as Upward knows it: discovered once at start (src/main.ts) from
// OIDC_ISSUER, then handed to createApp like the database and the mailer. A provider that
// cannot be reached or is not an OpenID provider stops the start with one line.
import * as client from 'openid-client';
import type { Config } from '../config.ts';

export interface OidcProvider {
  configuration: client.Configuration;
  /** The provider's name for people ("Also sign out of …"): its issuer's host. */
  name: string;
  /** Whether the provider publishes an end_session_endpoint to sign out there too. */
  canEndSession: boolean;
}

type OidcConfig = Pick<Config, 'OIDC_ISSUER' | 'OIDC_CLIENT_ID' | 'OIDC_CLIENT_SECRET' | 'isProduction'>;

/**
 * openid-client talks HTTPS only. A plain-http issuer on this machine (a provider started by
 * the tests, or Keycloak on localhost while developing) is allowed outside production; in
 * production config.ts already refuses any http:// issuer.
 */
function isLocalHttp(issuer: URL, config: OidcConfig): boolean {
  return (
    !config.isProduction && issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname)
  );
}

export class OidcDiscoveryError extends Error {}

/** Discovers the provider named by OIDC_ISSUER; throws OidcDiscoveryError with the one line to print. */
export async function discoverOidcProvider(config: OidcConfig): Promise<OidcProvider> {
  const { OIDC_ISSUER: issuerUrl, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: secret } = config;
  if (!issuerUrl || !clientId || !secret) throw new OidcDiscoveryError('OIDC_ISSUER is not configured');
  const issuer = new URL(issuerUrl);
  let configuration: client.Configuration;
  try {
    configuration = await client.discovery(issuer, clientId, secret, undefined, {
      // openid-client would take an ID token from the token endpoint on TLS's word alone (OIDC
      // Core 3.1.3.7 allows it); we check its signature against the provider's keys as well.
      execute: [
        client.enableNonRepudiationChecks,
        ...(isLocalHttp(issuer, config) ? [client.allowInsecureRequests] : []),
      ],
      timeout: 10,
    });
  } catch (error) {
    throw new OidcDiscoveryError(describeDiscoveryFailure(issuerUrl, error));
  }
  return {
    configuration,
    name: issuer.host,
    canEndSession: Boolean(configuration.serverMetadata().end_session_endpoint),
  };
}

/** "could not be reached" for the network, "is not an OpenID provider" for what it answered. */
function describeDiscoveryFailure(issuer: string, error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  const network = error instanceof TypeError || (error instanceof client.ClientError && error.code === 'OAUTH_TIMEOUT');
  return network
    ? `OIDC_ISSUER ${issuer} could not be reached: ${reason}${cause}`
    : `OIDC_ISSUER ${issuer} is not an OpenID provider: ${reason}${cause}`;
}

/**
 * What the sign-in and signed-out pages offer (createApp puts it in every view's locals): the
 * email form, the provider's button, and a link to sign out at the provider too. That link
 * names Upward by client_id rather than by an ID token, so no ID token is kept anywhere.
 */
export function signInChoices(
  config: Pick<Config, 'SIGN_IN_METHODS' | 'OIDC_BUTTON_LABEL' | 'OIDC_CLIENT_ID' | 'BASE_URL'>,
  provider: OidcProvider | undefined,
  signedOutPath: string,
) {
  const oidc = config.SIGN_IN_METHODS.includes('oidc');
  if (oidc && !provider) throw new Error('SIGN_IN_METHODS includes oidc, but no OpenID provider was discovered');
  const endSession =
    oidc && provider?.canEndSession
      ? client.buildEndSessionUrl(provider.configuration, {
          client_id: config.OIDC_CLIENT_ID!,
          post_logout_redirect_uri: `${config.BASE_URL}${signedOutPath}`,
        }).href
      : undefined;
  return {
    signInByEmail: config.SIGN_IN_METHODS.includes('email'),
    signInByOidc: oidc ? { label: config.OIDC_BUTTON_LABEL } : undefined,
    providerSignOut: endSession ? { name: provider!.name, url: endSession } : undefined,
    /** Where the button's post is redirected to, for the Content-Security-Policy's form-action. */
    formTargets: oidc ? [new URL(provider!.configuration.serverMetadata().authorization_endpoint!).origin] : [],
  };
}
