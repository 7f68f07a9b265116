// The benchmark's own data, written straight into a migrated database before the app starts
// (PGlite belongs to one process, so nothing is written while the server runs). Bulk rows are
// made with set-based `insert … select generate_series` / `unnest` statements: a million
// answer rows in a few statements, not a million round trips.
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database, QuestionKind } from '../src/db/schema.ts';
import { keyedHash, randomToken } from '../src/lib/tokens.ts';
import { renderEmail } from '../src/email/render.ts';
import { addressesKeptWords } from '../src/domain/request-life.ts';
import { storeRoundResults } from '../src/reports/round-results.ts';
import { createSealedPartition } from '../src/rounds/sealed-partitions.ts';

type Db = Kysely<Database>;

interface QuestionSpec {
  kind: QuestionKind;
  prompt: string;
  required: boolean;
  choices: string[];
}

/** The twelve questions of a bench round: ten agree statements and two comments (as the built-in template). */
const SURVEY_QUESTIONS: QuestionSpec[] = [
  ...Array.from({ length: 10 }, (_, i): QuestionSpec => ({
    kind: 'agree',
    prompt: `Statement ${i + 1}: my manager listens to me and follows up on what I raise.`,
    required: true,
    choices: [],
  })),
  { kind: 'text', prompt: 'What should your manager keep doing?', required: false, choices: [] },
  { kind: 'text', prompt: 'What should your manager change or start doing?', required: false, choices: [] },
];

/** The report round's questions: twelve answered by everyone (ten agree, two choices) plus one optional comment. */
const REPORT_QUESTIONS: QuestionSpec[] = [
  ...SURVEY_QUESTIONS.slice(0, 10),
  {
    kind: 'choice',
    prompt: 'How often would you like a one-on-one?',
    required: true,
    choices: ['Every week', 'Every two weeks', 'Every month', 'Less often'],
  },
  {
    kind: 'choice',
    prompt: 'How long have you worked with your manager?',
    required: true,
    choices: ['Under a year', '1–3 years', 'Longer'],
  },
  { kind: 'text', prompt: 'Anything else your manager should hear?', required: false, choices: [] },
];

export interface People {
  managerId: string;
  leaderId: string;
  leaderEmail: string;
}

async function user(db: Db, email: string, name: string): Promise<string> {
  const row = await db
    .insertInto('users')
    .values({ email, display_name: name })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function seedPeople(db: Db): Promise<People> {
  const leaderEmail = 'leader@bench.example.com';
  return {
    managerId: await user(db, 'manager@bench.example.com', 'Mira Manager'),
    leaderId: await user(db, leaderEmail, 'Lee Leader'),
    leaderEmail,
  };
}

async function insertRound(
  db: Db,
  people: People,
  opts: {
    status: Database['feedback_requests']['status'];
    questions: QuestionSpec[];
    invited?: number;
    closesAt?: Date;
    closedAt?: Date | null;
  },
): Promise<{ id: string; questionIds: string[] }> {
  const now = new Date();
  const launched = opts.status !== 'submitted';
  const round = await db
    .insertInto('feedback_requests')
    .values({
      manager_id: people.managerId,
      leader_email: people.leaderEmail,
      status: opts.status,
      template_id: null,
      closes_at: opts.closesAt ?? new Date(now.getTime() + 30 * 86_400_000),
      manager_note: 'Please ask the whole team.',
      team_note: 'Thank you for taking five minutes. Be candid: nobody can tell which answers are yours.',
      decline_reason: null,
      anonymity_threshold: launched ? 3 : null,
      invited_count: launched ? (opts.invited ?? null) : null,
      previous_request_id: null,
      created_at: new Date(now.getTime() - 40 * 86_400_000),
      submitted_at: now,
      decided_at: launched ? now : null,
      launched_at: launched ? now : null,
      closed_at: opts.closedAt ?? null,
      invitees_purged_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // As a launch makes it (src/rounds/open-links.ts): an open round's sealed rows go there.
  if (opts.status === 'open') await createSealedPartition(db, round.id);
  const questions = await db
    .insertInto('request_questions')
    .values(
      opts.questions.map((q, position) => ({
        request_id: round.id,
        position,
        kind: q.kind,
        prompt: q.prompt,
        required: q.required,
        choices: sql<string>`${JSON.stringify(q.choices)}::jsonb`,
      })),
    )
    .returning(['id', 'position'])
    .execute();
  questions.sort((a, b) => a.position - b.position);
  return { id: round.id, questionIds: questions.map((q) => q.id) };
}

/** A fresh random survey link token, shaped as the app's (16 bytes, base64url). */
export const newLinkToken = () => randomBytes(16).toString('base64url');

/**
 * Invitations and an unspent survey link for each of the given tokens, in two statements.
 * The key is computed in SQL exactly as hashToken does (SHA-256 of the token, hex). The
 * tokens are random here, not derived from the invitations: the bench never reminds.
 */
async function addLinks(db: Db, requestId: string, tokens: string[], prefix: string): Promise<void> {
  await sql`
    insert into invitations (request_id, email)
    select ${requestId}::uuid, ${prefix} || '-' || n || '@bench.example.com'
    from unnest(${tokens}::text[]) with ordinality as u(t, n)`.execute(db);
  await sql`
    insert into survey_links (key, request_id)
    select encode(sha256(convert_to(t, 'UTF8')), 'hex') as key, ${requestId}::uuid
    from unnest(${tokens}::text[]) as u(t) order by key`.execute(db);
}

export interface SurveyRound {
  id: string;
  questionIds: string[];
  /** One link only opened (GET), never spent. */
  pageToken: string;
  /** Links spent by the submission runs, one per request. */
  submitTokens: string[];
}

/**
 * Vacuums and analyses every table, as autovacuum soon would after loading this much, but
 * before the load rather than during a measured run, where it would take a core from it. The
 * prepared plans of the survey's link lookup and the report's queries are then made from the
 * tables' statistics. Once, after the rounds are seeded (bench/harness.ts).
 */
export async function settle(db: Db): Promise<void> {
  await sql`vacuum analyze`.execute(db);
}

export async function seedSurveyRound(db: Db, people: People, submissions: number): Promise<SurveyRound> {
  const round = await insertRound(db, people, {
    status: 'open',
    questions: SURVEY_QUESTIONS,
    invited: submissions + 1,
  });
  const pageToken = newLinkToken();
  const submitTokens = Array.from({ length: submissions }, newLinkToken);
  for (let start = 0; start < submitTokens.length; start += 50_000) {
    await addLinks(db, round.id, submitTokens.slice(start, start + 50_000), `survey-${start}`);
  }
  await addLinks(db, round.id, [pageToken], 'page');
  return { ...round, pageToken, submitTokens };
}

/** What a team member answers: ten points on the agree scale and two short comments. */
export function surveyAnswers(
  round: Pick<SurveyRound, 'questionIds'>,
): Array<{ questionId: string; value: number | null; text: string | null }> {
  return round.questionIds.map((questionId, index) =>
    index < 10
      ? { questionId, value: (index % 5) + 1, text: null }
      : {
          questionId,
          value: null,
          text: index === 10 ? 'Keeps our one-on-ones every week.' : 'Share the roadmap earlier, please.',
        },
  );
}

/** The form a team member sends with those answers. */
export function surveyBody(round: Pick<SurveyRound, 'questionIds'>): string {
  const fields = new URLSearchParams();
  for (const answer of surveyAnswers(round)) fields.set(`q-${answer.questionId}`, String(answer.value ?? answer.text));
  return fields.toString();
}

/**
 * A closed round's answers as its close writes them (one row per question answered, nothing
 * grouping them) and its count, all in SQL.
 */
async function addResponses(db: Db, roundIds: string[], perRound: number, comments: number): Promise<void> {
  await sql`update feedback_requests set response_count = ${perRound} where id = any(${roundIds}::uuid[])`.execute(db);
  // Every response answers every scale and choice question; about 3% say "not applicable".
  await sql`
    insert into answers (question_id, value, not_applicable)
    select q.id,
      case when q.kind = 'agree' and random() < 0.03 then null
           when q.kind = 'agree' then 1 + floor(random() * 5)::int
           else floor(random() * jsonb_array_length(q.choices))::int end,
      q.kind = 'agree' and random() < 0.03
    from request_questions q cross join generate_series(1, ${perRound})
    where q.request_id = any(${roundIds}::uuid[]) and q.kind <> 'text'`.execute(db);
  if (comments > 0) {
    await sql`
      insert into answers (question_id, text)
      select q.id, 'Comment ' || row_number() over () || ': clear priorities and a calm manner in difficult weeks.'
      from request_questions q cross join generate_series(1, ${comments})
      where q.request_id = any(${roundIds}::uuid[]) and q.kind = 'text'`.execute(db);
  }
}

/**
 * Runs a bulk load on one connection with foreign key triggers off and the secondary
 * indexes of `tables` dropped, then rebuilds those indexes from their own definitions:
 * building an index once is far faster than updating it a million times. Only for the
 * benchmark's own fresh database, whose rows are consistent by construction.
 */
async function bulkLoad(db: Db, tables: string[], load: (db: Db) => Promise<void>): Promise<void> {
  await db.connection().execute(async (conn) => {
    const keys = await sql<{ table: string; name: string; definition: string }>`
      select c.conrelid::regclass::text as table, c.conname as name, pg_get_constraintdef(c.oid) as definition
      from pg_constraint c where c.contype = 'p' and c.conrelid::regclass::text = any(${tables}::text[])`.execute(conn);
    const indexes = await sql<{ name: string; definition: string }>`
      select i.indexname as name, i.indexdef as definition from pg_indexes i
      where i.schemaname = 'public' and i.tablename = any(${tables}::text[])
        and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(conn);
    for (const index of indexes.rows) await sql`drop index ${sql.id(index.name)}`.execute(conn);
    // Only primary keys nothing references (answers').
    const droppable = keys.rows.filter((key) => key.table === 'answers');
    for (const key of droppable)
      await sql`alter table ${sql.id(key.table)} drop constraint ${sql.id(key.name)}`.execute(conn);
    await sql`set session_replication_role = replica`.execute(conn);
    try {
      await load(conn);
    } finally {
      await sql`set session_replication_role = origin`.execute(conn);
      for (const key of droppable)
        await sql`alter table ${sql.id(key.table)} add constraint ${sql.id(key.name)} ${sql.raw(key.definition)}`.execute(
          conn,
        );
      for (const index of indexes.rows) await sql.raw(index.definition).execute(conn);
    }
  });
}

/** `count` closed rounds with the report questions, in two statements. */
async function insertClosedRounds(
  db: Db,
  people: People,
  count: number,
  invited: number,
  closedAt: Date,
): Promise<string[]> {
  if (count === 0) return [];
  const rounds = await sql<{ id: string }>`
    insert into feedback_requests (manager_id, leader_email, status, closes_at, anonymity_threshold, invited_count, created_at, submitted_at, decided_at, launched_at, closed_at)
    select ${people.managerId}::uuid, ${people.leaderEmail}, 'closed', ${closedAt}, 3, ${invited}, ${closedAt}::timestamptz - make_interval(days => 400 + n), ${closedAt}, ${closedAt}, ${closedAt}, ${closedAt}
    from generate_series(1, ${count}) as n
    returning id`.execute(db);
  const ids = rounds.rows.map((r) => r.id);
  const questions = JSON.stringify(REPORT_QUESTIONS);
  await sql`
    insert into request_questions (request_id, position, kind, prompt, required, choices)
    select r, q.ord - 1, q.value->>'kind', q.value->>'prompt', (q.value->>'required')::boolean, q.value->'choices'
    from unnest(${ids}::uuid[]) as r cross join jsonb_array_elements(${questions}::jsonb) with ordinality as q(value, ord)`.execute(
    db,
  );
  return ids;
}

/**
 * The report scenario's data: `others` closed rounds of `perOther` responses each, then the
 * round under test with `responses` responses of twelve answers and 30 comments. All have
 * the same leader, who can open every one of them.
 */
export async function seedReportRound(
  db: Db,
  people: People,
  opts: { responses: number; others: number; perOther: number },
): Promise<{ id: string; others: string[] }> {
  const closedAt = new Date(Date.now() - 86_400_000);
  const others = await insertClosedRounds(db, people, opts.others, opts.perOther, closedAt);
  const round = await insertRound(db, people, {
    status: 'closed',
    questions: REPORT_QUESTIONS,
    invited: opts.responses,
    closesAt: closedAt,
    closedAt,
  });
  await bulkLoad(db, ['answers'], async (conn) => {
    if (opts.perOther > 0) await addResponses(conn, others, opts.perOther, 0);
    await addResponses(conn, [round.id], opts.responses, 30);
  });
  return { id: round.id, others };
}

/**
 * What closing the round stores (src/rounds/close-round.ts): its count and figures in
 * round_results. The seeded rounds are inserted closed, so the bench does it here; it
 * returns how long it took, the time a close of this round adds.
 */
export async function storeReportResults(db: Db, roundId: string): Promise<number> {
  const started = performance.now();
  await storeRoundResults(db, roundId, 3);
  return performance.now() - started;
}

/** A submitted request waiting for the leader to launch it to `invitees` people. */
export async function seedLaunchRequest(db: Db, people: People, invitees: number, label: string): Promise<string> {
  const round = await insertRound(db, people, { status: 'submitted', questions: SURVEY_QUESTIONS });
  await sql`
    insert into invitations (request_id, email)
    select ${round.id}::uuid, ${label} || '-' || n || '@bench.example.com' from generate_series(1, ${invitees}) as n`.execute(
    db,
  );
  return round.id;
}

/**
 * A signed-in session, written as src/http/session.ts does; returns its cookie. Its forms'
 * CSRF token comes from a page of the running server (harness.ts, `formToken`).
 */
export async function seedSession(db: Db, secret: string, userId: string): Promise<{ cookie: string }> {
  const id = randomToken();
  const now = new Date();
  await db
    .insertInto('sessions')
    .values({ id_hash: keyedHash(secret, id), user_id: userId, created_at: now, last_seen_at: now })
    .execute();
  return { cookie: `upward_session=${id}` };
}

/**
 * `count` invitation emails waiting in the outbox, rendered once and copied in SQL. Earlier
 * unsent mail (a launch's invitations) is marked sent so the worker sends exactly these.
 */
export async function seedOutbox(db: Db, count: number, label: string, baseUrl: string): Promise<void> {
  await db
    .updateTable('email_outbox')
    .set({ status: 'sent', locked_until: null })
    .where('status', 'in', ['pending', 'sending'])
    .execute();
  // Through the invitation's own overload, so a field the email gains fails the type check here.
  const email = renderEmail<'invitation'>(
    'invitation',
    {
      managerName: 'Mira Manager',
      leaderName: 'Lee Leader',
      closesOn: '21 December 2026',
      teamNote: 'Thank you for taking five minutes.',
      link: `/s/${newLinkToken()}`,
      threshold: 3,
      addressesKept: addressesKeptWords(
        { kind: 'round', managerName: 'Mira Manager' },
        { days: 30, maxDays: 90 },
        'en',
      ),
    },
    { BASE_URL: baseUrl },
  );
  await sql`
    insert into email_outbox (message_id, to_address, name, subject, html, text, next_attempt_at, created_at)
    select '<' || ${label} || '-' || n || '@bench.example.com>', ${label} || '-' || n || '@bench.example.com', 'invitation',
      ${email.subject}, ${email.html}, ${email.text}, now(), now()
    from generate_series(1, ${count}) as n`.execute(db);
}

/** After the submission runs: sealed responses stored in the round, and links spent. */
export async function submissionTally(
  db: Db,
  round: { id: string },
  seededBallots: number,
): Promise<{ responses: number; spent: number }> {
  const responses = await db
    .selectFrom('sealed_responses')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('request_id', '=', round.id)
    .executeTakeFirstOrThrow();
  const left = await db
    .selectFrom('survey_links')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('request_id', '=', round.id)
    .where('spent', '=', false)
    .executeTakeFirstOrThrow();
  return { responses: Number(responses.n), spent: seededBallots - Number(left.n) };
}
