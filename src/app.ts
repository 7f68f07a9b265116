// Builds the Express app from explicit dependencies. Tests build it the same way; only
// main.ts listens.
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
import { createSessions } from './http/session.ts';
import { csrfProtection, sameOriginOnly } from './http/csrf.ts';
import { refuseNulCharacters } from './http/forms.ts';
import { authRoutes } from './auth/routes.ts';
import { managerRoutes } from './requests/manager-routes.ts';
import { leaderRoutes } from './requests/leader-routes.ts';
import { surveyRoutes } from './survey/routes.ts';
import { reportRoutes } from './reports/report-routes.ts';

export interface AppDeps {
  db: Kysely<Database>;
  config: Config;
  clock: Clock;
  mailTransport: Transporter;
  logger?: Logger;
}

/** Largest form or JSON body accepted; a long survey with every comment box full fits. */
export const BODY_LIMIT = '100kb';

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
  configureViews(app, assets);
  app.locals.anonymityThreshold = config.ANONYMITY_THRESHOLD;

  app.use(requestLogger(logger));
  app.use(securityHeaders({ https: config.BASE_URL.startsWith('https:') }));
  app.use(assets.prefix, assets.handler);
  app.use(healthRoutes(db));
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 500 }));
  app.use(express.json({ limit: BODY_LIMIT }));
  app.use(refuseNulCharacters);
  app.use((req, res, next) => {
    res.locals.requestId = req.id;
    next();
  });
  const sessions = createSessions({ db, clock: deps.clock, config });
  const routeDeps = { db, clock: deps.clock, config, sessions };
  // Survey pages know nobody: no session is read or touched there (not even last_seen_at,
  // which would date an answer), and the link's own secret token stands in for a CSRF token.
  // They come first because they are the busiest pages by far (a round's whole team opens
  // them): a survey request then passes no other feature's routes.
  // A survey answer posted from another site is refused like any other form.
  app.use(sameOriginOnly(config.BASE_URL));
  app.use(surveyRoutes(routeDeps));
  const isSurvey = (req: express.Request) => req.path.startsWith('/s/');
  app.use((req, res, next) => (isSurvey(req) ? next() : sessions.middleware(req, res, next)));
  app.use(csrfProtection({ skip: isSurvey }));

  app.use(homeRoutes());
  if (usesLocalMailbox(config)) app.use(mailboxRoutes(db));
  app.use(authRoutes(routeDeps));
  app.use(managerRoutes(routeDeps));
  app.use(leaderRoutes(routeDeps));
  app.use(reportRoutes(routeDeps));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
