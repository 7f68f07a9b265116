// Sessions live in the database so every app process shares them. Only someone signed in has
// one: it is made at sign-in, and a visitor's forms carry a signed CSRF cookie instead
// (src/http/csrf.ts), so no page a visitor opens writes a row. The cookie holds a random
// 256-bit id; the table holds only its keyed hash. A session ends after SESSION_IDLE_MINUTES
// without a request, or SESSION_MAX_HOURS after it began, whichever comes first.
//
// Why not express-session: its expiry runs on the wall clock (our tests move an injected
// clock), and it has no notion of "every session of this user" for signing out everywhere.
import type { Request, RequestHandler, Response } from 'express';
import type { Kysely, Transaction } from 'kysely';
import { parseCookie, stringifySetCookie } from 'cookie';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { keyedHash, randomToken } from '../lib/tokens.ts';
import { deleteSession, deleteUserSessions, findSession, insertSession, touchSession } from './session-store.ts';

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  /** Their chosen language (locales/), null for their browser's; read with the session. */
  language?: string | null;
  /** The zone they chose, or null for the deployment's TIME_ZONE. */
  timeZone: string | null;
}

export interface SessionState {
  idHash: string;
  user: SessionUser;
}

/** Writing last_seen_at on every request would be a write per page view; once a minute is enough. */
const TOUCH_INTERVAL_MS = 60_000;

export interface Sessions {
  /** Loads the session named by the cookie, if it is still valid. */
  middleware: RequestHandler;
  /** Signs `userId` in with a brand-new session id (never the one used before sign-in). */
  signIn(trx: Transaction<Database>, req: Request, res: Response, user: SessionUser): Promise<void>;
  signOut(req: Request, res: Response): Promise<void>;
  signOutEverywhere(req: Request, res: Response): Promise<void>;
}

/** How this deployment's cookies are marked: `__Host-` over HTTPS, Secure there and in production. */
export function cookieSecurity(config: Pick<Config, 'BASE_URL' | 'isProduction'>) {
  const https = config.BASE_URL.startsWith('https:');
  return { https, secure: https || config.isProduction };
}

export function createSessions(deps: { db: Kysely<Database>; clock: Clock; config: Config }): Sessions {
  const { db, clock, config } = deps;
  const { https, secure } = cookieSecurity(config);
  const cookieName = https ? '__Host-upward_session' : 'upward_session';
  const idleMs = config.SESSION_IDLE_MINUTES * 60_000;
  const maxMs = config.SESSION_MAX_HOURS * 3_600_000;
  const secret = config.SESSION_SECRET;

  const hashOf = (id: string) => keyedHash(secret, id);

  function setCookie(res: Response, id: string) {
    res.append(
      'Set-Cookie',
      stringifySetCookie({
        name: cookieName,
        value: id,
        httpOnly: true,
        sameSite: 'lax',
        secure,
        path: '/',
        maxAge: Math.floor(maxMs / 1000),
      }),
    );
  }

  function clearCookie(res: Response) {
    res.append(
      'Set-Cookie',
      stringifySetCookie({
        name: cookieName,
        value: '',
        httpOnly: true,
        sameSite: 'lax',
        secure,
        path: '/',
        maxAge: 0,
      }),
    );
  }

  async function create(trx: Transaction<Database>, req: Request, res: Response, user: SessionUser) {
    const id = randomToken();
    const state: SessionState = { idHash: hashOf(id), user };
    await insertSession(trx, { idHash: state.idHash, userId: user.id, now: clock.now() });
    setCookie(res, id);
    req.session = state;
    res.locals.currentUser = user;
  }

  const middleware: RequestHandler = async (req, res, next) => {
    const id = parseCookie(req.headers.cookie ?? '')[cookieName];
    if (!id) return next();
    const idHash = hashOf(id);
    const row = await findSession(db, idHash);
    const now = clock.now().getTime();
    const expired = !row || now - row.last_seen_at.getTime() > idleMs || now - row.created_at.getTime() > maxMs;
    if (expired) {
      if (row) await deleteSession(db, idHash);
      clearCookie(res);
      return next();
    }
    if (now - row.last_seen_at.getTime() > TOUCH_INTERVAL_MS) await touchSession(db, idHash, clock.now());
    const user = {
      id: row.user_id,
      email: row.email,
      name: row.display_name,
      language: row.language,
      timeZone: row.time_zone,
    };
    req.session = { idHash, user };
    res.locals.currentUser = user;
    // Pages for a signed-in person must not be kept by the browser or any cache on the way.
    res.set('Cache-Control', 'no-store');
    next();
  };

  return {
    middleware,
    async signIn(trx, req, res, user) {
      if (req.session) await deleteSession(trx, req.session.idHash);
      await create(trx, req, res, user);
      res.set('Cache-Control', 'no-store');
    },
    async signOut(req, res) {
      if (req.session) await deleteSession(db, req.session.idHash);
      req.session = undefined;
      clearCookie(res);
    },
    async signOutEverywhere(req, res) {
      if (req.session) await deleteUserSessions(db, req.session.user.id);
      req.session = undefined;
      clearCookie(res);
    },
  };
}
