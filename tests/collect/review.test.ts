// The leader reviews a submitted request: the list, the request page, removing invitees,
// changing the closing date and note, declining; and nobody else can see any of it.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { TestClient, textOf } from '../helpers/client.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { createRequest, leaderWithRequest } from '../helpers/factories.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { outbox } from '../rounds/helpers.ts';

describeEachDatabase('a leader reviews a request', (database) => {
  const db = () => database().db;
  const { app } = useTestApp(database, { clock: new ManualClock('2026-11-02T09:00:00Z') });

  it('lists the requests the leader collects, never drafts or others, with a kind empty state', async () => {
    const { leader, leaderUser, manager, request } = await leaderWithRequest(app(), db());
    await createRequest(db(), { managerId: manager.id, leaderEmail: leaderUser.email, status: 'draft' });
    await createRequest(db(), { managerId: manager.id, leaderEmail: 'someone-else@example.com' });
    const page = await leader.get('/collect');
    assert.equal(page.status, 200);
    const text = textOf(page.html);
    assert.match(text, /Requests you collect/);
    assert.match(text, new RegExp(`${manager.display_name} Waiting for you to review and launch`));
    assert.match(text, /Closing date 16 November 2026/);
    assert.equal(
      page.html.match(/href="\/collect\/[0-9a-f-]{36}"/g)?.length,
      1,
      'only the submitted request of this leader',
    );
    assert.ok(page.html.includes(`href="/collect/${request.id}"`));

    const { client: newcomer } = await signedInClient(app(), db(), { email: 'new-leader@example.com' });
    assert.match(textOf((await newcomer.get('/collect')).html), /Nobody has asked you to collect feedback yet/);
  });

  it('shows the manager, their note, the questions and the invitees', async () => {
    const { leader, request, manager, invitees } = await leaderWithRequest(app(), db());
    const page = await leader.get(`/collect/${request.id}`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    const text = textOf(page.html);
    assert.match(text, new RegExp(`Feedback for ${manager.display_name}`));
    assert.match(text, /Please ask my team how our one-on-ones are going\./);
    assert.match(text, /My manager listens to me\./);
    assert.match(text, /One of: Weekly, Monthly/);
    assert.match(text, /Invited \(5\)/);
    for (const email of invitees) assert.ok(text.includes(email));
    assert.equal(page.html.match(/>Remove</g)?.length, 5);
    assert.match(page.html, /href="\/collect\/[^"]+\/launch"/);
    assert.match(page.html, /href="\/collect\/[^"]+\/decline"/);
  });

  it('removes an invitee while the request waits, and only then', async () => {
    const { leader, request, invitees } = await leaderWithRequest(app(), db());
    const ann = await db()
      .selectFrom('invitations')
      .select('id')
      .where('email', '=', invitees[0]!)
      .executeTakeFirstOrThrow();
    // The list links to a confirmation page; nothing is removed until it is confirmed.
    const list = await leader.get(`/collect/${request.id}`);
    assert.match(
      list.html,
      new RegExp(`<a [^>]*href="/collect/${request.id}/invitees/${ann.id}/remove"[^>]*>Remove</a>`),
    );
    const confirm = await leader.get(`/collect/${request.id}/invitees/${ann.id}/remove`);
    assert.equal(confirm.status, 200);
    assert.match(textOf(confirm.html), new RegExp(`Remove ${invitees[0]!.replace(/\./g, '\\.')}\\?`));
    assert.match(textOf(confirm.html), /4 people stay invited\. This can't be undone\./);
    assert.match(
      confirm.html,
      new RegExp(`<form method="post" action="/collect/${request.id}/invitees/${ann.id}/remove">`),
    );
    assert.match(textOf((await leader.get(`/collect/${request.id}`)).html), /Invited \(5\)/, 'a look removes nothing');
    const removed = await leader.submit(
      `/collect/${request.id}`,
      {},
      `/collect/${request.id}/invitees/${ann.id}/remove`,
    );
    assert.equal(removed.status, 303);
    const page = await leader.follow(removed);
    assert.match(textOf(page.html), /The invitee is removed/);
    assert.match(textOf(page.html), /Invited \(4\)/);
    assert.ok(!textOf(page.html).includes(invitees[0]!));
    const again = await leader.submit(`/collect/${request.id}`, {}, `/collect/${request.id}/invitees/${ann.id}/remove`);
    assert.equal(again.status, 404, 'an invitation already removed is not found');
  });

  it('below k, says before the click why it cannot launch, and warns when a removal would get there', async () => {
    const tag = Math.random().toString(36).slice(2);
    const { leader, request } = await leaderWithRequest(app(), db(), {
      invitees: ['ann', 'bob', 'cy'].map((name) => `${name}-${tag}@example.com`),
    });
    const [first] = await db().selectFrom('invitations').select('id').where('request_id', '=', request.id).execute();
    const confirm = await leader.get(`/collect/${request.id}/invitees/${first!.id}/remove`);
    assert.match(textOf(confirm.html), /2 people stay invited\. That is fewer than 3/);
    await leader.submit(`/collect/${request.id}`, {}, `/collect/${request.id}/invitees/${first!.id}/remove`);
    const page = await leader.get(`/collect/${request.id}`);
    assert.match(textOf(page.html), /You cannot launch: 2 people are invited, and a round needs at least 3/);
    assert.match(page.html, /<button type="button" disabled aria-describedby="launch-blocked">Launch<\/button>/);
    assert.doesNotMatch(page.html, /href="\/collect\/[^"]+\/launch"/, 'no link to a page that can only refuse');
  });

  it('saves a valid closing date and note; refuses past, too far and malformed dates, keeping what was typed', async () => {
    const { leader, request } = await leaderWithRequest(app(), db());
    const path = `/collect/${request.id}`;
    const cases: Array<[string, RegExp]> = [
      ['2026-11-01', /Pick a date after today/],
      ['2026-11-02', /Pick a date after today/],
      ['2027-01-02', /no more than 60 days from today/],
      ['2026-02-30', /Enter a real date/],
      ['next friday', /Enter a real date/],
      ['', /Enter a closing date/],
    ];
    for (const [closesOn, message] of cases) {
      const page = await leader.submit(path, { closes_on: closesOn, team_note: 'Thanks, all!' });
      assert.equal(page.status, 422, `${closesOn} is refused`);
      assert.match(page.html, new RegExp(`value="${closesOn}"`));
      assert.match(page.html, />Thanks, all!<\/textarea>/);
      assert.match(page.html, /aria-invalid="true"/);
      assert.match(textOf(page.html), message);
    }
    const tooLong = await leader.submit(path, { closes_on: '2026-11-20', team_note: 'x'.repeat(2_001) });
    assert.equal(tooLong.status, 422);
    assert.match(textOf(tooLong.html), /under 2,000 characters/);

    const saved = await leader.submit(path, { closes_on: '2027-01-01', team_note: 'Thank you for\nyour honesty.' });
    assert.equal(saved.status, 303);
    assert.match(textOf((await leader.follow(saved)).html), /are saved/);
    const row = await db()
      .selectFrom('feedback_requests')
      .select(['closes_at', 'team_note'])
      .where('id', '=', request.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.closes_at.toISOString(), '2027-01-01T23:59:59.999Z');
    assert.equal(row.team_note, 'Thank you for\nyour honesty.');
  });

  it('declines with a required reason and emails the manager', async () => {
    const { leader, request, manager } = await leaderWithRequest(app(), db());
    const path = `/collect/${request.id}/decline`;
    const empty = await leader.submit(path, { reason: '   ' });
    assert.equal(empty.status, 422);
    assert.match(textOf(empty.html), /Write a reason for the manager/);
    const tooLong = await leader.submit(path, { reason: 'y'.repeat(2_001) });
    assert.equal(tooLong.status, 422);
    assert.match(tooLong.html, /y{2001}<\/textarea>/, 'the text is kept');

    const declined = await leader.submit(path, { reason: 'Let us talk first; then invite the whole team.' });
    assert.equal(declined.status, 303);
    assert.match(textOf((await leader.follow(declined)).html), /You declined the request/);
    const row = await db()
      .selectFrom('feedback_requests')
      .selectAll()
      .where('id', '=', request.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'declined');
    assert.equal(row.decline_reason, 'Let us talk first; then invite the whole team.');
    assert.equal(row.decided_at?.toISOString(), app().clock.now().toISOString());
    const [mail, ...more] = await outbox(db(), { to: manager.email });
    assert.equal(more.length, 0);
    assert.equal(mail!.name, 'request-declined');
    assert.match(mail!.text, /Let us talk first; then invite the whole team\./);
    assert.ok(mail!.text.includes(`${app().url}/requests/${request.id}`));
    assert.equal((await outbox(db(), { name: 'invitation' })).filter((m) => m.text.includes(request.id)).length, 0);
    const twice = await leader.submit(`/collect/${request.id}`, {}, path);
    assert.equal(twice.status, 303, 'a declined request cannot be declined again');
    assert.equal((await outbox(db(), { to: manager.email })).length, 1);
  });

  it('answers 404 to another user and to the manager, on every page and form; sends visitors to sign in', async () => {
    const { leader, request, manager } = await leaderWithRequest(app(), db());
    const invitation = await db()
      .selectFrom('invitations')
      .select('id')
      .where('request_id', '=', request.id)
      .executeTakeFirstOrThrow();
    const { client: stranger } = await signedInClient(app(), db(), { email: 'stranger@example.com' });
    const { client: managerClient } = await signedInClient(app(), db(), manager);
    const gets = ['', '/launch', '/decline', '/close'].map((suffix) => `/collect/${request.id}${suffix}`);
    const posts = ['', '/launch', '/decline', '/close', '/extend', `/invitees/${invitation.id}/remove`].map(
      (suffix) => `/collect/${request.id}${suffix}`,
    );
    for (const client of [stranger, managerClient]) {
      const token = /name="_csrf" value="([^"]+)"/.exec((await client.get('/collect')).html)![1]!;
      for (const path of gets) assert.equal((await client.get(path)).status, 404, `GET ${path}`);
      for (const path of posts)
        assert.equal(
          (await client.post(path, { _csrf: token, reason: 'x', closes_on: '2026-11-20' })).status,
          404,
          `POST ${path}`,
        );
    }
    assert.equal((await leader.get('/collect/not-a-uuid')).status, 404);
    assert.equal((await leader.get(`/collect/${randomUUID()}`)).status, 404);
    const row = await db()
      .selectFrom('feedback_requests')
      .select('status')
      .where('id', '=', request.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'submitted', 'nothing changed');
    assert.equal(
      (await db().selectFrom('invitations').select('id').where('request_id', '=', request.id).execute()).length,
      5,
    );

    const visitor = new TestClient(app().url);
    const gate = await visitor.get(`/collect/${request.id}`);
    assert.equal(gate.status, 303);
    assert.equal(gate.location, `/sign-in?next=${encodeURIComponent(`/collect/${request.id}`)}`);
    assert.equal((await visitor.get('/collect')).location, '/sign-in?next=%2Fcollect');
  });
});
