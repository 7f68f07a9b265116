// The service's whole configuration, read once from the environment through one zod schema,
// then resolved into a Config in which nothing a running service needs is optional (the
// session secret is generated and kept in the data folder outside production). A bad value
// stops the start with one line that names every bad variable and why. This is the only
// module that reads process.env.
import { isTimeZone } from './lib/dates.ts';
import { z } from 'zod';
import { resolveSessionSecret } from './lib/session-secret.ts';

const MIN_ANONYMITY_THRESHOLD = 3;

/**
 * How long a client may take to send a request's headers, and the whole request: a client that
 * declares a body and sends it slowly (or never) is cut off then, instead of holding a
 * connection for Node's default 300 s. Every form here is small, so seconds are plenty.
 */
export const HTTP_TIMEOUT_DEFAULTS = { headersMs: 10_000, requestMs: 30_000 };

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

const optionalUrl = (protocols: string[], hint: string) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      }, hint)
      .optional(),
  );

const integer = (fallback: number, min: number, max: number, what: string) =>
  z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: `must be a whole number (${what})` })
      .int({ error: `must be a whole number (${what})` })
      .min(min, { error: `must be at least ${min} (${what})` })
      .max(max, { error: `must be at most ${max} (${what})` })
      .default(fallback),
  );

const envSchema = z
  .object({
    NODE_ENV: z.preprocess(
      emptyAsUndefined,
      z
        .enum(['development', 'production', 'test'], {
          error: 'must be development, production or test',
        })
        .default('development'),
    ),
    PORT: integer(3000, 0, 65535, 'the TCP port to listen on'),
    HOST: z.preprocess(emptyAsUndefined, z.string().default('0.0.0.0')),
    BASE_URL: optionalUrl(
      ['http:', 'https:'],
      'must be an http:// or https:// address such as https://upward.example.com',
    ),
    DATABASE_URL: optionalUrl(
      ['postgres:', 'postgresql:'],
      'must be a postgres:// address such as postgres://user@127.0.0.1:5432/upward',
    ),
    DATABASE_POOL_SIZE: integer(10, 1, 200, 'connections kept open to PostgreSQL'),
    DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./data')),
    SMTP_URL: optionalUrl(
      ['smtp:', 'smtps:'],
      'must be an smtp:// or smtps:// address such as smtps://user:pass@mail.example.com',
    ),
    MAIL_FROM: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^[^\r\n]+@[^\r\n]+$/, 'must be an address such as "Upward <upward@example.com>"')
        .default('Upward <upward@localhost>'),
    ),
    SESSION_SECRET: z.preprocess(
      emptyAsUndefined,
      z.string().min(32, 'must be at least 32 characters long (use: openssl rand -hex 32)').optional(),
    ),
    ANONYMITY_THRESHOLD: integer(
      MIN_ANONYMITY_THRESHOLD,
      MIN_ANONYMITY_THRESHOLD,
      1000,
      'fewer answers than 3 could reveal who said what',
    ),
    LOG_LEVEL: z.preprocess(
      emptyAsUndefined,
      z
        .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
          error: 'must be one of fatal, error, warn, info, debug, trace, silent',
        })
        .default('info'),
    ),
    ALLOWED_EMAIL_DOMAINS: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .transform((list) =>
          list
            .split(',')
            .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
            .filter(Boolean),
        )
        .pipe(
          z.array(
            z
              .string()
              .regex(
                /^[a-z0-9.-]+\.[a-z]{2,}$/,
                'must be a comma-separated list of domains such as example.com,example.org',
              ),
          ),
        )
        .optional(),
    ),
    // Single sign-on with OpenID Connect (src/auth/oidc-*.ts): all three of issuer, client id
    // and secret, or none of them.
    OIDC_ISSUER: optionalUrl(
      ['http:', 'https:'],
      "must be the provider's issuer address, such as https://login.example.com",
    ),
    OIDC_CLIENT_ID: z.preprocess(emptyAsUndefined, z.string().optional()),
    OIDC_CLIENT_SECRET: z.preprocess(emptyAsUndefined, z.string().optional()),
    OIDC_SCOPES: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .refine(
          (scopes) => scopes.split(/\s+/).includes('openid'),
          'must include openid, such as "openid email profile"',
        )
        .default('openid email profile'),
    ),
    OIDC_BUTTON_LABEL: z.preprocess(
      emptyAsUndefined,
      z.string().max(80, 'must be under 80 characters').default('Sign in with your company account'),
    ),
    SIGN_IN_METHODS: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .transform((list) => [...new Set(list.split(',').map((method) => method.trim().toLowerCase()))].filter(Boolean))
        .pipe(
          z
            .array(z.enum(['email', 'oidc'], { error: 'must be email, oidc, or both: email,oidc' }))
            .min(1, 'must be email, oidc, or both: email,oidc'),
        )
        .optional(),
    ),
    SESSION_IDLE_MINUTES: integer(120, 5, 7 * 24 * 60, 'minutes of inactivity before a session ends'),
    SESSION_MAX_HOURS: integer(12, 1, 30 * 24, 'hours after sign-in before a session ends regardless'),
    TRUST_PROXY: z.preprocess(
      emptyAsUndefined,
      z
        .enum(['false', 'true', 'loopback', '1', '2', '3'], {
          error: 'must be false, true, loopback, or the number of proxies in front of Upward (1-3)',
        })
        .default('false'),
    ),
    SHUTDOWN_TIMEOUT_MS: integer(10_000, 0, 300_000, 'how long to wait for requests in flight on shutdown'),
    HTTP_HEADERS_TIMEOUT_MS: integer(
      HTTP_TIMEOUT_DEFAULTS.headersMs,
      1_000,
      120_000,
      'how long a client may take to send the headers of a request',
    ),
    HTTP_REQUEST_TIMEOUT_MS: integer(
      HTTP_TIMEOUT_DEFAULTS.requestMs,
      1_000,
      600_000,
      'how long a client may take to send a whole request, body included',
    ),
    // When an open round reminds those who have not answered: `halfway` through the round,
    // or `<n>d`, n days before it closes. Points already past at launch are skipped.
    REMINDERS: z.preprocess(
      (value) => (value === undefined ? 'halfway,1d' : value),
      z
        .string()
        .transform((list) =>
          list
            .split(',')
            .map((point) => point.trim().toLowerCase())
            .filter(Boolean),
        )
        .pipe(
          z.array(
            z
              .string()
              .regex(
                /^(halfway|[1-9]\d{0,1}d)$/,
                'must be a comma-separated list of halfway or <n>d (n days before closing, 1-99), such as halfway,1d; leave it empty for no reminders',
              ),
          ),
        ),
    ),
    INVITEE_RETENTION_DAYS: integer(30, 1, 3650, 'days after a round closes before its invitee addresses are deleted'),
    // While the loop after a round still needs the team (a reply not sent, a check-back to
    // come), its addresses are kept longer, but never more than this many days after the close.
    INVITEE_RETENTION_MAX_DAYS: integer(
      180,
      1,
      3650,
      'days after a round closes that its invitee addresses are kept at most, for the reply and the check-backs',
    ),
    CHECK_BACK_DAYS: integer(7, 1, 60, 'days a check-back stays open unless the leader picks another closing date'),
    OUTBOX_RETENTION_DAYS: integer(30, 1, 3650, 'days a sent or given-up email is kept before it is deleted'),
    // The one-on-one after a round (issue 19): "How's that going?" this many days after it,
    // and the next round suggested this many months after the release.
    CHECK_IN_DAYS: integer(
      2,
      1,
      30,
      'days after the one-on-one that the leader and the manager are asked how it is going',
    ),
    NEXT_ROUND_MONTHS: integer(6, 1, 24, 'months after the release that the next round is suggested for'),
    // The time zone a meeting is offered in until a person chooses their own (an IANA name).
    TIME_ZONE: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .refine(isTimeZone, 'must be an IANA time zone name, such as Europe/Berlin or America/New_York')
        .default('UTC'),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['HTTP_HEADERS_TIMEOUT_MS'],
        message: `must not be longer than HTTP_REQUEST_TIMEOUT_MS (${env.HTTP_REQUEST_TIMEOUT_MS}): the headers are part of the request`,
      });
    }
    if (env.INVITEE_RETENTION_MAX_DAYS < env.INVITEE_RETENTION_DAYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['INVITEE_RETENTION_MAX_DAYS'],
        message: `must not be shorter than INVITEE_RETENTION_DAYS (${env.INVITEE_RETENTION_DAYS})`,
      });
    }
    const oidcSet = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET].filter(Boolean).length;
    if (oidcSet !== 0 && oidcSet !== 3) {
      ctx.addIssue({
        code: 'custom',
        path: ['OIDC_ISSUER'],
        message: 'goes with OIDC_CLIENT_ID and OIDC_CLIENT_SECRET: set all three, or none',
      });
    }
    if (env.SIGN_IN_METHODS?.includes('oidc') && oidcSet !== 3) {
      ctx.addIssue({
        code: 'custom',
        path: ['SIGN_IN_METHODS'],
        message: 'includes oidc, which needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET',
      });
    }
    if (env.NODE_ENV === 'production' && env.OIDC_ISSUER?.startsWith('http:')) {
      ctx.addIssue({
        code: 'custom',
        path: ['OIDC_ISSUER'],
        message: 'must be an https:// address in production',
      });
    }
    if (env.NODE_ENV !== 'production') return;
    if (!env.SESSION_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SESSION_SECRET'],
        message: 'is required in production (use: openssl rand -hex 32)',
      });
    }
    if (!env.SMTP_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['SMTP_URL'],
        message: 'is required in production, or no email could be sent',
      });
    }
    if (!env.BASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['BASE_URL'],
        message: 'is required in production: links in emails are built from it',
      });
    }
  });

type ParsedEnv = z.infer<typeof envSchema>;

/** The environment as parsed: the session secret may still be unset outside production. */
export interface ParsedConfig extends Omit<ParsedEnv, 'BASE_URL' | 'SESSION_SECRET' | 'SIGN_IN_METHODS'> {
  /** Absolute address people reach the service at, without a trailing slash. */
  BASE_URL: string;
  /** Unset outside production until resolveConfig fills it from the data folder. */
  SESSION_SECRET: string | undefined;
  /** How people sign in: email links, OpenID Connect, or both (email, plus oidc when configured). */
  SIGN_IN_METHODS: ReadonlyArray<'email' | 'oidc'>;
  isProduction: boolean;
}

/** What the service runs on: every secret resolved. */
export interface Config extends Omit<ParsedConfig, 'SESSION_SECRET'> {
  SESSION_SECRET: string;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}.`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Parses the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Readonly<ParsedConfig> {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const given = env[name];
      return given === undefined ||
        issue.code === 'custom' ||
        name === 'SESSION_SECRET' ||
        name === 'OIDC_CLIENT_SECRET' ||
        name === 'SMTP_URL' ||
        name === 'DATABASE_URL'
        ? `${name} ${issue.message}` // never echo secrets back
        : `${name} ${issue.message} (got "${given}")`;
    });
    throw new ConfigError(problems);
  }
  const parsed = result.data;
  const baseUrl = (parsed.BASE_URL ?? `http://localhost:${parsed.PORT}`).replace(/\/+$/, '');
  return Object.freeze({
    ...parsed,
    BASE_URL: baseUrl,
    SESSION_SECRET: parsed.SESSION_SECRET,
    SIGN_IN_METHODS:
      parsed.SIGN_IN_METHODS ?? (parsed.OIDC_ISSUER ? (['email', 'oidc'] as const) : (['email'] as const)),
    isProduction: parsed.NODE_ENV === 'production',
  });
}

/** The process's own environment, parsed; for commands that need no secret. */
export function environmentConfig(): Readonly<ParsedConfig> {
  return loadConfig(process.env);
}

/** The parsed configuration with its session secret resolved (generated once outside production). */
export async function resolveConfig(parsed: Readonly<ParsedConfig>): Promise<Readonly<Config>> {
  return Object.freeze({ ...parsed, SESSION_SECRET: await resolveSessionSecret(parsed) });
}
