// "Your requests": every request of the manager with its state in words; participation
// appears only once the round has closed.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { textOf } from '../helpers/client.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { addResponse, closeAnsweredRound, createOpenRound, createRequest, createUser } from '../helpers/factories.ts';
import { ManualClock } from '../../src/lib/clock.ts';

describeEachDatabase('your requests', (database) => {
  const db = () => database().db;
  const { app } = useTestApp(database, { clock: new ManualClock('2026-11-10T09:00:00Z') });

  it('says what to do when there is nothing yet', async () => {
    const { client } = await signedInClient(app(), db(), { email: 'newcomer@example.com' });
    const page = await client.get('/requests');
    assert.equal(page.status, 200);
    assert.match(page.html, /<h1>Your requests<\/h1>/);
    assert.match(textOf(page.html), /You have not asked for feedback yet\./);
    assert.match(page.html, /<a class="button" href="\/requests\/new">Ask for feedback<\/a>/);
  });

  it('lists every state in words, newest first, with no participation while open', async () => {
    const manager = await createUser(db(), { email: 'states@example.com' });
    const day = (d: number) => new Date(Date.UTC(2026, 10, d, 9));
    const spec = { managerId: manager.id, leaderEmail: 'lea@example.com' };
    await createRequest(db(), { ...spec, status: 'draft', now: day(1) });
    await createRequest(db(), { ...spec, status: 'submitted', now: day(2) });
    await createRequest(db(), { ...spec, status: 'declined', now: day(3) });
    const open = await createOpenRound(db(), { ...spec, now: day(4), closesAt: new Date('2026-11-20T23:59:59.999Z') });
    const closed = await createOpenRound(db(), { ...spec, now: day(5) });
    const released = await createOpenRound(db(), { ...spec, now: day(6) });
    for (const round of [open, closed, released]) {
      for (let i = 0; i < 3; i++)
        await addResponse(
          db(),
          round.request.id,
          round.questions.map((q) => q.id),
          [4],
        );
    }
    await closeAnsweredRound(db(), closed.request.id, { closedAt: day(8) });
    await closeAnsweredRound(db(), released.request.id, { status: 'released', closedAt: day(8) });
    // Someone else's request never shows.
    const other = await createUser(db(), { email: 'someone-else@example.com' });
    await createRequest(db(), { managerId: other.id, leaderEmail: 'lea@example.com', status: 'draft', now: day(7) });

    const { client } = await signedInClient(app(), db(), manager);
    const html = (await client.get('/requests')).html;
    const text = textOf(html);
    const states = [...html.matchAll(/<p class="request-state"><strong>([^<]*)<\/strong>/g)].map((m) => m[1]);
    assert.deepEqual(states, [
      'Released',
      'Closed',
      'Open until 20 November 2026',
      'Declined',
      'Waiting for lea@example.com',
      'Draft',
    ]);
    assert.equal((text.match(/3 of 5 answered/g) ?? []).length, 2, 'closed and released show participation');
    assert.doesNotMatch(
      text.slice(text.indexOf('Open until'), text.indexOf('Declined')),
      /answered/,
      'an open round shows no count',
    );
    assert.equal((text.match(/\d+ of \d+ answered/g) ?? []).length, 2);
    assert.match(text, /Started 4 November 2026/);
  });

  it("shows the manager's own request read-only: questions, invitees, dates", async () => {
    const manager = await createUser(db(), { email: 'reader@example.com' });
    const { request } = await createRequest(db(), {
      managerId: manager.id,
      leaderEmail: 'lea@example.com',
      managerNote: 'Be kind.',
      closesAt: new Date('2026-11-24T23:59:59.999Z'),
    });
    const { client } = await signedInClient(app(), db(), manager);
    const page = await client.get(`/requests/${request.id}`);
    assert.equal(page.status, 200);
    const text = textOf(page.html);
    assert.match(text, /State: Waiting for lea@example\.com/);
    assert.match(text, /Closing date 24 November 2026/);
    assert.match(text, /Be kind\./);
    assert.match(text, /How often should we meet\? Single choice · optional Weekly Monthly/);
    assert.match(
      text,
      /5 people\. .*ann@example\.com bob@example\.com cy@example\.com di@example\.com ed@example\.com/,
    );
    assert.doesNotMatch(page.html, /\/edit"/, 'no edit link once submitted');
  });
  it('links to the report once the round closed, and says it is ready once released', async () => {
    const manager = await createUser(db(), { email: 'report-link@example.com' });
    const { client } = await signedInClient(app(), db(), manager);
    const spec = { managerId: manager.id, leaderEmail: 'lea@example.com' };
    const open = await createOpenRound(db(), spec);
    assert.doesNotMatch(
      (await client.get(`/requests/${open.request.id}`)).html,
      /\/reports\//,
      'no report link while open',
    );
    await db().updateTable('feedback_requests').set({ status: 'closed' }).where('id', '=', open.request.id).execute();
    const closed = await client.get(`/requests/${open.request.id}`);
    assert.match(textOf(closed.html), /The round has closed\. Your leader will share the results/);
    assert.match(closed.html, new RegExp(`href="/reports/${open.request.id}"`));
    await db().updateTable('feedback_requests').set({ status: 'released' }).where('id', '=', open.request.id).execute();
    const released = await client.get(`/requests/${open.request.id}`);
    assert.match(textOf(released.html), /Your report is ready/);
    assert.match(
      released.html,
      new RegExp(`<a class="button" href="/reports/${open.request.id}">Open your report</a>`),
    );
  });

  it("reads well: the leader's name where they set one, drafts as drafts, and a link to a released report", async () => {
    const manager = await createUser(db(), { email: 'reads-well@example.com' });
    await createUser(db(), { email: 'lee-named@example.com', name: 'Lee Leader' });
    const day = (d: number) => new Date(Date.UTC(2026, 10, d, 9));
    const named = { managerId: manager.id, leaderEmail: 'lee-named@example.com' };
    await createRequest(db(), { managerId: manager.id, leaderEmail: '', status: 'draft', now: day(1) });
    await createRequest(db(), { ...named, status: 'draft', now: day(2) });
    await createRequest(db(), { ...named, status: 'submitted', now: day(3) });
    const released = await createOpenRound(db(), { ...named, now: day(4) });
    await db()
      .updateTable('feedback_requests')
      .set({ status: 'released', closed_at: day(8) })
      .where('id', '=', released.request.id)
      .execute();

    const { client } = await signedInClient(app(), db(), manager);
    const html = (await client.get('/requests')).html;
    const titles = [...html.matchAll(/<h2><a href="[^"]+">([^<]*)<\/a><\/h2>/g)].map((m) => m[1]);
    assert.deepEqual(titles, [
      'Feedback collected by Lee Leader',
      'Feedback collected by Lee Leader',
      'Draft for Lee Leader',
      'Draft: not sent yet',
    ]);
    const text = textOf(html);
    assert.match(text, /Waiting for Lee Leader/);
    assert.doesNotMatch(text, /lee-named@example\.com/, 'the name stands for the address');
    assert.match(
      html,
      new RegExp(`<a class="button button--small" href="/reports/${released.request.id}">Read the report`),
    );
    assert.equal(html.match(/href="\/reports\//g)?.length, 1, 'only the released round links to a report');
    assert.equal(html.match(/>Continue the draft</g)?.length, 2);
  });
});
