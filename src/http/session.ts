// Sessions live in the database so every app process shares them. The cookie holds a random
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
}

export interface SessionState {
  idHash: string;
  csrfToken: string;
  user: SessionUser | null;
}

/** Writing last_seen_at on every request would be a write per page view; once a minute is enough. */
const TOUCH_INTERVAL_MS = 60_000;

export interface Sessions {
  /** Loads the session named by the cookie, if it is still valid. */
  middleware: RequestHandler;
  /** Gives the browser a session (anonymous if need be), e.g. to hold a form's CSRF token. */
  ensure(req: Request, res: Response): Promise<SessionState>;
  /** Signs `userId` in with a brand-new session id (never the one used before sign-in). */
  signIn(trx: Transaction<Database>, req: Request, res: Response, user: SessionUser): Promise<void>;
  signOut(req: Request, res: Response): Promise<void>;
  signOutEverywhere(req: Request, res: Response): Promise<void>;
}

export function createSessions(deps: { db: Kysely<Database>; clock: Clock; config: Config }): Sessions {
  const { db, clock, config } = deps;
  const https = config.BASE_URL.startsWith('https:');
  const cookieName = https ? '__Host-upward_session' : 'upward_session';
  const secure = https || config.isProduction;
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

  async function create(
    dbOrTrx: Kysely<Database> | Transaction<Database>,
    req: Request,
    res: Response,
    user: SessionUser | null,
  ) {
    const id = randomToken();
    const state: SessionState = { idHash: hashOf(id), csrfToken: randomToken(), user };
    await insertSession(dbOrTrx, {
      idHash: state.idHash,
      userId: user?.id ?? null,
      csrfToken: state.csrfToken,
      now: clock.now(),
    });
    setCookie(res, id);
    req.session = state;
    res.locals.csrfToken = state.csrfToken;
    res.locals.currentUser = user;
    return state;
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
    const user = row.user_id ? { id: row.user_id, email: row.email!, name: row.display_name ?? null } : null;
    req.session = { idHash, csrfToken: row.csrf_token, user };
    res.locals.csrfToken = row.csrf_token;
    res.locals.currentUser = user;
    // Pages for a signed-in person must not be kept by the browser or any cache on the way.
    if (user) res.set('Cache-Control', 'no-store');
    next();
  };

  return {
    middleware,
    ensure: async (req, res) => req.session ?? create(db, req, res, null),
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
      const user = req.session?.user;
      if (user) await deleteUserSessions(db, user.id);
      else if (req.session) await deleteSession(db, req.session.idHash);
      req.session = undefined;
      clearCookie(res);
    },
  };
}
