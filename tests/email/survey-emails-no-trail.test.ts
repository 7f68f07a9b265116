// A survey email (invitation, reminder) leaves no trail: once sent, its outbox row keeps no
// address, no subject and no body, so a copy of the database cannot tell who was invited or
// who had not answered when a reminder went out, nor open anyone's link. One the mail server
// refused keeps them, so the operator can see it and send it again with retry-emails; sent
// then, it is blanked too. Other emails (to the manager, the leader) are kept as they were.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useSmtpWorker, useTestApp } from '../helpers/suite.ts';
import { leaderWithRequest } from '../helpers/factories.ts';
import { surveyPathsIn } from '../rounds/helpers.ts';
import { createLogger } from '../../src/http/logger.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { endOfDay } from '../../src/lib/dates.ts';
import { createRoundJobs } from '../../src/jobs/runner.ts';
import { listFailedEmails, retryFailedEmails } from '../../src/ops/emails.ts';

const HALFWAY = '2026-11-09T16:29:59.999Z';

/** Every outbox row, every column, as one text: what a copy of the table shows. */
async function outboxDump(db: Kysely<Database>): Promise<string> {
  return JSON.stringify(await db.selectFrom('email_outbox').selectAll().execute());
}

describeEachDatabase('survey emails leave no trail in the outbox', (database) => {
  const db = () => database().db;
  const clock = new ManualClock('2026-11-02T09:00:00Z');
  const { app } = useTestApp(database, { clock });
  const mail = useSmtpWorker(database, { clock });

  it('blanks invitations and reminders once sent, keeps a refused one for retry-emails, then blanks it', async () => {
    const [smtp, worker] = [mail.smtp(), mail.worker()];
    const { leader, request, invitees, manager } = await leaderWithRequest(app(), db(), {
      closesAt: endOfDay('2026-11-16'),
    });
    const refused = invitees[4]!;
    smtp.refuse(refused);
    assert.equal((await leader.submit(`/collect/${request.id}/launch`, {})).status, 303);
    await worker.runOnce();

    // Four invitations arrived, each with its link; the fifth was refused for good.
    const links = new Map<string, string>();
    for (const email of invitees.slice(0, 4)) {
      const mail = await smtp.waitFor((m) => m.to === email && /asks for your anonymous feedback/.test(m.subject));
      links.set(email, surveyPathsIn(mail.text)[0]!);
    }
    const invitations = await db().selectFrom('email_outbox').selectAll().where('name', '=', 'invitation').execute();
    assert.equal(invitations.length, 5);
    const failed = invitations.find((row) => row.status === 'failed');
    for (const row of invitations.filter((r) => r !== failed)) {
      assert.equal(row.status, 'sent');
      assert.deepEqual([row.to_address, row.subject, row.html, row.text], ['', '', '', '']);
    }
    // The refused one keeps what the operator needs to send it again.
    assert.equal(failed!.status, 'failed');
    assert.equal(failed!.to_address, refused);
    const refusedLink = surveyPathsIn(failed!.text)[0];
    assert.ok(refusedLink, 'the failed invitation still holds its link');
    assert.ok(failed!.html.includes(refusedLink));
    assert.deepEqual(
      (await listFailedEmails(db())).map((row) => [row.name, row.to_address]),
      [['invitation', refused]],
    );

    let dump = await outboxDump(db());
    for (const email of invitees.slice(0, 4)) {
      assert.ok(!dump.includes(email), `the outbox still names ${email}`);
      assert.ok(!dump.includes(links.get(email)!), `the outbox still holds ${email}'s link`);
    }
    assert.deepEqual(new Set(surveyPathsIn(dump)), new Set([refusedLink]), "only the refused invitation's link");
    // An email that is not a survey email is kept whole, as before.
    const launched = await db()
      .selectFrom('email_outbox')
      .selectAll()
      .where('name', '=', 'request-launched')
      .executeTakeFirstOrThrow();
    assert.equal(launched.status, 'sent');
    assert.equal(launched.to_address, manager.email);
    assert.match(launched.text, /launched/);

    // The operator retries it once the address works: it goes out, then it too is blanked.
    smtp.refuse(null);
    assert.equal(await retryFailedEmails(db(), 'all', clock.now()), 1);
    await worker.runOnce();
    const late = await smtp.waitFor((m) => m.to === refused);
    assert.deepEqual(surveyPathsIn(late.text), [refusedLink], 'the retried invitation carries its link');

    // Halfway, nobody has answered: five reminders, each blanked once sent.
    clock.set(HALFWAY);
    const jobs = createRoundJobs({ db: db(), clock, config: app().config, logger: createLogger('silent') });
    assert.equal((await jobs.runOnce()).reminders, 1);
    await worker.runOnce();
    for (const email of invitees) await smtp.waitFor((m) => m.to === email && m.subject.startsWith('Reminder:'));
    const reminders = await db().selectFrom('email_outbox').selectAll().where('name', '=', 'reminder').execute();
    assert.equal(reminders.length, 5);
    for (const row of reminders) {
      assert.equal(row.status, 'sent');
      assert.deepEqual([row.to_address, row.subject, row.html, row.text], ['', '', '', '']);
    }

    dump = await outboxDump(db());
    for (const email of invitees) assert.ok(!dump.includes(email), `the outbox still names ${email}`);
    assert.deepEqual(surveyPathsIn(dump), [], 'no survey link is left in the outbox');
    assert.deepEqual(await listFailedEmails(db()), []);
  });
});
