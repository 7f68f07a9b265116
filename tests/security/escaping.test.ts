// Script and HTML typed into any free text come back as text: in every page that shows it
// and in the HTML part of every email it ends up in. One round is played through the app
// with a payload in each field a person can type (names, the manager's note, questions,
// choices, the team note, a decline reason, comments, the leader's notes, focus points),
// then every page and every queued email is checked. Email headers cannot be injected:
// display names and addresses with line breaks, and lists where one address belongs, are
// refused, and subjects never hold a line break.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { TestClient } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { renderEmail } from '../../src/email/render.ts';
import { assertSingleAddress, InvalidRecipientError, queueEmail } from '../../src/email/outbox.ts';
import { emailDefinitions, type EmailName } from '../../src/email/definitions.ts';
import { sendDueFollowUpNudges } from '../../src/jobs/follow-up-nudges.ts';
import { sendDueNextRoundEmails } from '../../src/jobs/next-round-emails.ts';
import { createUser } from '../helpers/factories.ts';
import { LATER_DAY, NOW, signedIn, visitor } from './world.ts';

/** Free text: a script, an image with an event handler, an attribute break-out. */
const SCRIPT = '<script>alert("x")</script>';
const IMAGE = '<img src=x onerror=alert(1)>';
const BREAKOUT = '"><svg onload=alert(2)>';
const TEXT = (what: string) => `${what} ${SCRIPT} ${IMAGE} ${BREAKOUT}`;
/** Names may not hold < or >, so they carry the attribute break-out with quotes. */
const NAME = (who: string) => `${who} "onmouseover=alert(3) 'x'`;

/** Fails when any payload appears as markup; passes when it is there only escaped. */
function assertEscaped(html: string, where: string, mustShow: RegExp[] = []) {
  for (const raw of ['<script>alert', '<img src=x', '<svg onload', '"onmouseover=', 'onerror=alert', 'onload=alert']) {
    assert.ok(!html.includes(raw), `${where}: ${raw} appears unescaped`);
  }
  for (const shown of mustShow) assert.match(html, shown, `${where}: shows ${shown} (escaped)`);
}

const ESCAPED_SCRIPT = /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/;
const ESCAPED_NAME = /&quot;onmouseover&#x3D;alert\(3\) &#x27;x&#x27;/;

describeEachDatabase('escaping what people type', (database) => {
  const clock = new ManualClock(NOW);
  const { app } = useTestApp(database, { clock });

  async function person(name: string) {
    const user = await createUser(database().db, { name: null });
    const session = await signedIn(app(), database().db, user);
    const named = await session.client.post('/welcome', { _csrf: session.csrf, name });
    assert.equal(named.status, 303, `the name ${name} is accepted`);
    return { ...session, user };
  }

  async function draftRequest(manager: Awaited<ReturnType<typeof person>>, leaderEmail: string) {
    const created = await manager.client.post('/requests', { _csrf: manager.csrf, template: 'blank' });
    const id = /\/requests\/([0-9a-f-]{36})\/edit/.exec(created.location ?? '')![1]!;
    const fields = {
      _csrf: manager.csrf,
      leader_email: leaderEmail,
      invitees: ['a', 'b', 'c', 'd'].map((p) => `${p}-${id.slice(0, 8)}@example.com`).join('\n'),
      closes_on: LATER_DAY,
      note: TEXT('Note'),
      kind_0: 'agree',
      prompt_0: TEXT('Agree'),
      required_0: 'yes',
      kind_1: 'choice',
      prompt_1: TEXT('Choice'),
      choices_1: `${TEXT('First')}\n${IMAGE}`,
      kind_2: 'text',
      prompt_2: TEXT('Comment'),
    };
    return { id, fields };
  }

  it('shows every typed payload only as text, on every page and in every email', async () => {
    const db = database().db;
    const manager = await person(NAME('Mal'));
    const leader = await person(NAME('Lex'));
    const check = async (
      who: Awaited<ReturnType<typeof person>> | TestClient,
      path: string,
      mustShow: RegExp[] = [],
    ) => {
      const client = who instanceof TestClient ? who : who.client;
      const page = await client.get(path);
      assert.equal(page.status, 200, `${path} opens`);
      assertEscaped(page.html, path, mustShow);
      return page;
    };

    // The manager writes a request, saves it, and submits it to the leader.
    const { id, fields } = await draftRequest(manager, leader.user.email);
    assert.equal((await manager.client.post(`/requests/${id}/edit`, { ...fields, action: 'save' })).status, 303);
    await check(manager, `/requests/${id}/edit`, [ESCAPED_SCRIPT]);
    assert.equal((await manager.client.post(`/requests/${id}/edit`, { ...fields, action: 'submit' })).status, 303);
    await check(manager, `/requests/${id}`, [ESCAPED_SCRIPT]);
    await check(manager, '/requests', [ESCAPED_NAME]);
    await check(manager, '/account', [ESCAPED_NAME]);

    // The leader reads it, writes a team note, launches.
    await check(leader, '/collect', [ESCAPED_NAME]);
    await check(leader, `/collect/${id}`, [ESCAPED_SCRIPT, ESCAPED_NAME]);
    assert.equal(
      (
        await leader.client.post(`/collect/${id}`, {
          _csrf: leader.csrf,
          closes_on: LATER_DAY,
          team_note: TEXT('Team note'),
        })
      ).status,
      303,
    );
    await check(leader, `/collect/${id}/launch`);
    assert.equal((await leader.client.post(`/collect/${id}/launch`, { _csrf: leader.csrf })).status, 303);
    await check(leader, `/collect/${id}`, [ESCAPED_SCRIPT]);

    // The team answers through the links in their invitations, with a payload in each comment.
    const links = (await db.selectFrom('email_outbox').select('text').where('name', '=', 'invitation').execute())
      .map((row) => /\/s\/[A-Za-z0-9_-]+/.exec(row.text)?.[0])
      .filter((link): link is string => Boolean(link));
    assert.ok(links.length >= 4, 'four invitations were queued');
    const survey = await check(new TestClient(app().url), links[0]!, [ESCAPED_SCRIPT, ESCAPED_NAME]);
    const names = [...survey.html.matchAll(/name="(q-[0-9a-f-]{36})"/g)].map((m) => m[1]!);
    const [agree, choice, comment] = [...new Set(names)];
    for (const [i, link] of links.slice(0, 4).entries()) {
      const answered = await new TestClient(app().url).post(link, {
        [agree!]: '4',
        [choice!]: '0',
        [comment!]: TEXT(`Comment ${i}`),
      });
      assert.equal(answered.status, 200, 'the answer is stored');
      assertEscaped(answered.html, 'thank-you page', [ESCAPED_NAME]);
    }

    // The leader closes the round, reads the report, writes notes, releases it.
    assert.equal((await leader.client.post(`/collect/${id}/close`, { _csrf: leader.csrf })).status, 303);
    await check(leader, `/reports/${id}`, [ESCAPED_SCRIPT]);
    assert.equal(
      (await leader.client.post(`/reports/${id}/notes`, { _csrf: leader.csrf, notes: TEXT('Notes') })).status,
      303,
    );
    // The one-on-one: the agenda and the place of the meeting, on its pages and in the invitation.
    await check(leader, `/reports/${id}/one-on-one`, [ESCAPED_SCRIPT, ESCAPED_NAME]);
    const oneOnOne = `/reports/${id}/one-on-one`;
    assert.equal(
      (await leader.client.post(`${oneOnOne}/agenda`, { _csrf: leader.csrf, agenda: TEXT('Agenda') })).status,
      303,
    );
    const meeting = { _csrf: leader.csrf, day: LATER_DAY, time: '10:00', minutes: '30', time_zone: 'UTC' };
    assert.equal((await leader.client.post(`${oneOnOne}/meeting`, { ...meeting, place: TEXT('Place') })).status, 303);
    const planned = await check(leader, oneOnOne, [ESCAPED_SCRIPT]);
    assert.match(planned.html, /Agenda &lt;script&gt;alert/, 'the agenda reads as typed');
    assert.match(planned.html, /Place &lt;script&gt;alert/, 'the place reads as typed');
    await check(leader, `${oneOnOne}/cancel`, [ESCAPED_SCRIPT, ESCAPED_NAME]);
    await check(leader, `/reports/${id}/release`, [ESCAPED_NAME]);
    assert.equal(
      (await leader.client.post(`/reports/${id}/release`, { _csrf: leader.csrf, next_round_on: '2026-11-20' })).status,
      303,
    );
    assert.equal(
      (
        await manager.client.post(`/reports/${id}/focus-points`, {
          _csrf: manager.csrf,
          text: TEXT('Focus'),
          follow_up_on: '2026-11-20',
        })
      ).status,
      303,
    );
    const report = await check(manager, `/reports/${id}`, [ESCAPED_SCRIPT, ESCAPED_NAME]);
    assert.match(report.html, /Focus &lt;script&gt;alert\(&quot;x&quot;\)/, 'the focus point reads as typed');
    assert.ok(!report.html.includes('&amp;lt;'), 'escaped once, not twice');
    await check(leader, `/reports/${id}`, [ESCAPED_SCRIPT]);
    const csv = await leader.client.get(`/reports/${id}.csv`);
    assert.equal(csv.status, 200);

    // A second request, declined with a reason.
    const second = await draftRequest(manager, leader.user.email);
    assert.equal(
      (await manager.client.post(`/requests/${second.id}/edit`, { ...second.fields, action: 'submit' })).status,
      303,
    );
    await check(leader, `/collect/${second.id}/decline`);
    assert.equal(
      (await leader.client.post(`/collect/${second.id}/decline`, { _csrf: leader.csrf, reason: TEXT('Reason') }))
        .status,
      303,
    );
    await check(manager, `/requests/${second.id}`, [ESCAPED_SCRIPT]);

    // The follow-up nudge goes out on the focus point's date.
    clock.set('2026-11-20T09:00:00Z');
    assert.ok((await sendDueFollowUpNudges(db, { clock, config: app().config })) > 0, 'nudges were queued');
    // And the next round's email, whose page names the leader.
    assert.equal(await sendDueNextRoundEmails(db, { clock, config: app().config }), 1);
    await check((await signedIn(app(), db, manager.user)).client, `/reports/${id}/next-round`, [ESCAPED_NAME]);

    // Every email queued on the way: its HTML shows the payloads only escaped; its subject is one line.
    const emails = await db.selectFrom('email_outbox').select(['id', 'name', 'subject', 'html', 'text']).execute();
    const kinds = new Set(emails.map((email) => email.name));
    for (const name of [
      'request-received',
      'invitation',
      'request-launched',
      'self-assessment-invitation',
      'round-closed',
      'report-released',
      'request-declined',
      'follow-up-nudge',
      'next-round-due',
      'one-on-one-invitation',
    ]) {
      assert.ok(kinds.has(name), `a ${name} email was queued`);
    }
    for (const email of emails) {
      assertEscaped(email.html, `the ${email.name} email's HTML`);
      assert.doesNotMatch(email.subject, /[\r\n]/, `the ${email.name} email's subject is one line`);
    }
    const html = emails.map((email) => email.html).join('\n');
    for (const shown of [ESCAPED_SCRIPT, ESCAPED_NAME])
      assert.match(html, shown, 'the payloads did reach the emails, escaped');
    assert.ok(
      emails.some((email) => email.text.includes(SCRIPT)),
      'the plain-text part carries the text as typed',
    );

    // And the development mailbox shows them as text too.
    const visitor = new TestClient(app().url);
    await check(visitor, '/dev/mailbox', [ESCAPED_NAME]);
    for (const email of emails.slice(0, 12)) {
      await check(visitor, `/dev/mailbox/${email.id}`);
      await check(visitor, `/dev/mailbox/${email.id}/html`);
    }
  });

  it('escapes every field of every email definition, whatever it holds', () => {
    const payload = `${NAME('Eve')} ${TEXT('x')}\r\nBcc: victim@example.com`;
    const numbers = new Set(['minutes', 'people', 'threshold', 'invitedCount', 'answered', 'invited']);
    for (const name of Object.keys(emailDefinitions) as EmailName[]) {
      const keys = [
        'managerName',
        'leaderName',
        'recipientName',
        'otherName',
        'note',
        'teamNote',
        'reason',
        'closesOn',
        'followUpOn',
        'closedOn',
        'nextRoundOn',
        'when',
        'zone',
        'place',
        'heard',
        'willDo',
        'addressesKept',
        ...numbers,
      ];
      const data = Object.fromEntries(keys.map((key) => [key, numbers.has(key) ? 3 : payload]));
      const figures = [{ prompt: payload, mean: payload, favourable: 3 }];
      const rendered = renderEmail(name, { ...data, link: '/requests', points: [payload, payload], figures } as never, {
        BASE_URL: app().url,
      });
      assertEscaped(rendered.html, `${name} email`);
      assert.doesNotMatch(rendered.subject, /[\r\n]/, `${name}: a line break never reaches the subject`);
    }
  });

  it('refuses line breaks in names, and anything but one plain address as a recipient', async () => {
    const { client, csrf } = await signedIn(app(), database().db, await createUser(database().db));
    for (const name of ['Eve\r\nBcc: victim@example.com', 'Eve\nSubject: hi', 'Eve\u0000', 'Eve <eve@evil.example>']) {
      const response = await client.post('/account/name', { _csrf: csrf, name });
      // A NUL is refused before any form reads it (400); the rest by the name's own check.
      assert.equal(
        response.status,
        name.includes('\u0000') ? 400 : 422,
        `${JSON.stringify(name)} is refused as a name`,
      );
    }
    const leaderFields = [
      'boss@example.com\r\nBcc: victim@example.com',
      'boss@example.com, victim@example.com',
      'boss@example.com\nvictim@example.com',
      'Boss <boss@example.com>',
    ];
    const manager = await signedIn(app(), database().db, await createUser(database().db));
    const created = await manager.client.post('/requests', { _csrf: manager.csrf, template: 'blank' });
    for (const leaderEmail of leaderFields) {
      const response = await manager.client.post(created.location!, {
        _csrf: manager.csrf,
        leader_email: leaderEmail,
        closes_on: LATER_DAY,
        action: 'save',
      });
      assert.equal(response.status, 422, `${JSON.stringify(leaderEmail)} is refused as the leader's address`);
    }
    // The sign-in form's address goes straight into an email's To: only one plain address.
    const visiting = await visitor(app());
    for (const email of [
      'eve@example.com\r\nBcc: victim@example.com',
      'eve@example.com, victim@example.com',
      'Eve <eve@example.com>',
      'eve@example.com\nvictim@example.com',
    ]) {
      const response = await visiting.client.post('/sign-in', { _csrf: visiting.csrf, email });
      assert.equal(response.status, 422, `${JSON.stringify(email)} is refused as a sign-in address`);
    }
    const queued = await database()
      .db.selectFrom('email_outbox')
      .select('to_address')
      .where('to_address', 'like', '%victim%')
      .execute();
    assert.deepEqual(queued, [], 'nothing was queued to a smuggled address');
    for (const to of [
      'a@example.com\r\nBcc: victim@example.com',
      'a@example.com,victim@example.com',
      'a@example.com; b@example.com',
      'Eve <a@example.com>',
      'a@example.com\n',
      '"a\r\n"@example.com',
    ]) {
      assert.throws(() => assertSingleAddress(to), InvalidRecipientError, JSON.stringify(to));
      await assert.rejects(
        queueEmail(
          database().db,
          { to, name: 'sign-in-link', data: { link: '/sign-in', minutes: 10 } },
          { config: app().config, clock },
        ),
        InvalidRecipientError,
      );
    }
  });
});
