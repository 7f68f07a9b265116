// Crash mid-load: 500 people submit, each through their own link, to a production server on
// PostgreSQL; the server is killed with SIGKILL part-way. After a restart every submission
// that was answered "thank you" is stored, no link is spent without its response, no
// response exists twice or half-written, and everyone cut off can submit again.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  usePostgresAndSmtp,
  driveSubmissions,
  needsPostgres,
  productionEnv,
  roundState,
  seedRound,
  send,
  startProductionServer,
  surveyForm,
} from './helpers.ts';

const PEOPLE = 500;
const KILL_AFTER = 150;

describe('kill -9 under a load of survey submissions', { skip: needsPostgres }, () => {
  const { database, smtp } = usePostgresAndSmtp();

  it(`loses no acknowledged answer and spends no link without its response (${PEOPLE} people)`, async () => {
    const round = await seedRound(database().db, PEOPLE);
    const env = productionEnv(database().url!, smtp());
    let server = await startProductionServer(env);
    let killed = false;
    let killedAt = 0;

    const outcomes = await driveSubmissions(() => server.url, round.tokens, round.questions, {
      concurrency: 24,
      deadlineMs: 60_000,
      onAnswer: (stored) => {
        if (stored >= KILL_AFTER && !killed) {
          killed = true;
          killedAt = Date.now();
          server.child.kill('SIGKILL');
        }
      },
      // Keep sending for half a second after the kill: those meet a closed port, like real people.
      stopSending: () => killed && Date.now() - killedAt > 500,
    });
    const exit = await server.exited;
    assert.equal(exit.signal, 'SIGKILL', 'the server was killed, not stopped');

    const acknowledged = outcomes.flatMap((o, i) => (o.kind === 'stored' ? [i] : []));
    const cut = outcomes.flatMap((o, i) => (o.kind === 'cut' ? [i] : []));
    const other = outcomes.filter((o) => o.kind === 'answered');
    assert.ok(acknowledged.length >= KILL_AFTER, `at least ${KILL_AFTER} answered before the kill`);
    assert.deepEqual(other, [], 'no submission got an error page before the kill');

    const state = await roundState(database().db, round.request.id, round.tokens);
    assert.equal(
      state.responses + state.ballots,
      PEOPLE,
      'every spent link has exactly one response, and no response is without a link',
    );
    assert.ok(
      state.answerCounts.every((n) => n === round.questions.length),
      'no response is half-written',
    );
    for (const i of acknowledged) assert.equal(state.unspent[i], false, `acknowledged submission ${i} is stored`);

    // Restart: everyone cut off, or never served, tries again.
    server = await startProductionServer(env);
    try {
      const retry = round.tokens.flatMap((_, i) => (outcomes[i]!.kind === 'stored' ? [] : [i]));
      let again = 0;
      let alreadyStored = 0;
      for (const i of retry) {
        const reply = await send(`${server.url}/s/${round.tokens[i]}`, {
          method: 'POST',
          body: surveyForm(round.questions, i),
        });
        if (reply.status === 200) again++;
        else {
          // Cut off after its transaction committed: the answer is in, and the link says so.
          assert.equal(reply.status, 410, `retry of ${i}: ${reply.status}`);
          assert.match(reply.body, /already been used/);
          assert.equal(state.unspent[i], false, 'only a link already spent says "used"');
          alreadyStored++;
        }
      }
      assert.equal(again, state.ballots, 'every link not yet spent works after the restart');
      assert.equal(again + alreadyStored, retry.length);
      const final = await roundState(database().db, round.request.id, round.tokens);
      assert.equal(final.ballots, 0);
      assert.equal(final.responses, PEOPLE, 'one response per person, none twice');
      console.log(
        `# crash: ${acknowledged.length} acknowledged before SIGKILL, ${cut.length} cut off, ${alreadyStored} stored without an answer reaching the person`,
      );
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
