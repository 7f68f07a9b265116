import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderEmail } from '../../src/email/render.ts';
import { InvalidRecipientError, assertSingleAddress } from '../../src/email/outbox.ts';

const config = { BASE_URL: 'https://upward.example.com' };

describe('email rendering', () => {
  it('renders the sign-in link email: subject, HTML and text, with absolute links', () => {
    const email = renderEmail('sign-in-link', { link: '/sign-in/link/abc123', minutes: 15 }, config);
    assert.equal(email.subject, 'Your sign-in link for Upward');

    assert.match(email.html, /^<!doctype html>/);
    assert.ok(email.html.includes('href="https://upward.example.com/sign-in/link/abc123"'));
    assert.match(email.html, /valid for 15 minutes and works once/);
    assert.match(email.html, /If you did not ask to sign in, ignore this email/);
    assert.ok(email.html.includes('href="https://upward.example.com/"'), 'the layout links home');

    assert.ok(email.text.includes('\nhttps://upward.example.com/sign-in/link/abc123\n'));
    assert.match(email.text, /valid for 15 minutes and works once/);
    assert.match(email.text, /If you did not ask to sign in, ignore this email/);
    assert.match(email.text, /Sent by Upward at https:\/\/upward\.example\.com\//);
    assert.doesNotMatch(email.text, /<[a-z]/i, 'the text part holds no markup');
  });

  it('keeps an absolute link under BASE_URL as it is', () => {
    const email = renderEmail(
      'sign-in-link',
      { link: 'https://upward.example.com/sign-in/link/x', minutes: 5 },
      config,
    );
    assert.ok(email.text.includes('https://upward.example.com/sign-in/link/x'));
  });

  it('refuses a link that leads away from Upward', () => {
    for (const link of [
      'https://evil.example/sign-in',
      '//evil.example/x',
      'https://upward.example.com.evil.example/x',
      'javascript:alert(1)',
    ]) {
      assert.throws(() => renderEmail('sign-in-link', { link, minutes: 5 }, config), /must be a path in Upward/, link);
    }
  });

  it('escapes data in the HTML part but not in the text part', () => {
    const email = renderEmail('sign-in-link', { link: '/sign-in/link/a"b<i>c</i>&', minutes: 5 }, config);
    assert.ok(email.html.includes('/sign-in/link/a&quot;b&lt;i&gt;c&lt;/i&gt;&amp;'));
    assert.ok(!email.html.includes('<i>c</i>'), 'no markup from data reaches the HTML');
    assert.ok(email.text.includes('/sign-in/link/a"b<i>c</i>&'), 'the text part shows data as it is');
  });
});

describe('email recipients', () => {
  it('accepts one plain address', () => {
    assert.doesNotThrow(() => assertSingleAddress('ann.lee+feedback@example.co.uk'));
  });

  it('refuses header injection and anything but one plain address', () => {
    const bad = [
      'ann@example.com\r\nBcc: everyone@example.com',
      'ann@example.com\nBcc: x@example.com',
      'ann@example.com\r',
      'Ann <ann@example.com>',
      'ann@example.com, bob@example.com',
      'ann@example.com;bob@example.com',
      'ann',
      '@example.com',
      'ann@',
      'ann@localhost',
      ' ann@example.com',
      '',
    ];
    for (const to of bad) assert.throws(() => assertSingleAddress(to), InvalidRecipientError, JSON.stringify(to));
  });
});
