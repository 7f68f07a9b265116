// The invitee purge, INVITEE_RETENTION_DAYS after a round closed, on a round that really
// sent its emails: invitations and a reminder, most delivered (and blanked once sent), one
// refused by the mail server (and so still holding its address and link). The purge deletes
// every one of them with the addresses, and leaves a later round's invitations to the same
// people, still to be sent, alone. Old emails are kept far longer than the addresses here
// (OUTBOX_RETENTION_DAYS), so only the purge can have deleted them.
import { it, before } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useSmtpWorker, useTestApp } from '../helpers/suite.ts';
import { leaderWithRequest } from '../helpers/factories.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { createLogger } from '../../src/http/logger.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { endOfDay } from '../../src/lib/dates.ts';
import { createRoundJobs, type RoundJobs } from '../../src/jobs/runner.ts';

describeEachDatabase('purging a round’s invitees', (database) => {
  const db = () => database().db;
  const clock = new ManualClock('2026-11-02T09:00:00Z');
  const { app } = useTestApp(database, {
    clock,
    env: { INVITEE_RETENTION_DAYS: '30', OUTBOX_RETENTION_DAYS: '365' },
  });
  const mail = useSmtpWorker(database, { clock });
  let jobs: RoundJobs;

  before(() => {
    jobs = createRoundJobs({ db: db(), clock, config: app().config, logger: createLogger('silent') });
  });

  const surveyEmails = () =>
    db()
      .selectFrom('email_outbox')
      .select(['name', 'status', 'to_address', 'text', 'created_at'])
      .where('name', 'in', ['invitation', 'reminder'])
      .orderBy('created_at')
      .execute();

  it("deletes a round's invitations and reminders, sent or refused, and no later round's", async () => {
    const [smtp, worker] = [mail.smtp(), mail.worker()];
    const round = await leaderWithRequest(app(), db(), { closesAt: endOfDay('2026-11-16') });
    const refused = round.invitees[4]!;
    smtp.refuse(refused);
    assert.equal((await round.leader.submit(`/collect/${round.request.id}/launch`, {})).status, 303);
    await worker.runOnce();
    clock.set('2026-11-09T17:00:00Z'); // past halfway: nobody has answered, all five are reminded
    assert.equal((await jobs.runOnce()).reminders, 1);
    await worker.runOnce();
    clock.set('2026-11-17T00:00:01Z');
    assert.ok((await jobs.runOnce()).closed >= 1);

    // The round really has emails to purge: ten, the refused two still naming their recipient.
    const sent = await surveyEmails();
    assert.deepEqual(sent.map((e) => `${e.name} ${e.status}`).sort(), [
      'invitation failed',
      ...Array(4).fill('invitation sent'),
      'reminder failed',
      ...Array(4).fill('reminder sent'),
    ]);
    const failed = sent.filter((e) => e.status === 'failed');
    assert.ok(failed.every((e) => e.to_address === refused && /\/s\//.test(e.text)));

    // A later round asks the same team; its invitations wait for the worker.
    clock.set('2026-12-10T09:00:00Z');
    const next = await leaderWithRequest(app(), db(), { invitees: round.invitees, closesAt: endOfDay('2026-12-30') });
    assert.equal((await next.leader.submit(`/collect/${next.request.id}/launch`, {})).status, 303);

    clock.set('2026-12-17T00:00:01Z'); // 30 days after the close
    assert.ok((await jobs.runOnce()).purged >= 1);
    const left = await surveyEmails();
    assert.deepEqual(
      left.map((e) => [e.name, e.status, e.to_address]).sort(),
      round.invitees.map((email) => ['invitation', 'pending', email]).sort(),
      "only the later round's invitations are left, still to be sent",
    );
    const { client } = await signedInClient(app(), db(), round.leaderUser);
    const page = await client.get(`/collect/${round.request.id}`);
    for (const email of round.invitees) assert.ok(!page.html.includes(email), `${email} is purged`);
  });
});
