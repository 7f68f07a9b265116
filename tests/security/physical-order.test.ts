// After close, nothing in a copy of the database groups one person's answers or tells when
// they answered (issue 17): the round's answers and comments are rewritten by the one
// transaction that closes it, hold no value shared by some of them, and lie in the table in
// an order unrelated to the order people answered in; one person's two comments do not sit
// at matching places. The links' keys are stored in an order unrelated to the invitations',
// and a round that closed below the threshold keeps no answer at all.
//
// Like dump-attack.test.ts, these read whole dumps (tests/helpers/dump.ts) and name no table
// or column. The orders are compared by rank correlation under a bound unrelated orders pass
// (tests/helpers/rank-correlation.ts). Every check runs on a round and on a check-back (issue
// 20), which asks three statements and one comment: a person's second comment is the round's alone.
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase, type TestDatabase } from '../helpers/databases.ts';
import { useSmtpWorker, useTestApp } from '../helpers/suite.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/http/logger.ts';
import { createRoundJobs } from '../../src/jobs/runner.ts';
import {
  comparePlaces,
  contentAdded,
  describeRow,
  diffDumps,
  dumpDatabase,
  newTraces,
  rowKey,
  rowsHolding,
  rowsWithTraces,
  valuesOf,
  type Dump,
  type DumpRow,
} from '../helpers/dump.ts';
import { spearman, unrelatedBound } from '../helpers/rank-correlation.ts';
import {
  agree,
  answer,
  ATTACK_KINDS,
  comment,
  invitationRows,
  launchedRound,
  linkOf,
  type AttackKind,
  type LaunchedRound,
} from './attack-round.ts';

const RESPONDENTS = 30;
const QUESTIONS = [
  agree('My manager listens to me.'),
  agree('My manager follows up on what I raise.'),
  agree('I know what is expected of me.'),
  comment('What should your manager keep doing?'),
  comment('What should your manager change?'),
];
/** Respondent i's ratings: the first question's rise with the order of answering, the second's fall. */
const ratingsOf = (i: number) => [1 + Math.floor(i / 6), 5 - Math.floor(i / 6), 1 + (i % 5)];
/** What a stored rating or flag may read as: the answers' own content, shared by many rows by nature. */
const CONTENT = new Set(['1', '2', '3', '4', '5', 'true', 'false']);

const pad = (i: number) => String(i).padStart(2, '0');

/** Each row's rank (0 = first) in the physical order of `rows`. */
function physicalRanks(rows: DumpRow[]): Map<DumpRow, number> {
  const sorted = [...rows].sort((a, b) => comparePlaces(a.ctid, b.ctid));
  return new Map(sorted.map((row, rank) => [row, rank]));
}

function assertUnrelated(xs: number[], ys: number[], what: string) {
  const rho = spearman(xs, ys);
  const bound = unrelatedBound(xs.length);
  assert.ok(Math.abs(rho) < bound, `${what}: rank correlation ${rho.toFixed(3)}, over the bound ${bound.toFixed(3)}`);
}

function orderSuite(database: () => TestDatabase, kind: AttackKind): void {
  const db = () => database().db;
  const clock = new ManualClock('2026-11-02T09:00:00Z');
  const { app } = useTestApp(database, { clock });
  const mail = useSmtpWorker(database, { clock });
  let round: LaunchedRound;
  let open: Dump;
  let closed: Dump;
  const firstComment = (i: number) => `First comment of respondent ${pad(i)} in ${round.tag}`;
  const secondComment = (i: number) => `Second comment of respondent ${pad(i)} in ${round.tag}`;
  /** Respondent i's comments, one per comment question. */
  const commentsOf = (i: number) => [firstComment(i), secondComment(i)].slice(0, round.commentFields.length);

  /** A round launched, its invitations sent, so their outbox rows are what a real one keeps. */
  async function launch(opts: Parameters<typeof launchedRound>[2]) {
    const launched = await launchedRound(app(), db(), { ...opts, kind });
    while ((await mail.worker().runOnce()) > 0);
    return launched;
  }

  before(async () => {
    round = await launch({
      questions: QUESTIONS,
      team: Array.from({ length: RESPONDENTS }, (_, i) => `p${pad(i)}`),
      closesOn: '2026-11-10',
    });
    const invitations = invitationRows(await dumpDatabase(db()), round.invitees);
    for (const [i, invitation] of invitations.entries()) {
      await answer(app(), linkOf(app(), invitation.cells.id!).path, {
        ...Object.fromEntries(ratingsOf(i).map((rating, q) => [round.ratingFields[q]!, String(rating)])),
        ...Object.fromEntries(commentsOf(i).map((text, c) => [round.commentFields[c]!, text])),
      });
    }
    open = await dumpDatabase(db());
    // The round closes at its time, by the job, as most rounds do.
    clock.set('2026-11-11T09:00:00Z');
    const jobs = createRoundJobs({ db: db(), clock, config: app().config, logger: createLogger('silent') });
    assert.equal((await jobs.runOnce()).closed, 1);
    closed = await dumpDatabase(db());
  });

  /** Rows the close wrote that hold a question id of the round or a comment: its answers, however stored. */
  function roundRows(): DumpRow[] {
    const comments = Array.from({ length: RESPONDENTS }, (_, i) => commentsOf(i)).flat();
    // New content only: the questions' rows, locked by the check on the answers' questions, are not answers.
    return contentAdded(open, closed).filter(
      (row) =>
        valuesOf(row).some((value) => round.questionIds.includes(value)) ||
        comments.some((text) => valuesOf(row).includes(text)),
    );
  }
  const rowsOfQuestion = (position: number) =>
    roundRows().filter((row) => valuesOf(row).includes(round.questionIds[position]!));
  const commentRow = (text: string) => {
    const rows = rowsHolding(closed, text);
    assert.equal(rows.length, 1, `one row holds "${text}"`);
    return rows[0]!;
  };

  it('every answer and comment of the round was written by the one transaction that closed it', () => {
    const rows = roundRows();
    for (const position of [0, 1, 2])
      assert.equal(rowsOfQuestion(position).length, RESPONDENTS, `question ${position}`);
    for (let i = 0; i < RESPONDENTS; i++)
      for (const text of commentsOf(i)) assert.ok(rows.includes(commentRow(text)), text);
    const xids = new Set(rows.map((row) => row.xmin));
    assert.equal(xids.size, 1, `the round's answers were written by ${xids.size} transactions`);
    const openXids = new Set(open.flatMap((row) => [row.xmin, row.xmax]));
    assert.ok(!openXids.has([...xids][0]!), 'the transaction that wrote them had written rows before the close');
  });

  it('no value is shared by some rows of the round but not all (question ids and the answers themselves aside)', () => {
    const rows = roundRows();
    assert.equal(rowsOfQuestion(0).length, RESPONDENTS, 'the round has its answers');
    const comments = new Set(rows.flatMap(valuesOf).filter((v) => / of respondent \d\d in /.test(v)));
    const grouping = (value: string) =>
      !round.questionIds.includes(value) && !CONTENT.has(value) && !comments.has(value);
    for (const row of rows) {
      const questions = valuesOf(row).filter((value) => round.questionIds.includes(value));
      assert.ok(questions.length <= 1, `${describeRow(row)} holds the answers to ${questions.length} questions`);
    }
    const tablesOf = new Map<string, DumpRow[]>();
    for (const row of rows) tablesOf.set(row.table, [...(tablesOf.get(row.table) ?? []), row]);
    for (const value of new Set(rows.flatMap(valuesOf).filter(grouping))) {
      const holding = rows.filter((row) => valuesOf(row).includes(value));
      if (holding.length < 2) continue;
      for (const table of new Set(holding.map((row) => row.table))) {
        const some = holding.filter((row) => row.table === table).length;
        const all = tablesOf.get(table)!.length;
        assert.equal(some, all, `${value} is in ${some} of the round's ${all} rows of ${table}, grouping them`);
      }
    }
  });

  it('the physical order of answers and comments is unrelated to the order people answered in', () => {
    for (const [position, text] of (
      [
        [3, firstComment],
        [4, secondComment],
      ] as const
    ).slice(0, round.commentFields.length)) {
      const rows = Array.from({ length: RESPONDENTS }, (_, i) => commentRow(text(i)));
      const ranks = physicalRanks(rows);
      assertUnrelated(
        rows.map((_, i) => i),
        rows.map((row) => ranks.get(row)!),
        `comments to question ${position}`,
      );
    }
    // Ratings name nobody, but the first question's rise and the second's fall with the order of answering.
    for (const position of [0, 1]) {
      const rows = rowsOfQuestion(position);
      const ranks = physicalRanks(rows);
      const ratings = rows.map((row) => {
        const values = valuesOf(row).filter((value) => /^[1-5]$/.test(value));
        assert.equal(values.length, 1, `${describeRow(row)} holds one rating`);
        return Number(values[0]);
      });
      assertUnrelated(
        ratings,
        rows.map((row) => ranks.get(row)!),
        `ratings of question ${position}`,
      );
    }
  });

  // A check-back asks one comment.
  it("one person's two comments are not at matching places", { skip: kind === 'check-back' }, () => {
    const firsts = Array.from({ length: RESPONDENTS }, (_, i) => commentRow(firstComment(i)));
    const seconds = Array.from({ length: RESPONDENTS }, (_, i) => commentRow(secondComment(i)));
    const [firstRanks, secondRanks] = [physicalRanks(firsts), physicalRanks(seconds)];
    assertUnrelated(
      firsts.map((row) => firstRanks.get(row)!),
      seconds.map((row) => secondRanks.get(row)!),
      "each person's place among the first comments and among the second",
    );
  });

  it("the links' keys are stored in an order unrelated to the invitations' (50 invitees)", async () => {
    // Listed out of alphabetical order, so the list's order, the addresses' and the ids' differ.
    const team = Array.from({ length: 50 }, (_, i) => `m${pad((i * 17) % 50)}`);
    const fifty = await launch({
      questions: QUESTIONS,
      team,
      closesOn: '2026-11-20',
    });
    const dump = await dumpDatabase(db());
    const invitations = invitationRows(dump, fifty.invitees);
    const own = new Set(invitations.map(rowKey));
    const keyRows = invitations.map((invitation) => {
      const rows = rowsHolding(dump, linkOf(app(), invitation.cells.id!).key).filter((row) => !own.has(rowKey(row)));
      assert.equal(rows.length, 1, "one row holds each link's key");
      return rows[0]!;
    });
    const keyRanks = physicalRanks(keyRows);
    const keys = invitations.map((_, i) => keyRanks.get(keyRows[i]!)!);
    const invitationRanks = physicalRanks(invitations);
    const rankBy = (key: (row: DumpRow) => string) => {
      const sorted = [...invitations].sort((a, b) => key(a).localeCompare(key(b)));
      return invitations.map((row) => sorted.indexOf(row));
    };
    assertUnrelated(
      invitations.map((row) => invitationRanks.get(row)!),
      keys,
      "keys' physical order against the invitations'",
    );
    assertUnrelated(
      invitations.map((_, i) => i),
      keys,
      "keys' physical order against the invitee list's",
    );
    assertUnrelated(
      rankBy((row) => row.cells.id!),
      keys,
      "keys' physical order against the invitations' ids",
    );
    assertUnrelated(
      rankBy((row) => valuesOf(row).find((v) => v.includes('@'))!),
      keys,
      "keys' physical order against the addresses'",
    );
  });

  it('a round that closed below the threshold holds no answer', async () => {
    const small = await launch({
      questions: QUESTIONS,
      team: ['ann', 'bob', 'cy', 'di', 'ed'],
      closesOn: '2026-11-20',
    });
    const launched = await dumpDatabase(db());
    const invitations = invitationRows(launched, small.invitees);
    const markers = [`Below k, first of ${small.tag}`, `Below k, second of ${small.tag}`];
    for (const [i, marker] of markers.entries()) {
      await answer(app(), linkOf(app(), invitations[i]!.cells.id!).path, {
        // Every statement rated (a check-back's are required), 1 and 5 in turn.
        ...Object.fromEntries(small.ratingFields.map((field, q) => [field, q % 2 ? '5' : '1'])),
        [small.commentFields[0]!]: marker,
      });
    }
    const beforeClose = await dumpDatabase(db());
    await small.close();
    const after = await dumpDatabase(db());
    for (const marker of markers) assert.deepEqual(rowsHolding(after, marker).map(describeRow), [], marker);
    const answers = contentAdded(launched, after).filter((row) =>
      valuesOf(row).some((value) => small.questionIds.includes(value)),
    );
    assert.deepEqual(answers.map(describeRow), [], "rows written since launch name the round's questions");
    const { added, removed } = diffDumps(launched, beforeClose);
    const left = rowsWithTraces(after, newTraces([...added, ...removed], launched));
    assert.deepEqual(left.map(describeRow), [], 'rows hold a value or transaction id written while it was open');
  });
}

for (const kind of ATTACK_KINDS)
  describeEachDatabase(`after close, no order, value or transaction groups answers (issue 17, ${kind})`, (database) =>
    orderSuite(database, kind),
  );
