// The audit's attack of issue 17, as a test. A hostile operator copies the whole database
// (every table, with the row versions' transaction ids and physical places) while a round is
// open, once before and once after a person they know answers, and again after the round
// closed; a reminder goes out halfway and one more person answers after it. Without the
// server secret, nothing in the copies may name who answered, pair
// an answer or comment with an invitee, or tell the known person's answer from the others'
// (not even by its size: they write a long comment, the others short ones); while the round
// is open no answer is readable at all. With the secret, the copy taken after close pairs
// nothing either: no link key is left to recompute, nothing sealed is left to open.
//
// The tests name no table or column: they read whole dumps (tests/helpers/dump.ts), so they
// hold against whatever shape the storage takes. The attack runs on a round and on a check-back
// (issue 20), which asks six statements and one comment (the second comment is the round's).
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase, type TestDatabase } from '../helpers/databases.ts';
import { useSmtpWorker, useTestApp } from '../helpers/suite.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/http/logger.ts';
import { createRoundJobs } from '../../src/jobs/runner.ts';
import {
  contentAdded,
  contentRemoved,
  describeRow,
  diffDumps,
  dumpDatabase,
  holds,
  LONG,
  newTraces,
  rowKey,
  rowsHolding,
  rowsWithTraces,
  shapesOf,
  valuesOf,
  type Dump,
  type DumpRow,
} from '../helpers/dump.ts';
import { surveyPathsIn } from '../rounds/helpers.ts';
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

const HALFWAY = '2026-11-09T16:29:59.999Z';

const QUESTIONS = [
  agree('My manager listens to me.'),
  agree('My manager follows up on what I raise.'),
  agree('I know what is expected of me.'),
  agree('My manager gives useful feedback.'),
  agree('My manager backs the team.'),
  agree('I would recommend working for my manager.'),
  comment('What should your manager keep doing?'),
  comment('What should your manager change?'),
];

/** The known person's ratings: nobody else answers 1 or 5, so after close they are recognisable. */
const KNOWN_RATINGS = [1, 5, 1, 5, 1, 5];
/** The others' ratings and short comments, in the order they answer ('na': not applicable). */
const OTHERS: Array<{ ratings: Array<number | 'na'>; comments: [string, string] }> = [
  { ratings: [3, 4, 3, 4, 3, 4], comments: ['ok', 'More focus time, please.'] },
  { ratings: [4, 3, 'na', 3, 4, 3], comments: ['Clear goals.', ''] },
  { ratings: [3, 3, 4, 4, 3, 3], comments: ['Weekly check-ins', 'Less context switching'] },
];

function attackSuite(database: () => TestDatabase, kind: AttackKind): void {
  const db = () => database().db;
  const clock = new ManualClock('2026-11-02T09:00:00Z');
  const { app } = useTestApp(database, { clock });
  const mail = useSmtpWorker(database, { clock });
  let round: LaunchedRound;
  let known: string;
  let marker: string;
  let longComment: string;
  const links = new Map<string, string>();
  /** The dumps, in the order they were taken. */
  const dumps = {} as Record<'launched' | 'beforeKnown' | 'afterKnown' | 'reminded' | 'beforeClose' | 'closed', Dump>;
  /** What each other person's answer changed, from a dump just before to one just after. */
  const otherAnswers: Array<{ before: Dump; after: Dump }> = [];

  const dump = () => dumpDatabase(db());

  async function answerAsOther(email: string, index: number) {
    const { ratings, comments } = OTHERS[index]!;
    const fields = Object.fromEntries([
      ...ratings.map((rating, i) => [round.ratingFields[i]!, String(rating)]),
      ...round.commentFields.map((field, i) => [field, comments[i]!]),
    ]);
    const before = await dump();
    await answer(app(), links.get(email)!, fields);
    otherAnswers.push({ before, after: await dump() });
  }

  before(async () => {
    round = await launchedRound(app(), db(), {
      questions: QUESTIONS,
      team: ['ann', 'bob', 'cy', 'di', 'ed', 'flo', 'gus', 'hal'],
      closesOn: '2026-11-16',
      kind,
    });
    // The invitations go out for real, so their outbox rows are what a real one keeps.
    await mail.worker().runOnce();
    for (const email of round.invitees) {
      const sent = await mail.smtp().waitFor((m) => m.to === email && round.invitationSubject.test(m.subject));
      links.set(email, surveyPathsIn(sent.text)[0]!);
    }
    marker = `Marker-${round.tag}-known-person`;
    // Stored as written: the survey trims a comment's surrounding space.
    longComment = `${marker}: ${'I could name the meeting where this happened, and so could you. '.repeat(70)}`.trim();
    known = round.invitees[2]!;
    const [first, second, , later] = round.invitees;

    dumps.launched = await dump();
    await answerAsOther(first!, 0);
    await answerAsOther(second!, 1);
    dumps.beforeKnown = await dump();
    const knownComments = [longComment, `${marker}, second comment`];
    await answer(app(), links.get(known)!, {
      ...Object.fromEntries(KNOWN_RATINGS.map((rating, i) => [round.ratingFields[i]!, String(rating)])),
      ...Object.fromEntries(round.commentFields.map((field, i) => [field, knownComments[i]!])),
    });
    dumps.afterKnown = await dump();
    // Halfway, the reminder goes to those who have not answered, and is sent; the last of the
    // others answers after it, the case the audit could name from one copy after close.
    clock.set(HALFWAY);
    const jobs = createRoundJobs({ db: db(), clock, config: app().config, logger: createLogger('silent') });
    assert.equal((await jobs.runOnce()).reminders, 1);
    while ((await mail.worker().runOnce()) > 0);
    dumps.reminded = await dump();
    await answerAsOther(later!, 2);
    dumps.beforeClose = await dump();
    await round.close();
    dumps.closed = await dump();
  });

  const allDumps = () => Object.entries(dumps) as Array<[string, Dump]>;
  /** Every dump taken while the round was open, in order. */
  const openDumps = () => [
    dumps.launched,
    ...otherAnswers.slice(0, 2).flatMap((a) => [a.before, a.after]),
    dumps.beforeKnown,
    dumps.afterKnown,
    dumps.reminded,
    ...otherAnswers.slice(2).flatMap((a) => [a.before, a.after]),
    dumps.beforeClose,
  ];
  /** What each answer brought that the dump just before it did not hold: long values and transaction ids. */
  const answersTraces = () => {
    const each = [...otherAnswers, { before: dumps.beforeKnown, after: dumps.afterKnown }].map(({ before, after }) =>
      newTraces(diffDumps(before, after).added, before),
    );
    return { values: each.flatMap((t) => t.values), xids: each.flatMap((t) => t.xids) };
  };
  /** Every row version written or deleted while the round was open (the reminder's too), from one dump to the next. */
  const openPhase = () =>
    openDumps()
      .slice(1)
      .flatMap((dump, i) => {
        const { added, removed } = diffDumps(openDumps()[i]!, dump);
        return [...added, ...removed];
      });

  /** An invitation's values (long ones) and transaction id that not every invitation of the round shares. */
  function distinctive(invitations: DumpRow[]) {
    const common = (value: string) => invitations.every((row) => valuesOf(row).includes(value));
    return invitations.map((invitation) => ({
      invitation,
      values: valuesOf(invitation).filter((v) => v.length >= LONG && !common(v)),
      xid: invitations.every((row) => row.xmin === invitation.xmin) ? undefined : invitation.xmin,
      common,
    }));
  }

  /** (question id, value) pairs of the known person's ratings. */
  const knownPattern = () => KNOWN_RATINGS.map((rating, i) => [round.questionIds[i]!, String(rating)] as const);

  /** Whether rows `dump` has and `except` had not hold each pair: the question id in one cell, the value in another. */
  function patternIn(dump: Dump, except: Dump): boolean {
    // New content only: a row merely locked since (its xmax changed) holds nothing new.
    const rows = contentAdded(except, dump);
    return knownPattern().every(([questionId, value]) =>
      rows.some((row) => {
        const cells = Object.values(row.cells);
        return cells.includes(questionId) && cells.filter((cell) => cell === value).length > 0;
      }),
    );
  }

  it('the invitations are the same row versions in every dump: none tells who answered', () => {
    const launched = invitationRows(dumps.launched, round.invitees).map(rowKey);
    for (const [name, dump] of allDumps())
      assert.deepEqual(invitationRows(dump, round.invitees).map(rowKey), launched, `the invitations in ${name}`);
  });

  it('no dump holds a value or transaction id that pairs an invitation with any other row', () => {
    for (const [name, dump] of allDumps()) {
      const invitations = invitationRows(dump, round.invitees);
      const own = new Set(invitations.map(rowKey));
      const others = dump.filter((row) => !own.has(rowKey(row)));
      for (const { invitation, values, xid, common } of distinctive(invitations)) {
        for (const row of others) {
          for (const value of values)
            assert.ok(
              !valuesOf(row).some((cell) => holds(cell, value)),
              `${name}: ${describeRow(row)} holds ${value} of the invitation ${describeRow(invitation)}`,
            );
          for (const value of valuesOf(row).filter((v) => v.length >= LONG && !common(v)))
            assert.ok(
              !valuesOf(invitation).includes(value),
              `${name}: the invitation ${describeRow(invitation)} holds ${value} of ${describeRow(row)}`,
            );
          if (xid)
            assert.ok(
              ![row.xmin, row.xmax].includes(xid),
              `${name}: ${describeRow(row)} was written or locked by the transaction that wrote one invitation`,
            );
        }
      }
    }
  });

  it('nothing written while the round was open holds anything of an invitation', () => {
    const written = openPhase();
    assert.ok(written.length > 0, 'the answers wrote something');
    for (const { invitation, values, xid } of distinctive(invitationRows(dumps.launched, round.invitees))) {
      for (const row of written) {
        assert.ok(
          !values.some((value) => valuesOf(row).some((cell) => holds(cell, value))),
          `written while open, ${describeRow(row)} holds something of the invitation ${describeRow(invitation)}`,
        );
        assert.ok(
          !xid || ![row.xmin, row.xmax].includes(xid),
          `written while open, ${describeRow(row)} shares a transaction with an invitation`,
        );
      }
    }
  });

  it("the known person's answer added rows of the very shape another's added, and nothing of them is left after close", () => {
    const added = contentAdded(dumps.beforeKnown, dumps.afterKnown);
    const removed = contentRemoved(dumps.beforeKnown, dumps.afterKnown);
    assert.ok(added.length > 0, 'the answer wrote something');
    for (const [i, other] of otherAnswers.entries()) {
      assert.deepEqual(
        shapesOf(added),
        shapesOf(contentAdded(other.before, other.after)),
        `a copy tells the known answer from answer ${i + 1} by what it added (table, cell lengths)`,
      );
      assert.deepEqual(
        shapesOf(removed),
        shapesOf(contentRemoved(other.before, other.after)),
        `a copy tells the known answer from answer ${i + 1} by what it removed`,
      );
    }
    const traces = newTraces(diffDumps(dumps.beforeKnown, dumps.afterKnown).added, dumps.beforeKnown);
    const left = rowsWithTraces(dumps.closed, traces);
    assert.deepEqual(
      left.map(describeRow),
      [],
      'after close, rows hold a value or transaction id that the known answer wrote',
    );
  });

  it("while open, the known person's comment and ratings are in no column of any table; after close they are", () => {
    for (const name of ['beforeKnown', 'afterKnown', 'reminded', 'beforeClose'] as const) {
      assert.deepEqual(rowsHolding(dumps[name], marker).map(describeRow), [], `${name}: the marker comment is stored`);
      for (const other of OTHERS.flatMap((o) => o.comments).filter((c) => c.length >= LONG))
        assert.deepEqual(rowsHolding(dumps[name], other).map(describeRow), [], `${name}: "${other}" is stored`);
      assert.equal(patternIn(dumps[name], dumps.launched), false, `${name}: the ratings are stored in the clear`);
    }
    assert.equal(rowsHolding(dumps.closed, longComment).length, 1, 'after close, the comment is stored');
    assert.equal(patternIn(dumps.closed, dumps.launched), true, 'after close, the ratings are stored');
  });

  it('with the secret, the dump after close pairs nothing: no link key recomputed from an invitation is left, nothing sealed', () => {
    const invitations = invitationRows(dumps.launched, round.invitees);
    const keyOf = (email: string) => linkOf(app(), invitations[round.invitees.indexOf(email)]!.cells.id!);
    const elsewhere = (dump: Dump, needle: string) => {
      const own = new Set(invitationRows(dump, round.invitees).map(rowKey));
      return rowsHolding(dump, needle).filter((row) => !own.has(rowKey(row)));
    };
    // The recomputation is the app's: at launch each link's key is stored where a copy can find it.
    for (const email of round.invitees) {
      assert.equal(links.get(email), keyOf(email).path, 'the emailed link is the recomputed one');
      assert.equal(elsewhere(dumps.launched, keyOf(email).key).length, 1, `the key of ${email}'s link at launch`);
    }
    for (const email of round.invitees) {
      const { key, token } = keyOf(email);
      assert.deepEqual(elsewhere(dumps.closed, key).map(describeRow), [], `after close, the key of ${email}'s link`);
      assert.deepEqual(rowsHolding(dumps.closed, token).map(describeRow), [], `after close, ${email}'s token`);
    }
    // What the answers wrote: a reminder's blank outbox rows may outlive the round, answers' traces may not.
    const traces = answersTraces();
    assert.deepEqual(
      rowsWithTraces(dumps.closed, traces).map(describeRow),
      [],
      'after close, rows hold a value or transaction id the answers wrote while the round was open',
    );
  });
}

for (const kind of ATTACK_KINDS)
  describeEachDatabase(
    `a hostile operator with copies of the database, without and with the secret (${kind})`,
    (database) => attackSuite(database, kind),
  );
