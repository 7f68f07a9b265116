import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDatabase } from '../helpers/databases.ts';
import { useTestApp } from '../helpers/suite.ts';
import { startTestApp } from '../helpers/app.ts';
import { queueEmail } from '../../src/email/outbox.ts';

describeEachDatabase('development mailbox', (database) => {
  const { app } = useTestApp(database);

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

    const html = await fetch(`${app().url}${page}/html`);
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-type')!, /text\/html/);
    assert.equal(
      html.headers.get('content-security-policy'),
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    assert.ok((await html.text()).includes(`href="${link}"`), 'the link in the email is clickable');
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
        } finally {
          await app.close();
        }
      });
    }
  },
  { kinds: ['pglite'] },
);
