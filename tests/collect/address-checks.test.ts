// Addresses a manager may control (outside the manager's and the leader's domains, like the
// manager's own, another invitee's under a +tag) are marked on the leader's review page with
// the reason beside each, and the launch asks the leader to confirm them: without the
// checkbox it is refused beside it (422) and nothing is sent; with it, the round opens.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { textOf } from '../helpers/client.ts';
import { createRequest, createUser, uniqueTag } from '../helpers/factories.ts';
import { signedInClient } from '../helpers/sessions.ts';
import { ManualClock } from '../../src/lib/clock.ts';

describeEachDatabase('addresses the leader checks before launch', (database) => {
  const db = () => database().db;
  const { app } = useTestApp(database, { clock: new ManualClock('2026-11-02T09:00:00Z') });

  /** Mia's request to Lee, with the team given as local parts (and domains) of this round's tag. */
  async function request(team: (tag: string) => string[]) {
    const tag = uniqueTag();
    const manager = await createUser(db(), { email: `mia-${tag}@example.com`, name: 'Mia Manager' });
    const { client: leader } = await signedInClient(app(), db(), { email: `lee-${tag}@example.com`, name: 'Lee' });
    const invitees = team(tag);
    const { request } = await createRequest(db(), {
      managerId: manager.id,
      leaderEmail: `lee-${tag}@example.com`,
      invitees,
      now: app().clock.now(),
    });
    return { id: request.id, leader, invitees, tag };
  }

  const statusOf = async (id: string) =>
    (await db().selectFrom('feedback_requests').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  const invitationsQueued = async (invitees: string[]) =>
    (await db().selectFrom('email_outbox').select('id').where('to_address', 'in', invitees).execute()).length;

  /** Each invitee on the review page with the words shown in its row, up to the next one. */
  function rowsOf(html: string): Map<string, string> {
    const list = html.slice(html.indexOf('<ul class="invitee-list">'), html.indexOf('<h2>Your decision</h2>'));
    const rows = list.split('<span class="invitee-email">').slice(1);
    return new Map(rows.map((row) => [row.slice(0, row.indexOf('<')), textOf(row.slice(row.indexOf('<')))]));
  }

  const team = (tag: string) => [
    `ann-${tag}@example.com`,
    `bo-${tag}@example.com`,
    `bo-${tag}+2@example.com`,
    `mia-${tag}@gmail.com`,
    `dan-${tag}@contractor.test`,
  ];

  it('marks each address to check on the review page, with its reason in plain words', async () => {
    const { id, leader, tag } = await request(team);
    const page = await leader.get(`/collect/${id}`);
    assert.equal(page.status, 200);
    const text = textOf(page.html);
    assert.match(text, /4 addresses to check before you launch/);
    assert.match(text, /That only works if every address belongs to a different member of Mia Manager’s team/);

    const rows = rowsOf(page.html);
    assert.equal(rows.size, 5);
    assert.doesNotMatch(rows.get(`ann-${tag}@example.com`)!, /Check/, 'a colleague at the same domain is not marked');
    assert.match(rows.get(`bo-${tag}@example.com`)!, new RegExp(`Check Differs from bo-${tag}\\+2@example\\.com only`));
    assert.match(rows.get(`bo-${tag}+2@example.com`)!, /Differs from bo-.*@example\.com only by a \+tag or dots/);
    assert.match(rows.get(`dan-${tag}@contractor.test`)!, /Not at example\.com, where you and Mia Manager have/);
    const lookalike = rows.get(`mia-${tag}@gmail.com`)!;
    assert.match(lookalike, /Not at example\.com/);
    assert.match(lookalike, new RegExp(`Looks like Mia Manager’s own address, mia-${tag}@example\\.com\\.`));
  });

  it('refuses to launch until the leader confirms the marked addresses, beside the checkbox', async () => {
    const { id, leader, invitees } = await request(team);
    const confirm = await leader.get(`/collect/${id}/launch`);
    assert.equal(confirm.status, 200);
    assert.match(confirm.html, /<input type="checkbox" id="addresses-checked" name="addresses_checked" value="yes"/);
    assert.match(textOf(confirm.html), /I have checked the 4 marked addresses: each belongs to a different person/);

    for (const fields of [{}, { addresses_checked: 'maybe' }] as Record<string, string>[]) {
      const refused = await leader.submit(`/collect/${id}/launch`, fields);
      assert.equal(refused.status, 422);
      assert.match(
        refused.html,
        /id="addresses-checked-error"[^>]*>.*Tick the box once you have checked the marked addresses/,
      );
      assert.match(refused.html, /aria-invalid="true" aria-describedby="addresses-checked-error"/);
      assert.doesNotMatch(refused.html, /name="addresses_checked" value="yes" required\s+checked/, 'left unticked');
      assert.match(textOf(refused.html), /Send 5 invitations now\?.*4 addresses to check/);
      assert.equal(await statusOf(id), 'submitted');
      assert.equal(await invitationsQueued(invitees), 0, 'nobody is invited');
    }

    const launched = await leader.submit(`/collect/${id}/launch`, { addresses_checked: 'yes' });
    assert.equal(launched.status, 303);
    assert.equal(await statusOf(id), 'open');
    assert.equal(await invitationsQueued(invitees), 5);
  });

  it('asks nothing once the marked addresses are removed, nor of a team with none', async () => {
    const { id, leader, invitees } = await request((tag) => [
      ...team(tag),
      `cy-${tag}@example.com`,
      `di-${tag}@example.com`,
    ]);
    const rows = await db().selectFrom('invitations').select(['id', 'email']).where('request_id', '=', id).execute();
    for (const row of rows.filter((r) => !/^(ann|cy|di)-/.test(r.email!))) {
      assert.equal((await leader.submit(`/collect/${id}`, {}, `/collect/${id}/invitees/${row.id}/remove`)).status, 303);
    }
    const page = await leader.get(`/collect/${id}`);
    assert.doesNotMatch(textOf(page.html), /to check/);
    const confirm = await leader.get(`/collect/${id}/launch`);
    assert.doesNotMatch(confirm.html, /addresses_checked/);
    assert.equal((await leader.submit(`/collect/${id}/launch`, {})).status, 303);
    assert.equal(await invitationsQueued(invitees), 3);
  });
});
