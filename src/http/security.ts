// Security headers. The Content-Security-Policy allows no inline script or style and no
// third-party origin; pages work without JavaScript, so there is nothing to loosen it for.
// Referrer-Policy: no-referrer keeps survey tokens out of any Referer header.
import helmet from 'helmet';

/**
 * `formTargets`: other origins a form may lead to. Browsers apply form-action to the
 * redirects after a post too, so the single sign-on button (a post that redirects to the
 * OpenID provider) needs the provider's origin here.
 */
export function securityHeaders(opts: { https: boolean; formTargets?: string[] }) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'", ...(opts.formTargets ?? [])],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(opts.https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: opts.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    xFrameOptions: { action: 'deny' },
  });
}
