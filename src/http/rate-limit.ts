// Rate limits with express-rate-limit, counting in the database so every app process shares
// one count. Windows run on the injected clock. Keys are hashed before they are stored:
// the table never holds an IP address or an email address.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { RateLimitInfo } from 'express-rate-limit';
import { rateLimit, type Options, type Store, type IncrementResponse } from 'express-rate-limit';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { keyedHash } from '../lib/tokens.ts';
import { tooManyTries } from './errors.ts';

export class DatabaseRateLimitStore implements Store {
  localKeys = false;
  prefix: string;
  #windowMs = 60_000;
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, clock: Clock, prefix: string) {
    this.#db = db;
    this.#clock = clock;
    this.prefix = prefix;
  }

  init(options: Options) {
    this.#windowMs = options.windowMs;
  }

  async increment(key: string): Promise<IncrementResponse> {
    const now = this.#clock.now();
    const resetAt = new Date(now.getTime() + this.#windowMs);
    // One atomic upsert: a window that has run out starts again at 1.
    const row = await this.#db
      .insertInto('rate_limits')
      .values({ key: this.prefix + key, hits: 1, reset_at: resetAt })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          hits: sql<number>`case when rate_limits.reset_at <= ${now} then 1 else rate_limits.hits + 1 end`,
          reset_at: sql<Date>`case when rate_limits.reset_at <= ${now} then ${resetAt} else rate_limits.reset_at end`,
        }),
      )
      .returning(['hits', 'reset_at'])
      .executeTakeFirstOrThrow();
    return { totalHits: row.hits, resetTime: row.reset_at };
  }

  async decrement(key: string): Promise<void> {
    await this.#db
      .updateTable('rate_limits')
      .set({ hits: sql<number>`greatest(hits - 1, 0)` })
      .where('key', '=', this.prefix + key)
      .execute();
  }

  async resetKey(key: string): Promise<void> {
    await this.#db
      .deleteFrom('rate_limits')
      .where('key', '=', this.prefix + key)
      .execute();
  }
}

export interface LimitDeps {
  db: Kysely<Database>;
  clock: Clock;
  secret: string;
}

/**
 * The answer once a limit is reached: the 429 page, with Retry-After, and one log line that
 * names the limit and nothing else (the request's own log line already carries its path,
 * with any token in it replaced; see logger.ts). No key, IP address or token is logged.
 */
function refuseTooManyTries(
  req: Request,
  res: Response,
  next: NextFunction,
  opts: { deps: LimitDeps; name: string; windowMinutes: number; resetTime: Date | undefined },
) {
  const now = opts.deps.clock.now().getTime();
  const resetTime = opts.resetTime?.getTime() ?? now + opts.windowMinutes * 60_000;
  const minutes = Math.max(1, Math.ceil((resetTime - now) / 60_000));
  req.log?.warn({ limit: opts.name }, 'rate limit reached');
  res.set('Retry-After', String(minutes * 60));
  next(tooManyTries(minutes));
}

/**
 * A limit of `limit` requests per `windowMinutes` for whatever `keyOf` names (an IP
 * address, an email address). Requests whose key is undefined are not counted.
 */
export function createLimit(
  deps: LimitDeps,
  opts: { name: string; limit: number; windowMinutes: number; keyOf: (req: Request) => string | undefined },
): RequestHandler {
  const store = new DatabaseRateLimitStore(deps.db, deps.clock, `${opts.name}:`);
  return rateLimit({
    windowMs: opts.windowMinutes * 60_000,
    limit: opts.limit,
    store,
    standardHeaders: false,
    legacyHeaders: false,
    validate: false,
    skip: (req) => opts.keyOf(req) === undefined,
    keyGenerator: (req) => keyedHash(deps.secret, opts.keyOf(req) ?? ''),
    handler: (req, res, next) => {
      const resetTime = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit?.resetTime;
      refuseTooManyTries(req, res, next, { deps, name: opts.name, windowMinutes: opts.windowMinutes, resetTime });
    },
  });
}

export interface FailureLimit {
  /** Middleware: refuses the request while its client has had `limit` failures; writes nothing. */
  check: RequestHandler;
  /** Counts one failure against the request's client. */
  recordFailure(req: Request): Promise<void>;
}

/** Blocked clients remembered per process; beyond this, the ones whose window ends first go. */
const BLOCKED_CLIENTS_KEPT = 10_000;

/**
 * A limit on failures only, for pages where counting every request would itself leave a
 * trace: the survey. Only `recordFailure` (called by the route when a lookup failed) writes,
 * so a person whose link works writes no dated row keyed to them. Keys are keyed hashes, as
 * for createLimit.
 *
 * `check` reads no database: the count lives in the shared table, and each failure's upsert
 * returns it, so the process that records the failure which reaches the limit learns then
 * that the client is blocked, and until when. Every survey view is thus one query fewer (the
 * survey page is the hottest path there is). With several processes, one that has not yet
 * seen a failure of a blocked client lets its next request through once, and that request,
 * if it is another guess, is counted and blocks the client there too: at most one extra
 * guess per process in a window, against 128-bit links.
 */
export function createFailureLimit(
  deps: LimitDeps,
  opts: { name: string; limit: number; windowMinutes: number; keyOf: (req: Request) => string | undefined },
): FailureLimit {
  const store = new DatabaseRateLimitStore(deps.db, deps.clock, `${opts.name}:`);
  store.init({ windowMs: opts.windowMinutes * 60_000 } as Options);
  /** Keyed hash of a blocked client → when its window ends. */
  const blocked = new Map<string, Date>();
  const keyFor = (req: Request) => {
    const key = opts.keyOf(req);
    return key === undefined ? undefined : keyedHash(deps.secret, key);
  };
  function blockedUntil(key: string): Date | undefined {
    const until = blocked.get(key);
    if (until && until.getTime() <= deps.clock.now().getTime()) blocked.delete(key);
    else return until;
  }
  function block(key: string, until: Date) {
    blocked.set(key, until);
    if (blocked.size <= BLOCKED_CLIENTS_KEPT) return;
    const now = deps.clock.now().getTime();
    for (const [k, end] of blocked) if (end.getTime() <= now) blocked.delete(k);
    if (blocked.size > BLOCKED_CLIENTS_KEPT) blocked.delete(blocked.keys().next().value!);
  }
  return {
    check: (req, res, next) => {
      // Only clients that have failed pay for hashing their key.
      const key = blocked.size ? keyFor(req) : undefined;
      const until = key === undefined ? undefined : blockedUntil(key);
      if (!until) return next();
      refuseTooManyTries(req, res, next, {
        deps,
        name: opts.name,
        windowMinutes: opts.windowMinutes,
        resetTime: until,
      });
    },
    async recordFailure(req) {
      const key = keyFor(req);
      if (key === undefined) return;
      const { totalHits, resetTime } = await store.increment(key);
      if (totalHits >= opts.limit && resetTime) block(key, resetTime);
    },
  };
}
