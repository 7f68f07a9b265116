// Guessing links. Survey links: only failed lookups (unknown or malformed links) count, per
// client, under a keyed hash of its IP address; once the limit is reached every survey page
// answers 429 until the window ends. An honest respondent's visit and answer write no row
// at all. Sign-in links: confirmations are limited per IP address, and so are lookups of
// unknown links. The log says a limit was reached, and never names the token or the IP.
import { it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { TestClient, textOf } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { randomToken } from '../../src/lib/tokens.ts';
import { SURVEY_LINK_LIMITS } from '../../src/survey/routes.ts';
import { SIGN_IN_LIMITS } from '../../src/auth/routes.ts';
import { createFixture, createOpenRound } from '../helpers/factories.ts';
import { NOW, visitor } from './world.ts';

describeEachDatabase('guessing links', (database) => {
  const clock = new ManualClock(NOW);
  const { app, people } = useTestApp(database, { clock, people: true });

  beforeEach(async () => {
    await database().db.deleteFrom('rate_limits').execute();
    app().logs.lines.length = 0;
  });

  const rateLimitRows = () => database().db.selectFrom('rate_limits').selectAll().execute();

  function assertLogsName(limit: string, secrets: string[]) {
    const reached = app().logs.lines.filter((line) => line.includes('rate limit reached'));
    assert.ok(reached.length > 0, 'the log says the limit was reached');
    for (const line of reached) assert.equal(JSON.parse(line).limit, limit);
    for (const secret of [...secrets, '127.0.0.1']) {
      assert.ok(
        !app().logs.text.includes(secret),
        `the log never holds ${secret === '127.0.0.1' ? 'the IP address' : 'a token tried'}`,
      );
    }
  }

  it('lets an honest respondent open and answer their link without writing any counter', async () => {
    const fixture = await createFixture(database().db, people(), 'open');
    const respondent = new TestClient(app().url);
    assert.equal((await respondent.get(`/s/${fixture.token}`)).status, 200);
    assert.equal((await respondent.post(`/s/${fixture.token}`, fixture.questionFields)).status, 200);
    // Used links are not guesses either: a second visit says "already used" and counts nothing.
    for (let i = 0; i < 3; i++) assert.equal((await respondent.get(`/s/${fixture.token}`)).status, 410);
    assert.deepEqual(await rateLimitRows(), [], 'no row was written for this person');
  });

  it('limits guessed survey links per client, logs that without the token or the IP, and lets the client in again later', async () => {
    const db = database().db;
    const round = await createOpenRound(db, { managerId: people().manager.id, leaderEmail: people().leader.email });
    const guesser = new TestClient(app().url);
    const guesses: string[] = [];
    for (let i = 0; i < SURVEY_LINK_LIMITS.failuresPerClient; i++) {
      // Well-formed guesses, cut-short links and nonsense all count alike.
      const guess = i % 3 === 0 ? randomToken(16) : i % 3 === 1 ? randomToken(16).slice(0, 12) : `guess-${i}`;
      guesses.push(guess);
      const response = i % 2 ? await guesser.get(`/s/${guess}`) : await guesser.post(`/s/${guess}`, { answer: '4' });
      assert.equal(response.status, 404, `guess ${i + 1} is an unknown link`);
    }
    const limited = await guesser.get(`/s/${randomToken(16)}`);
    assert.equal(limited.status, 429);
    assert.match(textOf(limited.html), /Too many tries.*Please wait 15 minutes/);
    assert.equal(limited.headers.get('retry-after'), String(15 * 60));
    // While limited, even a real link gets no answer: the limit gives nothing away.
    assert.equal((await guesser.get(`/s/${round.tokens[0]}`)).status, 429);
    assert.equal((await guesser.post(`/s/${round.tokens[0]}`, {})).status, 429);

    const rows = await rateLimitRows();
    assert.equal(rows.length, 1, 'one counter for the client');
    assert.match(rows[0]!.key, /^survey-link:[0-9a-f]{64}$/, 'keyed by a hash, never the IP address');
    assertLogsName('survey-link', [...guesses, round.tokens[0]!]);
    assert.ok(
      app().logs.lines.some((line) => line.includes('"/s/:token"')),
      'the request log names the path, not the token',
    );

    clock.advance(SURVEY_LINK_LIMITS.windowMinutes * 60_000 + 1);
    assert.equal((await guesser.get(`/s/${round.tokens[0]}`)).status, 200, 'after the window the link works again');
  });

  it('limits lookups and confirmations of guessed sign-in links per IP address, without logging the token', async () => {
    const { client, csrf } = await visitor(app());
    const guesses: string[] = [];
    for (let i = 0; i < SIGN_IN_LIMITS.confirmationsPerIp; i++) {
      const guess = randomToken();
      guesses.push(guess);
      assert.equal((await client.get(`/sign-in/link/${guess}`)).status, 404);
    }
    const lookedUp = await client.get(`/sign-in/link/${randomToken()}`);
    assert.equal(lookedUp.status, 429);
    assertLogsName('sign-in-link-ip', guesses);

    app().logs.lines.length = 0;
    for (let i = 0; i < SIGN_IN_LIMITS.confirmationsPerIp; i++) {
      const guess = randomToken();
      guesses.push(guess);
      assert.equal((await client.post(`/sign-in/link/${guess}`, { _csrf: csrf })).status, 404);
    }
    assert.equal((await client.post(`/sign-in/link/${randomToken()}`, { _csrf: csrf })).status, 429);
    assertLogsName('sign-in-confirm-ip', guesses);
    for (const row of await rateLimitRows()) assert.match(row.key, /^[a-z-]+:[0-9a-f]{64}$/);
  });
});
