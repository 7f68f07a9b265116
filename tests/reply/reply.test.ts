// The manager's reply to the team after the release (issue 20, point 1): pre-filled from the
// report and the focus points, saved as a draft, previewed exactly as each team member reads
// it, sent once to everyone invited (never the manager or the leader), with the summary
// figures only if asked and never those below k, refused once the addresses are deleted; the
// leader's pages say whether and when it went.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useSmtpWorker, useTestApp } from '../helpers/suite.ts';
import { csrfOf, textOf } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { createAnsweredRound, createFocusPoint, uniqueTag, type QuestionSpec } from '../helpers/factories.ts';

const QUESTIONS: QuestionSpec[] = [
  { kind: 'agree', prompt: 'My manager listens to me.', required: true },
  { kind: 'agree', prompt: 'My manager gives clear goals.', required: true },
  { kind: 'agree', prompt: 'My manager shares credit.', required: true },
  { kind: 'agree', prompt: 'My manager follows up on what I raise.', required: true },
  { kind: 'agree', prompt: 'My manager explains decisions.', required: false },
  { kind: 'text', prompt: 'What should your manager keep doing?', required: false },
];
// Means 4.7 (100% favourable), 2.3 (0%), 4.3 (100%), 2.3 (0%); the fifth statement has two
// answers, below k = 3, so it has no figures; three comments, enough for the report to show.
const ANSWERS = [
  [5, 2, 4, 2, 5, 'Keep the stand-ups short'],
  [5, 3, 4, 2, undefined, 'Keep the stand-ups short'],
  [4, 2, 5, 3, 1, 'Keep the stand-ups short'],
];

/** Undoes the escaping Handlebars does in a page's text and attribute values. */
const unescape = (html: string) =>
  html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&#x60;/g, '`')
    .replace(/&amp;/g, '&');

const textarea = (html: string, name: string) =>
  unescape(new RegExp(`<textarea[^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)?.[1] ?? '');

/** The fields of the preview's send form, as a browser would post them back. */
function sendFields(html: string): Record<string, string> {
  const form = /<form method="post" action="\/reports\/[^"]+\/reply\/send"[\s\S]*?<\/form>/.exec(html)?.[0];
  assert.ok(form, 'the preview has the send form');
  return Object.fromEntries(
    [...form.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [m[1]!, unescape(m[2]!)]),
  );
}

describeEachDatabase('the reply to the team', (database) => {
  const clock = new ManualClock('2026-12-01T09:00:00Z');
  const { people, leader, manager, stranger } = useTestApp(database, {
    clock,
    signIn: ['leader', 'manager', 'stranger'],
  });
  const mail = useSmtpWorker(database, { clock });
  const db = () => database().db;

  /** A round of the manager's with four team members of its own, released unless asked otherwise. */
  async function round(status: 'closed' | 'released' = 'released') {
    const tag = uniqueTag();
    const team = ['ann', 'bob', 'cy', 'di'].map((name) => `${name}-${tag}@example.com`);
    const made = await createAnsweredRound(db(), {
      managerId: people().manager.id,
      leaderEmail: people().leader.email,
      questions: QUESTIONS,
      answers: ANSWERS,
      invitees: team,
      status,
    });
    return { id: made.id, team };
  }
  const post = async (path: string, fields: Record<string, string>, who = manager()) =>
    who.post(path, { _csrf: await csrfOf(who, '/account'), ...fields });
  const replyRows = (to?: string) => {
    let query = db().selectFrom('email_outbox').selectAll().where('name', '=', 'reply-to-team');
    if (to) query = query.where('to_address', '=', to);
    return query.execute();
  };
  /** Sends the outbox and returns what arrived since `from`. */
  async function delivered(from: number) {
    while ((await mail.worker().runOnce()) > 0);
    return mail.smtp().messages.slice(from);
  }
  /** Previews the reply and posts the preview's own send form: what a click on "Send" does. */
  async function previewAndSend(id: string, fields: Record<string, string>) {
    const preview = await post(`/reports/${id}/reply/preview`, fields);
    assert.equal(preview.status, 200, textOf(preview.html));
    const sent = await post(`/reports/${id}/reply/send`, sendFields(preview.html));
    assert.equal(sent.status, 303);
    return { preview, sent };
  }

  it("pre-fills the reply from the report's strengths and focus areas and the open focus points, with no figures", async () => {
    const { id } = await round();
    await createFocusPoint(db(), id, { text: 'Set goals with each person', followUpOn: '2027-01-15' });
    await createFocusPoint(db(), id, { text: 'An old point', followUpOn: '2026-11-20' });
    await db().updateTable('focus_points').set({ done_at: clock.now() }).where('text', '=', 'An old point').execute();

    const report = await manager().get(`/reports/${id}`);
    assert.match(report.html, new RegExp(`href="/reports/${id}/reply"[^>]*>Reply to your team`));

    const page = await manager().get(`/reports/${id}/reply`);
    assert.equal(page.status, 200);
    const heard = textarea(page.html, 'heard');
    assert.match(heard, /What you value:\n- My manager listens to me\.\n- My manager shares credit\./);
    assert.match(
      heard,
      /Where I can do better:\n- My manager follows up on what I raise\.\n- My manager gives clear goals\./,
    );
    const willDo = textarea(page.html, 'will_do');
    assert.match(willDo, /- Set goals with each person \(I will look at how it is going by 15 January 2027\)/);
    assert.doesNotMatch(willDo, /An old point/, 'a point marked done is not promised again');
    for (const text of [heard, willDo]) {
      assert.doesNotMatch(text, /\d\.\d|%/, 'no figure is in the text the manager did not choose to send');
      assert.doesNotMatch(text, /explains decisions/, 'a statement below k is neither strength nor focus');
    }
    assert.doesNotMatch(page.html, /name="include_figures" value="yes" checked/, 'the figures are off by default');
  });

  it('saves the draft and keeps it; a part too long or empty is refused beside its field with the values kept', async () => {
    const { id } = await round();
    const saved = await post(`/reports/${id}/reply`, {
      heard: 'Clearer goals, please.',
      will_do: 'Goals by March.',
      include_figures: 'yes',
    });
    assert.equal(saved.status, 303);
    assert.equal(saved.location, `/reports/${id}/reply?done=saved`);
    const page = await manager().get(saved.location!);
    assert.match(textOf(page.html), /Your draft is saved\. Nothing has been sent\./);
    assert.equal(textarea(page.html, 'heard'), 'Clearer goals, please.');
    assert.equal(textarea(page.html, 'will_do'), 'Goals by March.');
    assert.match(page.html, /name="include_figures" value="yes" checked/);

    const tooLong = await post(`/reports/${id}/reply`, { heard: 'x'.repeat(3_001), will_do: 'Kept as typed.' });
    assert.equal(tooLong.status, 422);
    assert.match(tooLong.html, /id="heard-error"[^>]*>.*under 3,000 characters/);
    assert.equal(textarea(tooLong.html, 'will_do'), 'Kept as typed.');
    assert.equal(textarea(tooLong.html, 'heard'), 'x'.repeat(3_001));

    const empty = await post(`/reports/${id}/reply/preview`, { heard: '  ', will_do: 'Kept too.' });
    assert.equal(empty.status, 422);
    assert.match(empty.html, /id="heard-error"[^>]*>.*Write what you heard/);
    assert.equal(textarea(empty.html, 'will_do'), 'Kept too.');
    const unchanged = await manager().get(`/reports/${id}/reply`);
    assert.equal(textarea(unchanged.html, 'heard'), 'Clearer goals, please.', 'a refused form changes no draft');
    assert.deepEqual(await replyRows(), [], 'nothing was sent');
  });

  it('previews exactly what each team member reads, sends it once to every invitee and to nobody else, and the leader sees when', async () => {
    const { id, team } = await round();
    const before = await leader().get(`/reports/${id}`);
    assert.match(textOf(before.html), /Mira Manager's reply to the team has not been sent yet\./);
    assert.match(textOf((await leader().get(`/collect/${id}`)).html), /reply to the team has not been sent yet/);

    const from = mail.smtp().messages.length;
    const fields = { heard: 'You asked for clearer goals & <fewer> meetings.', will_do: 'Line one.\nLine two.' };
    const { preview, sent } = await previewAndSend(id, fields);
    assert.match(textOf(preview.html), /This is exactly what each of the 4 team members will read/);
    assert.match(preview.html, />Send to 4 team members</);
    const subject = unescape(/<span id="reply-subject">([^<]*)<\/span>/.exec(preview.html)![1]!);
    const shown = unescape(/<div class="email-text" id="reply-text">([\s\S]*?)<\/div>/.exec(preview.html)![1]!);
    assert.equal(subject, 'Mira Manager on your feedback');
    assert.equal(sent.location, `/reports/${id}/reply?done=sent`);

    const arrived = await delivered(from);
    assert.deepEqual(
      arrived.map((m) => m.to).sort(),
      [...team].sort(),
      'one email to each invitee, none to anyone else',
    );
    for (const email of arrived) {
      assert.equal(email.subject, subject);
      assert.equal(email.text.replace(/\r\n/g, '\n').trimEnd(), shown.replace(/\r\n/g, '\n').trimEnd());
      assert.match(email.text, /You asked for clearer goals & <fewer> meetings\./);
      assert.match(email.text, /What I'll do\n\nLine one\.\nLine two\./);
      assert.match(
        email.html,
        /You asked for clearer goals &amp; &lt;fewer&gt; meetings\./,
        'the HTML part escapes it',
      );
      assert.doesNotMatch(email.text, /https?:\/\/\S+\/(s|reports)\//, 'no link: team members have no account');
    }
    // Like the invitations, the rows forget who they went to once sent.
    const rows = await replyRows();
    assert.equal(rows.length, 4);
    for (const row of rows) assert.deepEqual([row.status, row.to_address, row.text], ['sent', '', '']);

    const page = await manager().get(sent.location!);
    assert.match(textOf(page.html), /Sent to 4 team members on 1 December 2026\./);
    assert.doesNotMatch(page.html, /<textarea|<form method="post" action="[^"]*\/reply/, 'read-only once sent');
    assert.match(textOf(page.html), /Line one\. Line two\./);

    const again = await post(`/reports/${id}/reply/send`, { heard: 'A second go.', will_do: 'Again.' });
    assert.equal(again.location, `/reports/${id}/reply?done=already-sent`);
    const resaved = await post(`/reports/${id}/reply`, { heard: 'Changed after.', will_do: 'Changed.' });
    assert.equal(resaved.location, `/reports/${id}/reply?done=already-sent`);
    assert.equal((await replyRows()).length, 4, 'a second send queues nothing');
    assert.deepEqual(await delivered(mail.smtp().messages.length), []);
    assert.match(textOf((await manager().get(`/reports/${id}/reply`)).html), /Line one\. Line two\./);

    for (const path of [`/reports/${id}`, `/collect/${id}`]) {
      const seen = textOf((await leader().get(path)).html);
      assert.match(seen, /The reply to the team was sent on 1 December 2026\./, path);
      assert.doesNotMatch(seen, /You asked for clearer goals/, `${path} does not show the reply itself`);
    }
    assert.match(
      textOf((await manager().get(`/reports/${id}`)).html),
      /Your reply to the team was sent on 1 December 2026/,
    );
  });

  it('sends once when two sends arrive at the same time', async () => {
    const { id, team } = await round();
    const fields = { heard: 'Heard.', will_do: 'Will do.' };
    const csrf = await csrfOf(manager(), '/account');
    const both = await Promise.all(
      [1, 2].map(() => manager().post(`/reports/${id}/reply/send`, { _csrf: csrf, ...fields })),
    );
    assert.deepEqual(both.map((page) => page.location).sort(), [
      `/reports/${id}/reply?done=already-sent`,
      `/reports/${id}/reply?done=sent`,
    ]);
    const rows = await db()
      .selectFrom('email_outbox')
      .select('to_address')
      .where('name', '=', 'reply-to-team')
      .where('to_address', 'in', team)
      .execute();
    assert.deepEqual(rows.map((row) => row.to_address).sort(), [...team].sort(), 'one email per team member');
  });

  it('sends no figures unless asked; asked, the means and % favourable the manager sees, none below k, no comments', async () => {
    const without = await round();
    const withFigures = await round();
    const from = mail.smtp().messages.length;
    await previewAndSend(without.id, { heard: 'Heard.', will_do: 'Will do.' });
    const { preview } = await previewAndSend(withFigures.id, {
      heard: 'Heard.',
      will_do: 'Will do.',
      include_figures: 'yes',
    });
    assert.match(textOf(preview.html), /My manager listens to me\. \(4\.7 out of 5, 100% favourable\)/);
    const arrived = await delivered(from);

    const plain = arrived.find((m) => m.to === without.team[0])!;
    assert.doesNotMatch(plain.text, /out of 5|favourable|4\.7|4\.3|2\.3/);
    assert.doesNotMatch(plain.html, /out of 5|favourable/);

    const figures = arrived.find((m) => m.to === withFigures.team[0])!;
    for (const line of [
      '- My manager listens to me. (4.7 out of 5, 100% favourable)',
      '- My manager gives clear goals. (2.3 out of 5, 0% favourable)',
      '- My manager shares credit. (4.3 out of 5, 100% favourable)',
      '- My manager follows up on what I raise. (2.3 out of 5, 0% favourable)',
    ])
      assert.ok(figures.text.includes(line), `the email says "${line}"`);
    assert.match(
      figures.html,
      /My manager listens to me\.<\/td>\s*<td[^>]*><strong>4\.7<\/strong> out of 5, 100% favourable/,
    );
    for (const email of [figures.text, figures.html]) {
      assert.doesNotMatch(email, /explains decisions/, 'a statement fewer than k answered is left out');
      assert.doesNotMatch(email, /stand-ups|keep doing/, 'no comment and no comment question goes with it');
    }
    // The manager's report shows that statement's comments: the email leaves them out by choice.
    assert.match(textOf((await manager().get(`/reports/${withFigures.id}`)).html), /Keep the stand-ups short/);
  });

  it('is refused before the release, to the leader, and to anyone else as if the round did not exist', async () => {
    const closed = await round('closed');
    const released = await round();
    const queuedBefore = (await replyRows()).length;
    const fields = { heard: 'Heard.', will_do: 'Will do.' };
    assert.equal((await manager().get(`/reports/${closed.id}/reply`)).status, 403);
    assert.equal((await post(`/reports/${closed.id}/reply/send`, fields)).status, 403);
    assert.doesNotMatch((await leader().get(`/reports/${closed.id}`)).html, /reply to the team/);

    const byLeader = await leader().get(`/reports/${released.id}/reply`);
    assert.equal(byLeader.status, 403);
    assert.match(textOf(byLeader.html), /Only Mira Manager, whose round this was, writes to the team/);
    assert.equal((await post(`/reports/${released.id}/reply/send`, fields, leader())).status, 403);
    assert.equal((await post(`/reports/${released.id}/reply`, fields, leader())).status, 403);

    const missing = await stranger().get(`/reports/00000000-0000-4000-8000-000000000000/reply`);
    for (const attempt of [
      await stranger().get(`/reports/${released.id}/reply`),
      await post(`/reports/${released.id}/reply/preview`, fields, stranger()),
      await post(`/reports/${released.id}/reply/send`, fields, stranger()),
    ]) {
      assert.equal(attempt.status, 404);
      const withoutReference = (html: string) => textOf(html).replace(/Reference: \S+/, '');
      assert.equal(withoutReference(attempt.html), withoutReference(missing.html));
    }
    assert.equal((await replyRows()).length, queuedBefore, 'nothing was queued');
    assert.equal(
      (
        await db()
          .selectFrom('team_replies')
          .select('request_id')
          .where('request_id', 'in', [closed.id, released.id])
          .execute()
      ).length,
      0,
      'no draft was saved by anyone but the manager',
    );
  });

  it('once the addresses are deleted, refuses to send and says when they were', async () => {
    const { id } = await round();
    const queued = (await replyRows()).length;
    await post(`/reports/${id}/reply`, { heard: 'Heard.', will_do: 'Will do.' });
    // As the purge leaves a round (src/jobs/purge-invitees.ts): the date set, the addresses gone.
    await db()
      .updateTable('feedback_requests')
      .set({ invitees_purged_at: new Date('2026-11-30T03:00:00Z') })
      .where('id', '=', id)
      .execute();
    await db().updateTable('invitations').set({ email: null }).where('request_id', '=', id).execute();
    const message =
      /The team's addresses were deleted on 30 November 2026, as the team was promised when they were invited, so the reply can no longer be sent\./;

    const page = await manager().get(`/reports/${id}/reply`);
    assert.equal(page.status, 200);
    assert.match(textOf(page.html), message);
    assert.doesNotMatch(page.html, /Preview the email/);
    for (const path of [`/reports/${id}/reply/preview`, `/reports/${id}/reply/send`]) {
      const refused = await post(path, { heard: 'Heard.', will_do: 'Will do.' });
      assert.equal(refused.status, 409, path);
      assert.match(textOf(refused.html), message);
    }
    const reply = await db()
      .selectFrom('team_replies')
      .selectAll()
      .where('request_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(reply.sent_at, null, 'the reply is not marked sent');
    assert.equal((await replyRows()).length, queued, 'nothing was queued');
  });
});
