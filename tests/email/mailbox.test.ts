import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { startTestApp } from '../helpers/app.ts';
import { queueEmail } from '../../src/email/outbox.ts';
import { createEmailWorker } from '../../src/email/worker.ts';
import { createLogger } from '../../src/http/logger.ts';
import { leaderWithRequest } from '../helpers/factories.ts';
import { textOf } from '../helpers/client.ts';
import type { TestApp } from '../helpers/app.ts';

describeEachDatabase('development mailbox', (database) => {
  const { app } = useTestApp(database);

  it('is named on the "check your inbox" page, which links to it', async () => {
    const page = await (await fetch(`${app().url}/sign-in/check-email`)).text();
    assert.match(page, /This server sends no real email/);
    assert.match(page, /<a href="\/dev\/mailbox">development mailbox<\/a>/);
  });

  it('says how to get a first email while there is none', async () => {
    const res = await fetch(`${app().url}/dev/mailbox`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /No emails yet\. Sign in to see your first one\./);
  });

  it('lists a queued email and shows its text part and its HTML part', async () => {
    await queueEmail(
      database().db,
      { to: 'ann@example.com', name: 'sign-in-link', data: { link: '/sign-in/link/abc', minutes: 15 } },
      { config: app().config, clock: app().clock },
    );
    const link = `${app().config.BASE_URL}/sign-in/link/abc`;

    const list = await (await fetch(`${app().url}/dev/mailbox`)).text();
    assert.match(list, /ann@example\.com/);
    assert.match(list, /pending/);
    const page = /href="(\/dev\/mailbox\/[0-9a-f-]{36})">Your sign-in link for Upward<\/a>/.exec(list)?.[1];
    assert.ok(page, 'the list links to the message');

    const shown = await fetch(app().url + page);
    assert.equal(shown.status, 200);
    const text = await shown.text();
    assert.ok(text.includes(link), 'the text part is shown');
    assert.match(text, /valid for 15 minutes and works once/);
    assert.ok(text.includes(`href="${page}/html"`));
    assert.ok(text.includes(`<a href="${link}">${link}</a>`), 'the link in the text part is clickable');

    const html = await fetch(`${app().url}${page}/html`);
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-type')!, /text\/html/);
    assert.equal(
      html.headers.get('content-security-policy'),
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    assert.ok((await html.text()).includes(`href="${link}"`), 'the link in the email is clickable');
  });

  /** Launches a round and lets the worker "send" its emails through the app's own transport. */
  async function launchAndSend(via: TestApp) {
    const round = await leaderWithRequest(via, database().db);
    assert.equal((await round.leader.submit(`/collect/${round.request.id}/launch`, {})).status, 303);
    const worker = createEmailWorker({
      db: database().db,
      transport: via.mailTransport,
      clock: via.clock,
      logger: createLogger('silent'),
      options: { from: via.config.MAIL_FROM },
    });
    await worker.runOnce();
    const rows = await database()
      .db.selectFrom('email_outbox')
      .selectAll()
      .where('name', '=', 'invitation')
      .where('created_at', '=', via.clock.now())
      .execute();
    return { ...round, rows: rows.filter((row) => row.status === 'sent') };
  }

  it('shows a sent invitation whole, with a link to click, though the outbox keeps nothing of it', async () => {
    const { invitees, rows } = await launchAndSend(app());
    assert.equal(rows.length, invitees.length);
    const invitation = rows[0]!;
    assert.deepEqual([invitation.to_address, invitation.html, invitation.text], ['', '', ''], 'blanked once sent');

    const list = await (await fetch(`${app().url}/dev/mailbox`)).text();
    for (const email of invitees) assert.ok(list.includes(email), `the list names ${email}, from the copy in memory`);
    assert.match(list, /asks for your anonymous feedback<\/a>/);

    const shown = await (await fetch(`${app().url}/dev/mailbox/${invitation.id}`)).text();
    const link = new RegExp(`${app().url}/s/[A-Za-z0-9_-]+`).exec(shown)?.[0];
    assert.ok(link, 'the text part shows the survey link');
    const html = await (await fetch(`${app().url}/dev/mailbox/${invitation.id}/html`)).text();
    assert.ok(html.includes(`href="${link}"`), 'the HTML version has it as a link');
    const survey = await fetch(link);
    assert.equal(survey.status, 200);
    assert.match(textOf(await survey.text()), /Feedback about/);
  });

  it('says a sent survey email is not kept when this process holds no copy of it', async () => {
    const { rows, invitees } = await launchAndSend(app());
    const restarted = await startTestApp({ db: database().db, clock: app().clock });
    try {
      const list = await (await fetch(`${restarted.url}/dev/mailbox`)).text();
      assert.match(list, /A sent invitation: its content is not kept/);
      for (const email of invitees) assert.ok(!list.includes(email), `${email} is not shown`);
      const shown = await fetch(`${restarted.url}/dev/mailbox/${rows[0]!.id}`);
      assert.equal(shown.status, 200);
      const text = textOf(await shown.text());
      assert.match(text, /keeps no address and no content in the database/);
      assert.doesNotMatch(text, /\/s\//);
      const html = await fetch(`${restarted.url}/dev/mailbox/${rows[0]!.id}/html`, {
        headers: { accept: 'text/html' },
      });
      assert.equal(html.status, 404);
    } finally {
      await restarted.close();
    }
  });

  it('answers an unknown or malformed message id with the 404 page', async () => {
    for (const id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000', 'not-a-uuid/html']) {
      const res = await fetch(`${app().url}/dev/mailbox/${id}`, { headers: { accept: 'text/html' } });
      assert.equal(res.status, 404, id);
      assert.match(await res.text(), /Page not found/);
    }
  });
});

describeEachDatabase(
  'development mailbox where mail really goes out',
  (database) => {
    for (const [what, env] of [
      ['with SMTP_URL', { SMTP_URL: 'smtp://127.0.0.1:2525' }],
      [
        'in production',
        {
          NODE_ENV: 'production',
          SMTP_URL: 'smtp://127.0.0.1:2525',
          BASE_URL: 'https://upward.example.com',
          SESSION_SECRET: 'production-secret-that-is-long-enough-0123456789',
        },
      ],
    ] as const) {
      it(`does not exist ${what}`, async () => {
        const app = await startTestApp({ db: database().db, env });
        try {
          for (const path of ['/dev/mailbox', '/dev/mailbox/00000000-0000-4000-8000-000000000000']) {
            const res = await fetch(app.url + path, { headers: { accept: 'text/html' } });
            assert.equal(res.status, 404, path);
          }
          const checkEmail = await (await fetch(`${app.url}/sign-in/check-email`)).text();
          assert.doesNotMatch(checkEmail, /dev\/mailbox|sends no real email/, 'no mailbox is offered');
        } finally {
          await app.close();
        }
      });
    }
  },
  { kinds: ['pglite'] },
);
