// Retention on a clock, run by the round jobs: expired sessions, sign-in links a day past
// their expiry, rate limit counters whose window is over, and sent or given-up emails
// OUTBOX_RETENTION_DAYS old are deleted; anything still valid or still to be sent stays.
import { it, before } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { testConfig } from '../helpers/app.ts';
import { createUser } from '../helpers/factories.ts';
import { createLogger } from '../../src/http/logger.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { createRoundJobs, type RoundJobs } from '../../src/jobs/runner.ts';
import { createSignInToken } from '../../src/auth/sign-in-tokens.ts';
import { queueEmail } from '../../src/email/outbox.ts';
import { DAY_MS } from './helpers.ts';

const HOUR_MS = 3_600_000;

describeEachDatabase('pruning expired records', (database) => {
  let clock: ManualClock;
  let jobs: RoundJobs;
  const db = () => database().db;
  const config = testConfig({
    SESSION_IDLE_MINUTES: '120',
    SESSION_MAX_HOURS: '12',
    OUTBOX_RETENTION_DAYS: '30',
    BASE_URL: 'https://upward.example.com',
  });

  before(() => {
    clock = new ManualClock('2026-11-02T09:00:00Z');
    jobs = createRoundJobs({ db: db(), clock, config, logger: createLogger('silent') });
  });

  const session = async (id: string, userId: string, createdAgoMs: number, seenAgoMs: number) =>
    db()
      .insertInto('sessions')
      .values({
        id_hash: id,
        user_id: userId,
        created_at: new Date(clock.now().getTime() - createdAgoMs),
        last_seen_at: new Date(clock.now().getTime() - seenAgoMs),
      })
      .execute();

  it('deletes sessions past their idle or absolute limit, and keeps live ones', async () => {
    const user = await createUser(db());
    await session('live', user.id, HOUR_MS, 60_000);
    await session('idle', user.id, 3 * HOUR_MS, 121 * 60_000);
    await session('too-old', user.id, 13 * HOUR_MS, 60_000);
    const run = await jobs.runOnce();
    assert.equal(run.pruned.sessions, 2);
    const left = await db().selectFrom('sessions').select('id_hash').where('user_id', '=', user.id).execute();
    assert.deepEqual(
      left.map((s) => s.id_hash),
      ['live'],
    );
  });

  it('deletes sign-in links a day after they expired, used or not', async () => {
    const start = clock.now();
    await createSignInToken(db(), 'old-unused@example.com', undefined, new Date(start.getTime() - 2 * DAY_MS));
    const usedToken = await createSignInToken(
      db(),
      'old-used@example.com',
      undefined,
      new Date(start.getTime() - 2 * DAY_MS),
    );
    await db()
      .updateTable('sign_in_tokens')
      .set({ used_at: new Date(start.getTime() - 2 * DAY_MS) })
      .where('email', '=', 'old-used@example.com')
      .execute();
    await createSignInToken(db(), 'recent@example.com', undefined, new Date(start.getTime() - HOUR_MS));
    await createSignInToken(db(), 'fresh@example.com', undefined, start);
    assert.ok(usedToken);
    const run = await jobs.runOnce();
    assert.equal(run.pruned.signInTokens, 2);
    const left = await db().selectFrom('sign_in_tokens').select('email').orderBy('email').execute();
    assert.deepEqual(
      left.map((t) => t.email),
      ['fresh@example.com', 'recent@example.com'],
      'an hour-old expired link still says "expired" for a day',
    );
  });

  it('deletes rate limit counters whose window is over', async () => {
    const now = clock.now().getTime();
    await db()
      .insertInto('rate_limits')
      .values([
        { key: 'test:over', hits: 9, reset_at: new Date(now - 1) },
        { key: 'test:running', hits: 3, reset_at: new Date(now + 60_000) },
      ])
      .execute();
    const run = await jobs.runOnce();
    assert.equal(run.pruned.rateLimits, 1);
    const left = await db().selectFrom('rate_limits').select('key').where('key', 'like', 'test:%').execute();
    assert.deepEqual(
      left.map((r) => r.key),
      ['test:running'],
    );
  });

  it(`deletes sent and given-up emails after OUTBOX_RETENTION_DAYS, never one still to be sent`, async () => {
    const queuedAt = new ManualClock(new Date(clock.now().getTime() - 31 * DAY_MS));
    const queue = async (to: string, at: ManualClock) =>
      (
        await queueEmail(
          db(),
          { to, name: 'sign-in-link', data: { link: '/sign-in/link/x', minutes: 10 } },
          { config, clock: at },
        )
      ).id;
    const sentOld = await queue('sent-old@example.com', queuedAt);
    const failedOld = await queue('failed-old@example.com', queuedAt);
    const pendingOld = await queue('pending-old@example.com', queuedAt);
    const sentRecent = await queue(
      'sent-recent@example.com',
      new ManualClock(new Date(clock.now().getTime() - 29 * DAY_MS)),
    );
    await db()
      .updateTable('email_outbox')
      .set({ status: 'sent', sent_at: queuedAt.now() })
      .where('id', 'in', [sentOld, sentRecent])
      .execute();
    await db()
      .updateTable('email_outbox')
      .set({ status: 'failed', last_error: '550: no such mailbox' })
      .where('id', '=', failedOld)
      .execute();

    const run = await jobs.runOnce();
    assert.equal(run.pruned.emails, 2);
    const left = await db()
      .selectFrom('email_outbox')
      .select('id')
      .where('id', 'in', [sentOld, failedOld, pendingOld, sentRecent])
      .execute();
    assert.deepEqual(new Set(left.map((r) => r.id)), new Set([pendingOld, sentRecent]));

    clock.advance(2 * DAY_MS);
    assert.equal((await jobs.runOnce()).pruned.emails, 1, 'the recent one goes once it too is 30 days old');
    assert.ok(
      await db().selectFrom('email_outbox').select('id').where('id', '=', pendingOld).executeTakeFirst(),
      'a pending email is never pruned',
    );
  });
});
