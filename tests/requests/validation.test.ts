// What stops a request being submitted: each case answers 422, keeps every value, puts the
// message beside its field and in the summary, and submits nothing.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { textOf, type Page } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { managerWithDraft } from '../helpers/factories.ts';
import { formFields, pressOnEdit, TEAM } from './form-fields.ts';

const VALID = { leader_email: 'lea@example.com', invitees: TEAM, closes_on: '2026-11-20', note: 'Thanks!' };

describeEachDatabase('checks before a request is submitted', (database) => {
  const db = () => database().db;
  const { app } = useTestApp(database, { clock: new ManualClock('2026-11-02T09:00:00Z') });

  /** Submits `changes` on a fresh Pulse draft and checks the refusal is complete. */
  async function refused(
    field: string,
    changes: Record<string, string>,
    message: RegExp,
    onApp: TestApp = app(),
  ): Promise<Page> {
    const { client, id } = await managerWithDraft(onApp, db(), 'pulse');
    const page = await pressOnEdit(client, id, 'submit', { ...VALID, ...changes });
    assert.equal(page.status, 422);
    const fields = formFields(page.html);
    for (const [name, value] of Object.entries({ ...VALID, ...changes }))
      assert.equal(fields[name], value.trim(), `${name} is kept`);
    assert.match(
      page.html,
      new RegExp(`id="${field}"[^>]*aria-describedby="[^"]*${field}-error"`),
      'the field points at its error',
    );
    assert.match(
      page.html,
      new RegExp(
        `id="${field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="${field}"|id="${field}"[\\s\\S]{0,300}aria-invalid="true"`,
      ),
    );
    // The team list may have several errors, each a paragraph inside one <div>.
    const end = field === 'invitees' ? '</div>' : '</p>';
    const error = new RegExp(`id="${field}-error"[^>]*>([\\s\\S]*?)${end}`).exec(page.html);
    assert.ok(error, `an error sits beside ${field}`);
    assert.match(textOf(error[1]!), message);
    assert.match(page.html, new RegExp(`<a href="#${field}">`), 'the summary links to the field');
    const request = await db()
      .selectFrom('feedback_requests')
      .select(['status', 'submitted_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(request, { status: 'draft', submitted_at: null }, 'nothing was submitted');
    assert.equal(
      (await db().selectFrom('email_outbox').select('id').where('to_address', '=', VALID.leader_email).execute())
        .length,
      0,
    );
    return page;
  }

  it('refuses a closing date in the past, today, or more than 60 days ahead', async () => {
    await refused('closes_on', { closes_on: '2026-10-30' }, /Pick a date after today/);
    await refused('closes_on', { closes_on: '2026-11-02' }, /Pick a date after today/);
    await refused('closes_on', { closes_on: '2027-01-02' }, /at most 60 days ahead, on or before 2027-01-01/);
  });

  it('refuses a malformed or impossible closing date, and a missing one', async () => {
    await refused('closes_on', { closes_on: '20/11/2026' }, /Enter a real date, like 2026-12-01/);
    await refused('closes_on', { closes_on: '2026-02-30' }, /Enter a real date/);
    await refused('closes_on', { closes_on: '' }, /Enter the closing date/);
  });

  it('accepts tomorrow and exactly 60 days ahead', async () => {
    for (const closes_on of ['2026-11-03', '2027-01-01']) {
      const { client, id } = await managerWithDraft(app(), db(), 'pulse');
      assert.equal(
        (await pressOnEdit(client, id, 'submit', { ...VALID, leader_email: `lea-${closes_on}@example.com`, closes_on }))
          .status,
        303,
      );
    }
  });

  it('refuses fewer people than the anonymity threshold, saying why', async () => {
    await refused(
      'invitees',
      { invitees: 'ann@example.com\nann@example.com, bob@example.com' },
      /Invite at least 3 people \(you listed 2\)\. With fewer, the answers could reveal who said what\./,
    );
    await refused('invitees', { invitees: '' }, /Invite at least 3 people \(you listed 0\)/);
  });

  it('lists invalid addresses by line', async () => {
    await refused(
      'invitees',
      { invitees: 'ann@example.com\n\nbob@\ncy@example.com; dee' },
      /Line 3: “bob@” is not an email address\. Line 4: “dee” is not an email address\./,
    );
  });

  it('refuses a leader who is yourself, one of the team, missing, or not an address', async () => {
    const { client, id, user } = await managerWithDraft(app(), db(), 'pulse');
    const self = await pressOnEdit(client, id, 'submit', { ...VALID, leader_email: user.email.toUpperCase() });
    assert.equal(self.status, 422);
    assert.match(textOf(self.html), /That is your own address\. Name your leader/);
    await refused('leader_email', { leader_email: 'bob@example.com' }, /Your leader is also in the team list/);
    await refused('leader_email', { leader_email: '' }, /Enter the email address of your leader/);
    await refused('leader_email', { leader_email: 'lea@' }, /Enter an email address like name@example\.com/);
  });

  it('refuses an oversized note or question', async () => {
    await refused('note', { note: 'n'.repeat(2_001) }, /Keep the note under 2,000 characters\./);
    await refused('prompt_0', { prompt_0: 'q'.repeat(501) }, /Keep the question under 500 characters \(it has 501\)\./);
  });

  it('refuses addresses outside ALLOWED_EMAIL_DOMAINS, naming them', async () => {
    const limited = await startTestApp({
      db: db(),
      clock: new ManualClock('2026-11-02T09:00:00Z'),
      env: { ALLOWED_EMAIL_DOMAINS: 'example.com' },
    });
    try {
      await refused(
        'invitees',
        { invitees: `${TEAM}\nzed@elsewhere.org` },
        /zed@elsewhere\.org is outside the email domains Upward accepts \(example\.com\)\./,
        limited,
      );
      await refused(
        'leader_email',
        { leader_email: 'lea@elsewhere.org' },
        /lea@elsewhere\.org is outside the email domains Upward accepts/,
        limited,
      );
    } finally {
      await limited.close();
    }
  });

  it('saves a draft that is not ready yet, but not text that is not an address', async () => {
    const { client, id } = await managerWithDraft(app(), db(), 'pulse');
    assert.equal(
      (
        await pressOnEdit(client, id, 'save', {
          invitees: 'ann@example.com',
          closes_on: '2026-10-01',
          leader_email: '',
        })
      ).status,
      303,
    );
    const page = await pressOnEdit(client, id, 'save', { invitees: 'ann@example.com\nnot an address' });
    assert.equal(page.status, 422);
    assert.match(textOf(page.html), /Line 2: “not” is not an email address\./);
  });
});
