// SIGTERM under load: submissions in flight when the signal comes finish with "thank you",
// new ones are refused at the door (connection refused, never an error page or a half
// answer), nothing acknowledged is lost, and the process exits 0 in bounded time; also when
// clients keep connections alive, which once made shutdown wait out SHUTDOWN_TIMEOUT_MS
// and then cut whatever was in flight.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  usePostgresAndSmtp,
  driveSubmissions,
  needsPostgres,
  productionEnv,
  roundState,
  seedRound,
  startProductionServer,
} from './helpers.ts';

const PEOPLE = 500;
const STOP_AFTER = 150;
const SHUTDOWN_TIMEOUT_MS = 5_000;

describe('SIGTERM under a load of survey submissions', { skip: needsPostgres }, () => {
  const { database, smtp } = usePostgresAndSmtp();

  for (const keepAlive of [false, true]) {
    const how = keepAlive ? 'over keep-alive connections, as from a load balancer' : 'a new connection per person';
    it(`finishes what is in flight, refuses the rest cleanly and exits in time (${how})`, async () => {
      const round = await seedRound(database().db, PEOPLE);
      const server = await startProductionServer(
        productionEnv(database().url!, smtp(), { SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) }),
      );
      let signalledAt = 0;
      let storedAfterSignal = 0;

      const outcomes = await driveSubmissions(() => server.url, round.tokens, round.questions, {
        concurrency: 24,
        keepAlive,
        deadlineMs: 60_000,
        onAnswer: (stored) => {
          if (signalledAt) storedAfterSignal++;
          if (stored >= STOP_AFTER && !signalledAt) {
            signalledAt = Date.now();
            server.child.kill('SIGTERM');
          }
        },
        stopSending: () => signalledAt > 0 && Date.now() - signalledAt > 1_000,
      });
      const exit = await server.exited;
      const stoppedInMs = Date.now() - signalledAt;
      assert.equal(exit.code, 0, exit.stderr);
      // Within the limit, not cut at it: keep-alive connections close once answered.
      assert.ok(stoppedInMs < SHUTDOWN_TIMEOUT_MS, `exited ${stoppedInMs} ms after SIGTERM`);
      assert.match(exit.stdout, /"msg":"stopped"/);

      const acknowledged = outcomes.flatMap((o, i) => (o.kind === 'stored' ? [i] : []));
      const refused = outcomes.flatMap((o, i) => (o.kind === 'cut' ? [i] : []));
      assert.deepEqual(
        outcomes.filter((o) => o.kind === 'answered'),
        [],
        'no error page, no 503: in flight finishes, the rest never gets in',
      );
      assert.ok(storedAfterSignal > 0, 'submissions in flight at the signal were answered "thank you"');
      assert.ok(refused.length > 0, 'submissions after the signal were refused');
      const codes = new Set(refused.map((i) => (outcomes[i] as { code: string }).code));
      // A closed port, or (keep-alive) an idle connection closed by the server just as the
      // next request was sent on it: either way the request was never read (checked below).
      const atTheDoor = ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET'];
      assert.ok(
        [...codes].every((code) => atTheDoor.includes(code)),
        `refused at the door: ${[...codes].join(', ')}`,
      );

      const state = await roundState(database().db, round.request.id, round.tokens);
      for (const i of acknowledged) assert.equal(state.unspent[i], false, `acknowledged submission ${i} is stored`);
      for (const i of refused) assert.equal(state.unspent[i], true, `refused submission ${i} left its link unspent`);
      assert.equal(state.responses, acknowledged.length, 'exactly the acknowledged submissions are stored');
      assert.equal(state.responses + state.ballots, PEOPLE);
      console.log(
        `# shutdown (${how}): ${acknowledged.length} stored (${storedAfterSignal} finished after SIGTERM), ${refused.length} refused, exit after ${stoppedInMs} ms`,
      );
    });
  }
});
