// A manager may not put themself in their own team, under any +tag form of their address,
// nor their leader: the answers about them would then count one of their own (or the
// collector's) as the team's. Each is refused beside the team list, with the values kept.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { textOf } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { managerWithDraft } from '../helpers/factories.ts';
import { formFields, pressOnEdit, TEAM } from './form-fields.ts';

describeEachDatabase('a manager inviting themself', (database) => {
  const db = () => database().db;
  const { app } = useTestApp(database, { clock: new ManualClock('2026-11-02T09:00:00Z') });

  async function submitWithTeam(team: (self: string) => string, leader = 'lea@example.com') {
    const { client, id, user } = await managerWithDraft(app(), db(), 'pulse');
    const values = { leader_email: leader, invitees: team(user.email), closes_on: '2026-11-20', note: '' };
    const page = await pressOnEdit(client, id, 'submit', values);
    const request = await db().selectFrom('feedback_requests').select('status').where('id', '=', id).executeTakeFirst();
    return { page, status: request?.status, values, user };
  }

  const tagged = (email: string, tag: string) => email.replace('@', `+${tag}@`);

  it('refuses their own address, as typed or in capitals, beside the team list', async () => {
    const { page, status, values, user } = await submitWithTeam((self) => `${TEAM}\n${self.toUpperCase()}`);
    assert.equal(page.status, 422);
    assert.equal(status, 'draft', 'nothing was submitted');
    const error = /id="invitees-error"[^>]*>([\s\S]*?)<\/div>/.exec(page.html);
    assert.ok(error, 'the error sits beside the team list');
    assert.match(textOf(error[1]!), new RegExp(`${user.email.replace(/[.+]/g, '\\$&')} reaches your own inbox`));
    assert.equal(formFields(page.html).invitees, values.invitees, 'the team list is kept as typed');
  });

  it('refuses a +tag copy of their address, even when three real people are listed too', async () => {
    const { page, status } = await submitWithTeam((self) => `${TEAM}\n${tagged(self, 'two')}`);
    assert.equal(page.status, 422);
    assert.equal(status, 'draft');
    assert.match(textOf(page.html), /\+two@example\.com reaches your own inbox/);
  });

  it('refuses their leader in a +tag form in the team, and themself named as leader in one', async () => {
    const leader = await submitWithTeam(() => `${TEAM}\nlea+x@example.com`);
    assert.equal(leader.page.status, 422);
    assert.match(textOf(leader.page.html), /Your leader is also in the team list/);
    const self = await submitWithTeam(() => TEAM, 'placeholder');
    assert.equal(self.page.status, 422, 'a malformed leader is refused too');
    const { client, id, user } = await managerWithDraft(app(), db(), 'pulse');
    const asLeader = await pressOnEdit(client, id, 'submit', {
      leader_email: tagged(user.email, 'boss'),
      invitees: TEAM,
      closes_on: '2026-11-20',
      note: '',
    });
    assert.equal(asLeader.status, 422);
    assert.match(textOf(asLeader.html), /That is your own address/);
  });

  it('accepts a team of other people whose addresses merely look alike', async () => {
    const { page, status } = await submitWithTeam((self) => `${TEAM}\n${self.replace('manager-', 'managerx-')}`);
    assert.equal(page.status, 303);
    assert.equal(status, 'submitted');
  });
});
