// Shared by the fault tests (npm run test:faults): a seeded round of many links, production-
// like servers as child processes, and a bounded load of survey submissions over plain
// loopback HTTP (a new connection per submission, as from many people's browsers).
import { request } from 'node:http';
import { after, before } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { TEST_SECRET } from '../helpers/app.ts';
import { createOpenRound, createUser, uniqueTag } from '../helpers/factories.ts';
import { startServer } from '../helpers/processes.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { hashLinkToken } from '../../src/rounds/link-tokens.ts';
import { questionsOf } from '../../src/rounds/round-queries.ts';
import { openSealed, roundKey } from '../../src/survey/sealing.ts';

export { TEST_DATABASE_URL } from '../helpers/databases.ts';

export const needsPostgres = process.env.TEST_DATABASE_URL
  ? false
  : 'TEST_DATABASE_URL is not set: fault tests need a PostgreSQL server and are skipped';

/** An open round of `size` links (tokens made with TEST_SECRET, which the servers share). */
export async function seedRound(db: Kysely<Database>, size: number, opts: { closesAt?: Date } = {}) {
  const tag = uniqueTag();
  const manager = await createUser(db, { email: `manager-${tag}@example.com`, name: 'Mona Manager' });
  const leader = await createUser(db, { email: `leader-${tag}@example.com`, name: 'Leo Leader' });
  const invitees = Array.from({ length: size }, (_, i) => `member${i}-${tag}@example.com`);
  const now = new Date();
  const round = await createOpenRound(db, {
    managerId: manager.id,
    leaderEmail: leader.email,
    invitees,
    now,
    closesAt: opts.closesAt ?? new Date(now.getTime() + 7 * 86_400_000),
  });
  return { ...round, manager, leader };
}

/** The form a person sends: every question answered, so each response has every answer. */
export function surveyForm(questions: Array<{ id: string; kind: string }>, i: number): string {
  const fields = new URLSearchParams();
  for (const q of questions)
    fields.set(
      `q-${q.id}`,
      q.kind === 'agree' ? String((i % 5) + 1) : q.kind === 'choice' ? String(i % 2) : `Comment ${i}`,
    );
  return fields.toString();
}

export interface Reply {
  status: number;
  body: string;
}

/** One HTTP request on its own connection; rejects with the socket's error code if cut. */
export function send(
  url: string,
  opts: { method?: string; body?: string; accept?: string; timeoutMs?: number } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: opts.method ?? 'GET',
        agent: false,
        headers: {
          accept: opts.accept ?? 'text/html',
          connection: 'close',
          ...(opts.body === undefined
            ? {}
            : { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(opts.body) }),
        },
        timeout: opts.timeoutMs ?? 20_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** A form POST over fetch, whose pool keeps connections alive between requests. */
async function sendKeepAlive(url: string, body: string): Promise<Reply> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    signal: AbortSignal.timeout(20_000),
  });
  return { status: res.status, body: await res.text() };
}

export type Outcome =
  { kind: 'stored' } | { kind: 'answered'; status: number } | { kind: 'cut'; code: string } | { kind: 'not-sent' };

/**
 * Sends one submission per token, `concurrency` at a time, bounded by `deadlineMs`. After
 * each answer `onAnswer` may return true to stop sending new submissions (those left are
 * 'not-sent'). Resolves with one outcome per token, in token order.
 */
export async function driveSubmissions(
  url: () => string,
  tokens: string[],
  questions: Array<{ id: string; kind: string }>,
  opts: {
    concurrency?: number;
    deadlineMs?: number;
    onAnswer?: (stored: number) => void;
    stopSending?: () => boolean;
    /** Reuse connections (fetch's keep-alive pool), as a load balancer or browser does. */
    keepAlive?: boolean;
  } = {},
): Promise<Outcome[]> {
  const outcomes: Outcome[] = tokens.map(() => ({ kind: 'not-sent' }));
  const deadline = Date.now() + (opts.deadlineMs ?? 60_000);
  let next = 0;
  let stored = 0;
  async function lane() {
    while (next < tokens.length && Date.now() < deadline && !opts.stopSending?.()) {
      const i = next++;
      try {
        const reply = opts.keepAlive
          ? await sendKeepAlive(`${url()}/s/${tokens[i]}`, surveyForm(questions, i))
          : await send(`${url()}/s/${tokens[i]}`, { method: 'POST', body: surveyForm(questions, i) });
        if (reply.status === 200 && reply.body.includes('Thank you, your answers are in')) {
          outcomes[i] = { kind: 'stored' };
          opts.onAnswer?.(++stored);
        } else outcomes[i] = { kind: 'answered', status: reply.status };
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause;
        outcomes[i] = {
          kind: 'cut',
          code: String(cause?.code ?? (error as NodeJS.ErrnoException).code ?? (error as Error).message),
        };
      }
    }
  }
  await Promise.all(Array.from({ length: opts.concurrency ?? 16 }, lane));
  return outcomes;
}

/**
 * What the database holds for an open round: unspent links, sealed responses, and the
 * answers in each (opened with the test secret the production env below uses).
 */
export async function roundState(db: Kysely<Database>, requestId: string, tokens: string[]) {
  const ballots = new Set(
    (
      await db
        .selectFrom('survey_links')
        .select('key')
        .where('request_id', '=', requestId)
        .where('spent', '=', false)
        .execute()
    ).map((link) => link.key),
  );
  const responses = await db
    .selectFrom('sealed_responses')
    .select('sealed')
    .where('request_id', '=', requestId)
    .execute();
  const layout = await questionsOf(db, requestId);
  const key = roundKey(TEST_SECRET, requestId);
  const unspent = tokens.map((token) => ballots.has(hashLinkToken(token)));
  return {
    ballots: ballots.size,
    responses: responses.length,
    answerCounts: responses.map((r) => openSealed(key, layout, r.sealed).length),
    unspent,
  };
}

/** The environment of a production deployment on PostgreSQL, sending through `smtp`. */
export function productionEnv(
  databaseUrl: string,
  smtp: TestSmtpServer,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '10',
    SESSION_SECRET: TEST_SECRET,
    SMTP_URL: smtp.url,
    BASE_URL: 'http://127.0.0.1',
    LOG_LEVEL: 'warn',
    SHUTDOWN_TIMEOUT_MS: '5000',
    ...extra,
  };
}

/** Starts `node src/main.ts`; LOG_LEVEL must let its "ready" line (info) through, so it is info here. */
export function startProductionServer(env: Record<string, string>) {
  return startServer({ ...env, LOG_LEVEL: 'info' });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * For a fault suite against a production server: a fresh PostgreSQL test database and an
 * in-process SMTP server, made before the suite and removed after it.
 */
export function usePostgresAndSmtp(): { database: () => TestDatabase; smtp: () => TestSmtpServer } {
  let database: TestDatabase | undefined;
  let smtp: TestSmtpServer | undefined;
  before(async () => {
    database = await createTestDatabase('postgres');
    smtp = await startSmtpServer();
  });
  after(async () => {
    await smtp?.close();
    await database?.close();
  });
  return { database: () => database!, smtp: () => smtp! };
}
