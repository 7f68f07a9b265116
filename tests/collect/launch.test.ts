// Launching a round: the confirmation page, one transaction that opens the request, records
// the threshold, makes a ballot per link and queues one invitation per invitee; a double
// click launches once, a list below the threshold is refused, 1,000 invitees work.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { startTestApp } from '../helpers/app.ts';
import { csrfTokenIn, textOf } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { hashLinkToken } from '../../src/rounds/link-tokens.ts';
import { invitationLink } from '../../src/rounds/survey-links.ts';
import { TEST_SECRET } from '../helpers/app.ts';
import { sql } from 'kysely';
import { leaderWithRequest } from '../helpers/factories.ts';
import { outbox, surveyPathsIn } from '../rounds/helpers.ts';

describeEachDatabase('a leader launches a round', (database) => {
  const db = () => database().db;
  const { app } = useTestApp(database, { clock: new ManualClock('2026-11-02T09:00:00Z') });

  async function invitationsOf(requestId: string) {
    const rows = await db()
      .selectFrom('invitations')
      .select(['id', 'email'])
      .where('request_id', '=', requestId)
      .execute();
    return rows;
  }

  it('asks for confirmation, then opens the round and queues one working link per invitee', async () => {
    const { leader, request, invitees, manager, leaderUser } = await leaderWithRequest(app(), db());
    await leader.submit(`/collect/${request.id}`, {
      closes_on: '2026-11-16',
      team_note: 'Be candid: I read only the totals.',
    });
    const confirm = await leader.get(`/collect/${request.id}/launch`);
    assert.equal(confirm.status, 200);
    assert.match(textOf(confirm.html), /Send 5 invitations now\?/);
    assert.match(textOf(confirm.html), /This can't be undone/);
    assert.equal(
      (
        await db()
          .selectFrom('feedback_requests')
          .select('status')
          .where('id', '=', request.id)
          .executeTakeFirstOrThrow()
      ).status,
      'submitted',
      'GET changes nothing',
    );

    const launched = await leader.post(`/collect/${request.id}/launch`, { _csrf: csrfTokenIn(confirm.html) });
    assert.equal(launched.status, 303);
    assert.match(textOf((await leader.follow(launched)).html), /The round is open/);

    const row = await db()
      .selectFrom('feedback_requests')
      .selectAll()
      .where('id', '=', request.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'open');
    assert.equal(row.anonymity_threshold, 3);
    assert.equal(row.invited_count, 5);
    assert.equal(row.launched_at?.toISOString(), '2026-11-02T09:00:00.000Z');
    assert.equal(row.decided_at?.toISOString(), '2026-11-02T09:00:00.000Z');

    const emails = (await outbox(db(), { name: 'invitation' })).filter((mail) => invitees.includes(mail.to_address));
    assert.deepEqual(
      emails.map((mail) => mail.to_address).sort(),
      [...invitees].sort(),
      'exactly one invitation per invitee',
    );
    const paths = emails.map((mail) => {
      const [path, ...others] = [...new Set(surveyPathsIn(mail.text))];
      assert.equal(others.length, 0, 'one link per email');
      assert.ok(mail.html.includes(`${app().url}${path}`), 'the HTML part carries the same link');
      return path!;
    });
    assert.equal(new Set(paths).size, 5, 'every link is different');
    const kept =
      /Your email address is deleted 30 days after the round closes, or later while .+ still has to reply to the team or check back on what they said they would work on, but never more than 180 days after\./;
    for (const mail of emails) {
      assert.match(mail.text, kept, 'the invitation says how long the address is kept');
      assert.match(mail.html, kept);
    }
    const links = await db()
      .selectFrom('survey_links')
      .select(['key', 'spent'])
      .where('request_id', '=', request.id)
      .execute();
    const linkKeys = new Set(links.map((link) => link.key));
    assert.equal(linkKeys.size, 5);
    assert.ok(links.every((link) => !link.spent));
    const invitations = await invitationsOf(request.id);
    const invitationRows = JSON.stringify(await db().selectFrom('invitations').selectAll().execute());
    for (const path of paths) {
      const hash = hashLinkToken(path.slice('/s/'.length));
      assert.ok(linkKeys.has(hash), 'the link has its key');
      assert.ok(
        invitations.some((invitation) => invitationLink(TEST_SECRET, invitation.id).tokenHash === hash),
        'which only the secret derives from its invitation',
      );
      assert.ok(!invitationRows.includes(hash), 'no invitation holds the key');
      assert.ok(
        !JSON.stringify(await db().selectFrom('invitations').selectAll().execute()).includes(path.slice(3)),
        'the token itself is not stored',
      );
    }
    const survey = await leader.get(paths[0]!);
    assert.equal(survey.status, 200, 'the link opens the survey');

    const mail = emails[0]!;
    assert.equal(mail.subject, `${manager.display_name} asks for your anonymous feedback`);
    const text = mail.text;
    assert.match(text, new RegExp(`${manager.display_name} would like to know`));
    assert.match(text, new RegExp(`${leaderUser.display_name}, their own manager, collects`));
    assert.match(text, /open until 16 November 2026/);
    assert.match(text, /Be candid: I read only the totals\./);
    assert.match(
      text,
      /stored without any link to this email or to you, and results are shown only when at least 3 people have answered/,
    );
    for (const other of invitees.filter((email) => email !== mail.to_address))
      assert.ok(!text.includes(other), 'no other invitee is named');
    assert.doesNotMatch(text, /\d+ of \d+/, 'no participation count');

    const toManager = await outbox(db(), { to: manager.email });
    assert.deepEqual(toManager.map((m) => m.name).sort(), ['request-launched', 'self-assessment-invitation']);
    const launchedMail = toManager.find((m) => m.name === 'request-launched');
    assert.match(launchedMail!.text, /5 people from your team have been invited/);
    assert.match(launchedMail!.text, /open until 16 November 2026/);
    assert.ok(launchedMail!.text.includes(`${app().url}/requests/${request.id}`));
    assert.doesNotMatch(launchedMail!.text, /answered|\d+ of \d+/, 'no participation figures for the manager');

    const reminders = await db()
      .selectFrom('reminders')
      .select('due_at')
      .where('request_id', '=', request.id)
      .orderBy('due_at')
      .execute();
    assert.deepEqual(
      reminders.map((r) => r.due_at.toISOString()),
      ['2026-11-09T16:29:59.999Z', '2026-11-16T09:00:00.000Z'],
      'halfway, and one day before closing (23:59, at night: the next 09:00)',
    );

    const page = textOf((await leader.get(`/collect/${request.id}`)).html);
    assert.match(page, /0 of 5 answered/);
    assert.doesNotMatch(page, /Remove/);
  });

  it('launches once when the button is pressed twice at the same time', async () => {
    const { leader, request, invitees } = await leaderWithRequest(app(), db());
    const token = csrfTokenIn((await leader.get(`/collect/${request.id}/launch`)).html);
    const results = await Promise.all([1, 2].map(() => leader.post(`/collect/${request.id}/launch`, { _csrf: token })));
    assert.deepEqual(
      results.map((r) => r.status),
      [303, 303],
    );
    assert.deepEqual(results.map((r) => r.location).sort(), [
      `/collect/${request.id}`,
      `/collect/${request.id}?done=launched`,
    ]);
    const emails = (await outbox(db(), { name: 'invitation' })).filter((mail) => invitees.includes(mail.to_address));
    assert.equal(emails.length, 5);
    assert.equal(
      (await db().selectFrom('survey_links').select('key').where('request_id', '=', request.id).execute()).length,
      5,
    );
    assert.equal(
      (await db().selectFrom('reminders').select('id').where('request_id', '=', request.id).execute()).length,
      2,
    );
  });

  it('records the threshold in force at launch, unchanged by a later configuration', async () => {
    const strict = await startTestApp({ db: db(), clock: app().clock, env: { ANONYMITY_THRESHOLD: '4' } });
    try {
      const { leader, request } = await leaderWithRequest(strict, db());
      assert.equal((await leader.submit(`/collect/${request.id}/launch`, {})).status, 303);
      const looser = await startTestApp({ db: db(), clock: app().clock, env: { ANONYMITY_THRESHOLD: '3' } });
      try {
        const { leader: other, request: second } = await leaderWithRequest(looser, db());
        assert.equal((await other.submit(`/collect/${second.id}/launch`, {})).status, 303);
      } finally {
        await looser.close();
      }
      const row = await db()
        .selectFrom('feedback_requests')
        .select('anonymity_threshold')
        .where('id', '=', request.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.anonymity_threshold, 4);
    } finally {
      await strict.close();
    }
  });

  it('refuses to launch with fewer invitees than the threshold, and says why', async () => {
    const strict = await startTestApp({ db: db(), clock: app().clock, env: { ANONYMITY_THRESHOLD: '4' } });
    try {
      const { leader, request, invitees } = await leaderWithRequest(strict, db(), {
        invitees: ['p1@example.com', 'p2@example.com', 'p3@example.com'],
      });
      const page = await leader.get(`/collect/${request.id}/launch`);
      assert.equal(page.status, 200);
      assert.match(textOf(page.html), /Only 3 people are invited\. A round needs at least 4/);
      assert.doesNotMatch(page.html, /Send 3 invitations/);
      const refused = await leader.post(`/collect/${request.id}/launch`, {
        _csrf: csrfTokenIn((await leader.get('/collect')).html),
      });
      assert.equal(refused.status, 422);
      assert.match(textOf(refused.html), /A round needs at least 4/);
      const row = await db()
        .selectFrom('feedback_requests')
        .select(['status', 'anonymity_threshold'])
        .where('id', '=', request.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, { status: 'submitted', anonymity_threshold: null });
      assert.equal(
        (await outbox(db(), { name: 'invitation' })).filter((m) => invitees.includes(m.to_address)).length,
        0,
      );
      assert.equal(
        (await db().selectFrom('survey_links').select('key').where('request_id', '=', request.id).execute()).length,
        0,
      );
    } finally {
      await strict.close();
    }
  });

  it('launches 1,000 invitees in one request', async () => {
    const invitees = Array.from({ length: 1_000 }, (_, i) => `member${i}@big.example.com`);
    const { leader, request } = await leaderWithRequest(app(), db(), { invitees });
    const launched = await leader.submit(`/collect/${request.id}/launch`, {});
    assert.equal(launched.status, 303);
    assert.equal(launched.location, `/collect/${request.id}?done=launched`);
    const links = await db().selectFrom('survey_links').select('key').where('request_id', '=', request.id).execute();
    assert.equal(links.length, 1_000);
    const emails = await db()
      .selectFrom('email_outbox')
      .select('to_address')
      .where('name', '=', 'invitation')
      .where('to_address', 'like', '%@big.example.com')
      .execute();
    assert.equal(emails.length, 1_000);
    assert.equal(new Set(emails.map((e) => e.to_address)).size, 1_000);
    const keys = new Set(links.map((link) => link.key));
    const invitations = await db()
      .selectFrom('invitations')
      .select('id')
      .where('request_id', '=', request.id)
      .execute();
    assert.ok(
      invitations.every((invitation) => keys.has(invitationLink(TEST_SECRET, invitation.id).tokenHash)),
      'every invitation has its link, found through the secret',
    );
  });

  it('writes the link keys in an order unrelated to the invitations', async () => {
    // 50 invitees typed in order; the keys' physical order (ctid) must not follow theirs.
    const invitees = Array.from({ length: 50 }, (_, i) => `member${String(i).padStart(2, '0')}@order.example.com`);
    const { leader, request } = await leaderWithRequest(app(), db(), { invitees });
    assert.equal((await leader.submit(`/collect/${request.id}/launch`, {})).status, 303);
    const invitations = await sql<{ id: string }>`
      select id from invitations where request_id = ${request.id} order by ctid`.execute(db());
    const rankOfKey = new Map(
      invitations.rows.map((invitation, rank) => [invitationLink(TEST_SECRET, invitation.id).tokenHash, rank]),
    );
    const links = await sql<{ key: string }>`
      select key from survey_links where request_id = ${request.id} order by ctid`.execute(db());
    const ranks = links.rows.map((link) => rankOfKey.get(link.key)!);
    assert.equal(ranks.length, 50);
    // Spearman's rho of the two orders; for 50 unrelated orders |rho| exceeds 0.55 once in about 20,000 tries.
    const n = ranks.length;
    const d2 = ranks.reduce((sum, rank, position) => sum + (rank - position) ** 2, 0);
    const rho = 1 - (6 * d2) / (n * (n * n - 1));
    assert.ok(Math.abs(rho) < 0.55, `rank correlation ${rho.toFixed(2)} with the invitations' order`);
  });
});
