import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useAppOnPglite } from '../helpers/suite.ts';

// These pages do not depend on which database serves them: PGlite is enough here.
describe('pages, headers and logs', () => {
  const { app } = useAppOnPglite();

  it('the landing page says what Upward does for each kind of person, with Sign in as the way in', async () => {
    const res = await fetch(app().url);
    assert.equal(res.status, 200);
    const html = await res.text();
    for (const heading of ['If you are a manager', 'If you are a leader', 'If you are on the team']) {
      assert.ok(html.includes(heading), `missing "${heading}"`);
    }
    assert.match(html, /<a class="button" href="\/sign-in">Sign in<\/a>/);
    assert.match(html, /at least 3 people have answered/);
    assert.doesNotMatch(html, /<script/i, 'the page needs no JavaScript');
  });

  it('sends strict security headers', async () => {
    const res = await fetch(app().url);
    const csp = res.headers.get('content-security-policy')!;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /form-action 'self'/);
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.equal(res.headers.get('x-powered-by'), null);
    assert.match(res.headers.get('x-request-id')!, /^[0-9a-f-]{36}$/);
  });

  it('serves the stylesheet under a fingerprinted path with a long cache', async () => {
    const html = await (await fetch(app().url)).text();
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(html)![1]!;
    assert.match(href, /^\/assets\/[0-9a-f]{12}\/style\.css$/);
    const css = await fetch(`${app().url}${href}`);
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type')!, /text\/css/);
    assert.match(css.headers.get('cache-control')!, /max-age=31536000.*immutable/);
    assert.equal(
      (await fetch(`${app().url}/assets/000000000000/style.css`)).status,
      404,
      'an old fingerprint is not served',
    );
  });

  it('answers an unknown address with a helpful 404 page showing a request id', async () => {
    const res = await fetch(`${app().url}/no/such/page`);
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type')!, /text\/html/);
    const html = await res.text();
    assert.match(html, /Page not found/);
    assert.match(html, /href="\/"/);
    assert.ok(html.includes(res.headers.get('x-request-id')!), 'the page shows the request id');
  });

  it('answers JSON to a client that asks for JSON', async () => {
    const res = await fetch(`${app().url}/no/such/page`, { headers: { accept: 'application/json' } });
    assert.equal(res.status, 404);
    const body = (await res.json()) as { error: { status: number; requestId: string } };
    assert.equal(body.error.status, 404);
    assert.equal(body.error.requestId, res.headers.get('x-request-id'));
  });

  it('refuses a body over the limit with a friendly 413 page', async () => {
    const res = await fetch(`${app().url}/anything`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `comment=${'a'.repeat(200_000)}`,
    });
    assert.equal(res.status, 413);
    const html = await res.text();
    assert.match(html, /too much to send at once/);
    assert.doesNotMatch(html, /PayloadTooLargeError|node_modules|\bat \w+ \(/);
  });

  it('answers malformed JSON with a 400 page, not a stack trace', async () => {
    const res = await fetch(`${app().url}/anything`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"broken":',
    });
    assert.equal(res.status, 400);
    assert.doesNotMatch(await res.text(), /SyntaxError|node_modules/);
  });

  it('logs neither query strings, nor tokens in link paths, nor cookies or addresses', async () => {
    const token = 'Zm9vYmFyYmF6cXV4c2VjcmV0dG9rZW4';
    await fetch(`${app().url}/s/${token}?email=someone%40example.com`, {
      headers: { cookie: 'sid=secret-cookie-value', 'user-agent': 'TestAgent/1.0' },
    });
    await fetch(`${app().url}/sign-in/link/${token}`);
    const logged = app().logs.text;
    assert.match(logged, /"path":"\/s\/:token"/);
    assert.match(logged, /"path":"\/sign-in\/link\/:token"/);
    for (const secret of [token, 'someone', 'secret-cookie-value', 'TestAgent', '127.0.0.1']) {
      assert.ok(!logged.includes(secret), `the log must not contain ${secret}`);
    }
  });
});
