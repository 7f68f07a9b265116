// The close's rewrite (src/rounds/close-round.ts, rewrite-answers.ts), on both databases: the
// sealed rows opened and written out per question in one transaction, in an order unrelated
// to the order of answering and with nothing that groups one person's answers; a round below
// its threshold keeping only its count; answers left in plaintext by migration 0013 sealed at
// start (src/survey/seal-unsealed.ts) and, if a round closes first, rewritten with the others.
// Every case runs on a round and on a check-back (issue 20: two statements and one comment,
// so the checks on a person's second comment are the round's alone).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachDatabase, type TestDatabase } from '../helpers/databases.ts';
import { addResponse, createOpenRound, createUser, type AnswerSpec, type QuestionSpec } from '../helpers/factories.ts';
import { sealPadded } from '../helpers/sealed-v1.ts';
import { questionsOf } from '../../src/rounds/round-queries.ts';
import { roundKey, sealAnswers } from '../../src/survey/sealing.ts';
import { MAX_COMMENT_LENGTH } from '../../src/survey/form.ts';
import { testConfig, TEST_SECRET } from '../helpers/app.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { closeRound } from '../../src/rounds/close-round.ts';
import { readRoundResults } from '../../src/reports/round-results.ts';
import { sealUnsealedResponses } from '../../src/survey/seal-unsealed.ts';
import { storedFor } from '../survey/survey-helpers.ts';
import { checkBackRound } from '../helpers/check-backs.ts';

const QUESTIONS: QuestionSpec[] = [
  { kind: 'agree', prompt: 'Listens.' },
  { kind: 'agree', prompt: 'Follows up.' },
  { kind: 'text', prompt: 'Keep doing?' },
  { kind: 'text', prompt: 'Change?' },
];

/** Spearman's rank correlation of a sequence of ranks with 0, 1, 2, … */
function rankCorrelation(ranks: number[]): number {
  const n = ranks.length;
  const d2 = ranks.reduce((sum, rank, position) => sum + (rank - position) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

function rewriteSuite(database: () => TestDatabase, kind: 'round' | 'check-back'): void {
  const db = () => database().db;
  const clock = new ManualClock('2026-11-10T12:00:00Z');
  const deps = { config: testConfig(), clock };

  /** A round (or a check-back) open with its layout, no answer yet: the check-back's threshold is the deployment's, 3. */
  async function openRound(people: number, threshold: number) {
    if (kind === 'check-back') {
      const checkBack = await checkBackRound({ clock, config: deps.config }, db(), {
        team: Math.max(people, 3),
        closesOn: '2026-11-20',
      });
      return { request: checkBack.request, questions: checkBack.questions };
    }
    const manager = await createUser(db());
    const invitees = Array.from({ length: people }, (_, i) => `p${i}-${manager.id}@example.com`);
    const round = await createOpenRound(db(), {
      managerId: manager.id,
      leaderEmail: 'lee@example.com',
      questions: QUESTIONS,
      invitees,
      threshold,
    });
    return round;
  }

  async function answeredRound(people: number, threshold = 3) {
    const round = await openRound(people, threshold);
    const ids = round.questions.map((q) => q.id);
    // Person i answers in turn: ratings 1–5 by turn, and comments naming their turn (a
    // check-back has one comment question: "keep").
    for (let i = 0; i < people; i++)
      await addResponse(
        db(),
        round.request.id,
        ids,
        [(i % 5) + 1, 'na', `keep ${i}`, `change ${i}`].slice(0, ids.length),
      );
    return { ...round, ids };
  }

  /** The round's answers in physical order, with the transaction that wrote each. */
  async function answersOf(questionIds: string[]) {
    const { rows } = await sql<{ question_id: string; value: number | null; text: string | null; xmin: string }>`
    select question_id, value, text, xmin::text as xmin from answers
    where question_id = any(${questionIds}::uuid[]) order by ctid`.execute(db());
    return rows;
  }

  it('writes every answer once, per question, all in one transaction, and leaves no sealed row or link', async () => {
    const round = await answeredRound(6);
    const sealed = await storedFor(db(), round.request.id);
    assert.equal(await closeRound(db(), round.request.id, deps), true);
    const answers = await answersOf(round.ids);
    const key = (a: { question_id: string; value: number | null; text: string | null }) =>
      JSON.stringify([a.question_id, a.value, a.text]);
    assert.deepEqual(answers.map(key).sort(), sealed.answers.map(key).sort());
    assert.equal(new Set(answers.map((a) => a.xmin)).size, 1, 'every answer row of the round shares one xmin');
    assert.equal((await storedFor(db(), round.request.id)).responses.length, 0, 'the sealed rows are gone');
    assert.equal(
      (await db().selectFrom('survey_links').select('key').where('request_id', '=', round.request.id).execute()).length,
      0,
    );
    const row = await db()
      .selectFrom('feedback_requests')
      .select(['status', 'response_count'])
      .where('id', '=', round.request.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'closed', response_count: 6 });
    assert.equal((await readRoundResults(db(), round.request.id))!.responses, 6);
  });

  it('writes them in an order unrelated to the answering, and one person’s comments at unrelated positions', async () => {
    const round = await answeredRound(30);
    await closeRound(db(), round.request.id, deps);
    const answers = await answersOf(round.ids);
    const turnsOf = (prefix: string) =>
      answers.filter((a) => a.text?.startsWith(prefix)).map((a) => Number(a.text!.slice(prefix.length)));
    const keep = turnsOf('keep ');
    const change = turnsOf('change ');
    assert.equal(keep.length, 30);
    // For 30 unrelated orders |rho| exceeds 0.7 about once in a million tries.
    const rho = rankCorrelation(keep);
    assert.ok(Math.abs(rho) < 0.7, `the comments' physical order follows the answering (rho ${rho.toFixed(2)})`);
    if (kind === 'check-back') return assert.equal(change.length, 0, 'a check-back has one comment question');
    // Person i's two comments: their positions within each question line up only by chance.
    const positionIn = (turns: number[]) => new Map(turns.map((turn, position) => [turn, position]));
    const keepAt = positionIn(keep);
    const changeAt = positionIn(change);
    const paired = rankCorrelation(
      [...keepAt.entries()].sort((a, b) => a[1] - b[1]).map(([turn]) => changeAt.get(turn)!),
    );
    assert.ok(Math.abs(paired) < 0.7, `one person's comments line up (rho ${paired.toFixed(2)})`);
    const same = [...keepAt.entries()].filter(([turn, position]) => changeAt.get(turn) === position).length;
    assert.ok(same <= 6, `${same} of 30 people have both comments at the same position`);
  });

  it('reads long bodies past the first read and rows sealed in the first format, and exactly what was sealed', async () => {
    const round = await answeredRound(3);
    const layout = await questionsOf(db(), round.request.id);
    const key = roundKey(TEST_SECRET, round.request.id);
    const answers = (values: AnswerSpec[]) =>
      values
        .slice(0, round.ids.length)
        .map((value, i) =>
          typeof value === 'number'
            ? { questionId: round.ids[i]!, value, notApplicable: false, text: null }
            : { questionId: round.ids[i]!, value: null, notApplicable: false, text: value as string },
        );
    // A comment of every length around where the first read ends, the longest the survey
    // takes, and two rows as a round open across the upgrade holds them.
    const comments = [900, 960, 961, 962, 990, 1100, MAX_COMMENT_LENGTH].map((n, i) => `long ${i} `.padEnd(n, 'é'));
    const rows = [
      ...comments.map((text) => sealAnswers(key, layout, answers([2, 3, text, 'ok']))),
      sealPadded(key, layout, answers([5, 5, 'first format', 'also'])),
      sealPadded(key, layout, answers([4, 4, 'first format, two', 'x'.repeat(3000)])),
    ];
    await db()
      .insertInto('sealed_responses')
      .values(rows.map((sealed) => ({ request_id: round.request.id, sealed })))
      .execute();
    await closeRound(db(), round.request.id, deps);
    const texts = (await answersOf(round.ids)).map((a) => a.text).filter((t) => t !== null);
    const second = kind === 'round' ? ['x'.repeat(3000)] : []; // the second comment question's
    for (const text of [...comments, 'first format', 'first format, two', ...second])
      assert.equal(texts.filter((t) => t === text).length, 1, `${text.slice(0, 12)}… (${text.length})`);
    const row = await db()
      .selectFrom('feedback_requests')
      .select('response_count')
      .where('id', '=', round.request.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.response_count, 12);
  });

  it('keeps sealed rows uncompressed out of line, so the close reads a row’s start without the rest', async () => {
    const { rows } = await sql<{ storage: string }>`
    select attstorage as storage from pg_attribute
    where attrelid = 'sealed_responses'::regclass and attname = 'sealed'`.execute(db());
    assert.deepEqual(rows, [{ storage: 'e' }], 'storage external');
  });

  it('refuses to close on a sealed row that was altered, and leaves the round open', async () => {
    const round = await answeredRound(3);
    await sql`update sealed_responses set sealed = overlay(sealed placing '\\x00000000'::bytea from 13)
    where id = (select id from sealed_responses where request_id = ${round.request.id} limit 1)`.execute(db());
    await assert.rejects(closeRound(db(), round.request.id, deps));
    const row = await db()
      .selectFrom('feedback_requests')
      .select('status')
      .where('id', '=', round.request.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'open');
  });

  it('keeps only the count of a round that closed below its threshold', async () => {
    const round = await answeredRound(2);
    assert.equal(await closeRound(db(), round.request.id, deps), true);
    assert.deepEqual(await answersOf(round.ids), [], 'no answer of a round below k is ever written');
    assert.equal((await storedFor(db(), round.request.id)).responses.length, 0, 'nor kept sealed');
    const row = await db()
      .selectFrom('feedback_requests')
      .select('response_count')
      .where('id', '=', round.request.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.response_count, 2);
    const results = (await readRoundResults(db(), round.request.id))!;
    assert.equal(results.responses, 2);
    assert.ok(results.figures.every((q) => q.suppressed));
  });

  it('seals answers the migration left in plaintext at start, and a close takes any still unsealed', async () => {
    const round = await answeredRound(1);
    const plain = [{ questionId: round.ids[0], value: 4, notApplicable: false, text: null }];
    const unsealed = () =>
      db()
        .insertInto('unsealed_responses')
        .values({ request_id: round.request.id, answers: JSON.stringify(plain) })
        .execute();
    await unsealed();
    await unsealed();
    assert.equal(await sealUnsealedResponses(db(), TEST_SECRET), 2);
    assert.equal((await db().selectFrom('unsealed_responses').select('id').execute()).length, 0);
    const stored = await storedFor(db(), round.request.id);
    assert.equal(stored.responses.length, 3);
    assert.equal(stored.answers.filter((a) => a.value === 4).length, 2, 'the sealed answers open as they were');
    assert.equal(await sealUnsealedResponses(db(), TEST_SECRET), 0, 'nothing twice');

    await unsealed();
    await closeRound(db(), round.request.id, deps);
    const answers = await answersOf(round.ids);
    assert.equal(answers.filter((a) => a.value === 4).length, 3, 'the one never sealed is rewritten with the others');
    assert.equal((await db().selectFrom('unsealed_responses').select('id').execute()).length, 0);
  });
}

for (const kind of ['round', 'check-back'] as const)
  describeEachDatabase(`closing rewrites the sealed answers (${kind})`, (database) => rewriteSuite(database, kind));
