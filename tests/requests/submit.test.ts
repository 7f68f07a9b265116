// Submitting a request to the leader: one transaction changes the status, stores what was
// typed and queues the request-received email; a second submit changes nothing.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { textOf } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { managerWithDraft } from '../helpers/factories.ts';
import { formFields, pressOnEdit, TEAM } from './form-fields.ts';

describeEachDatabase('submitting a request to the leader', (database) => {
  const clock = new ManualClock('2026-11-02T09:00:00Z');
  const db = () => database().db;
  const { app } = useTestApp(database, { clock });
  const outboxTo = (to: string) => db().selectFrom('email_outbox').selectAll().where('to_address', '=', to).execute();

  it('submits, emails the leader a link to the request, and confirms', async () => {
    const { client, id } = await managerWithDraft(app(), db(), 'pulse');
    const edit = await client.get(`/requests/${id}/edit`);
    clock.advance(60_000);
    const done = await pressOnEdit(
      client,
      id,
      'submit',
      {
        leader_email: 'Leader.One@example.com',
        invitees: `${TEAM}\ndee@example.com`,
        closes_on: '2026-11-25',
        note: 'Please collect this\nbefore our offsite.',
      },
      edit,
    );
    assert.equal(done.status, 303);
    assert.equal(done.location, `/requests/${id}?submitted=1`);

    const request = await db()
      .selectFrom('feedback_requests')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(request.status, 'submitted');
    assert.deepEqual(request.submitted_at, clock.now());
    assert.equal(request.leader_email, 'leader.one@example.com');
    assert.equal(request.manager_note, 'Please collect this\nbefore our offsite.');
    assert.deepEqual(request.closes_at, new Date('2026-11-25T23:59:59.999Z'));
    assert.equal((await db().selectFrom('invitations').select('id').where('request_id', '=', id).execute()).length, 4);

    const [mail, ...more] = await outboxTo('leader.one@example.com');
    assert.ok(mail, 'an email is queued for the leader');
    assert.equal(more.length, 0);
    assert.equal(mail.name, 'request-received');
    assert.equal(mail.subject, 'Mia Manager asks you to collect feedback from their team');
    const link = `${app().config.BASE_URL}/collect/${id}`;
    assert.ok(mail.text.includes(link), 'the text part has the absolute link');
    assert.ok(mail.html.includes(`href="${link}"`), 'the HTML part has the absolute link');
    assert.match(mail.text, /team of 4 people/);
    assert.match(mail.text, /until 25 November 2026/);
    assert.match(mail.text, /Please collect this\nbefore our offsite\./);

    const shown = await client.get(done.location!);
    assert.equal(shown.status, 200);
    assert.match(textOf(shown.html), /Your request is on its way to leader\.one@example\.com\./);
    assert.match(textOf(shown.html), /State: Waiting for leader\.one@example\.com/);
  });

  it('submits once when pressed twice or from two tabs', async () => {
    const { client, id } = await managerWithDraft(app(), db(), 'pulse');
    const tab = await client.get(`/requests/${id}/edit`);
    const fields = { ...formFields(tab.html), leader_email: 'twice@example.com', invitees: TEAM, action: 'submit' };
    const [first, second] = await Promise.all([
      client.post(`/requests/${id}/edit`, fields),
      client.post(`/requests/${id}/edit`, fields),
    ]);
    assert.deepEqual([first.status, second.status], [303, 303]);
    const third = await client.post(`/requests/${id}/edit`, fields);
    assert.equal(third.status, 303);
    assert.equal(third.location, `/requests/${id}`, 'a late press lands on the request');
    assert.equal((await outboxTo('twice@example.com')).length, 1, 'one email only');

    const saveAfter = await client.post(`/requests/${id}/edit`, { ...fields, action: 'save', note: 'too late' });
    assert.equal(saveAfter.status, 409);
    assert.equal((await client.get(`/requests/${id}/edit`)).location, `/requests/${id}`, 'no edit page once submitted');
    const row = await db()
      .selectFrom('feedback_requests')
      .select(['manager_note'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.manager_note, '');
  });

  it('sends a declined request back to draft to edit and submit again', async () => {
    const { client, id } = await managerWithDraft(app(), db(), 'pulse');
    await pressOnEdit(client, id, 'submit', { leader_email: 'decliner@example.com', invitees: TEAM });
    await db()
      .updateTable('feedback_requests')
      .set({ status: 'declined', decline_reason: 'Let us wait until the reorganisation is done.' })
      .where('id', '=', id)
      .execute();

    const shown = await client.get(`/requests/${id}`);
    assert.match(
      textOf(shown.html),
      /State: Declined .*declined this request\. Their reason: Let us wait until the reorganisation is done\./,
    );
    const reopened = await client.submit(`/requests/${id}`, {}, `/requests/${id}/reopen`);
    assert.equal(reopened.location, `/requests/${id}/edit`);
    assert.equal(
      (await db().selectFrom('feedback_requests').select('status').where('id', '=', id).executeTakeFirstOrThrow())
        .status,
      'draft',
    );
    const edit = await client.get(`/requests/${id}/edit`);
    assert.match(
      textOf(edit.html),
      /Your leader declined this request\. Their reason: Let us wait until the reorganisation is done\./,
      'the reason stays in sight while editing',
    );
    assert.equal((await pressOnEdit(client, id, 'submit', { closes_on: '2026-11-30' }, edit)).status, 303);
    const again = await db()
      .selectFrom('feedback_requests')
      .select(['status', 'decline_reason'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(again, { status: 'submitted', decline_reason: null }, 'sent again for a fresh decision');
    assert.equal((await outboxTo('decliner@example.com')).length, 2);
  });

  it('deletes a draft after asking, and nothing else', async () => {
    const { client, id } = await managerWithDraft(app(), db(), 'pulse');
    const confirm = await client.get(`/requests/${id}/delete`);
    assert.equal(confirm.status, 200);
    assert.match(textOf(confirm.html), /Delete this draft\? .*cannot be undone/);
    const deleted = await client.submit(`/requests/${id}/delete`, {});
    assert.equal(deleted.location, '/requests?deleted=1');
    assert.equal(
      await db().selectFrom('feedback_requests').select('id').where('id', '=', id).executeTakeFirst(),
      undefined,
    );
    assert.equal((await client.get(`/requests/${id}`)).status, 404);

    const other = await managerWithDraft(app(), db(), 'pulse');
    await pressOnEdit(other.client, other.id, 'submit', { leader_email: 'keep@example.com', invitees: TEAM });
    assert.equal((await other.client.get(`/requests/${other.id}/delete`)).location, `/requests/${other.id}`);
    const page = await other.client.get(`/requests/${other.id}`);
    assert.equal(
      (
        await other.client.post(`/requests/${other.id}/delete`, {
          _csrf: /name="_csrf" value="([^"]+)"/.exec(page.html)![1]!,
        })
      ).status,
      409,
    );
  });
});
