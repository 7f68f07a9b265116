// Builds the Express app from explicit dependencies. Tests build it the same way; only
// main.ts listens.
import { readerLocale } from './i18n/negotiate.ts';
import express from 'express';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Transporter } from 'nodemailer';
import type { Config } from './config.ts';
import type { Database } from './db/schema.ts';
import type { Clock } from './lib/clock.ts';
import { createAssets } from './http/assets.ts';
import { configureViews } from './http/views.ts';
import { securityHeaders } from './http/security.ts';
import { createLogger, requestLogger } from './http/logger.ts';
import { errorHandler, notFoundHandler } from './http/error-handler.ts';
import { healthRoutes } from './health/routes.ts';
import { homeRoutes } from './home/routes.ts';
import { mailboxRoutes, usesLocalMailbox } from './email/mailbox-routes.ts';
import { cookieSecurity, createSessions } from './http/session.ts';
import { csrfProtection, sameOriginOnly } from './http/csrf.ts';
import { BODY_LIMIT, formParser, refuseNulCharacters } from './http/forms.ts';
import { authRoutes } from './auth/routes.ts';
import { oidcRoutes } from './auth/oidc-routes.ts';
import { signInChoices, type OidcProvider } from './auth/oidc-client.ts';
import { paths } from './http/paths.ts';
import { managerRoutes } from './requests/routes.ts';
import { leaderRoutes } from './collect/routes.ts';
import { surveyRoutes } from './survey/routes.ts';
import { reportRoutes } from './reports/routes.ts';
import { oneOnOneRoutes } from './one-on-one/routes.ts';
import { replyRoutes } from './reply/routes.ts';
import { checkBackRoutes } from './check-back/routes.ts';

export interface AppDeps {
  db: Kysely<Database>;
  config: Config;
  clock: Clock;
  mailTransport: Transporter;
  logger?: Logger;
  /** The OpenID provider, discovered once in main.ts; required when SIGN_IN_METHODS includes oidc. */
  oidc?: OidcProvider;
}

/** TRUST_PROXY as Express understands it: a boolean, a named range, or a hop count. */
function trustProxySetting(value: string): boolean | string | number {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return /^\d+$/.test(value) ? Number(value) : value;
}

export function createApp(deps: AppDeps): express.Express {
  const { db, config } = deps;
  const logger = deps.logger ?? createLogger('silent');
  const app = express();
  const assets = createAssets();

  app.disable('x-powered-by');
  app.set('trust proxy', trustProxySetting(config.TRUST_PROXY));
  configureViews(app, assets, { cacheTemplates: config.NODE_ENV !== 'development', timeZone: config.TIME_ZONE });
  app.locals.anonymityThreshold = config.ANONYMITY_THRESHOLD;

  app.use(requestLogger(logger));
  const signIn = signInChoices(config, deps.oidc, paths.signedOut());
  app.use(securityHeaders({ https: config.BASE_URL.startsWith('https:'), formTargets: signIn.formTargets }));
  Object.assign(app.locals, signIn);
  const sessions = createSessions({ db, clock: deps.clock, config });
  const routeDeps = { db, clock: deps.clock, config, sessions };
  // Survey pages know nobody: no session is read or touched there (not even last_seen_at,
  // which would date an answer), and the link's own secret token stands in for a CSRF token.
  // They come right after the log and the security headers because they are the busiest
  // pages by far (a round's whole team opens them): a survey view passes nothing else, not
  // even the body parsers, and its answers bring their own (survey/routes.ts). Every
  // middleware passed cost a survey view measurable time (docs/BENCHMARKS.md).
  app.use(surveyRoutes(routeDeps));
  app.use(assets.prefix, assets.handler);
  app.use(healthRoutes(db));
  app.use(formParser, express.json({ limit: BODY_LIMIT }), refuseNulCharacters);
  app.use(sameOriginOnly(config.BASE_URL));
  // Nor does any other address under /s/ (a mistyped link) start or read a session.
  const isSurvey = (req: express.Request) => req.path.startsWith('/s/');
  app.use((req, res, next) => (isSurvey(req) ? next() : sessions.middleware(req, res, next)));
  app.use(readerLocale);
  app.use(csrfProtection({ secret: config.SESSION_SECRET, ...cookieSecurity(config), skip: isSurvey }));

  app.use(homeRoutes());
  if (usesLocalMailbox(config)) app.use(mailboxRoutes(db, deps.mailTransport));
  app.use(authRoutes(routeDeps));
  app.use(oidcRoutes(routeDeps, deps.oidc));
  app.use(managerRoutes(routeDeps));
  app.use(leaderRoutes(routeDeps));
  // Before the report's routes: a check-back's /reports/:id leads to its round's report.
  app.use(checkBackRoutes(routeDeps));
  app.use(reportRoutes(routeDeps));
  app.use(oneOnOneRoutes(routeDeps));
  app.use(replyRoutes(routeDeps));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
