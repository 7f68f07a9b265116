// A small HTTP client for tests that behaves like a browser where it matters: it keeps
// cookies, does not follow redirects unless asked, and fills in a form's CSRF token.
import assert from 'node:assert/strict';

export interface Page {
  status: number;
  headers: Headers;
  html: string;
  location: string | null;
  setCookies: string[];
}

export class TestClient {
  readonly baseUrl: string;
  readonly cookies = new Map<string, string>();
  extraHeaders: Record<string, string> = {};

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async request(path: string, init: RequestInit = {}): Promise<Page> {
    const url = path.startsWith('http') ? path : `${this.baseUrl}${path}`;
    const headers = new Headers(init.headers);
    for (const [k, v] of Object.entries(this.extraHeaders)) headers.set(k, v);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    const setCookies = res.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair, ...attrs] = line.split(';');
      const [name, value] = pair!.split('=') as [string, string];
      const expired = attrs.some((a) => /^\s*max-age=0$/i.test(a));
      if (expired || value === '') this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
    return {
      status: res.status,
      headers: res.headers,
      html: await res.text(),
      location: res.headers.get('location'),
      setCookies,
    };
  }

  get(path: string) {
    return this.request(path);
  }

  post(path: string, fields: Record<string, string>) {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Opens `pagePath`, takes the CSRF token from its form, and posts `fields` to `action`. */
  async submit(pagePath: string, fields: Record<string, string>, action?: string): Promise<Page> {
    const page = await this.get(pagePath);
    assert.equal(page.status, 200, `expected ${pagePath} to open, got ${page.status}`);
    return this.post(action ?? pagePath, { _csrf: csrfTokenIn(page.html), ...fields });
  }

  /** GETs and follows redirects on this site, like a browser would. */
  async follow(page: Page, limit = 5): Promise<Page> {
    let current = page;
    for (let i = 0; i < limit && current.location; i++) current = await this.get(current.location);
    return current;
  }
}

export function csrfTokenIn(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  assert.ok(match, 'the page has a form with a CSRF token');
  return match[1]!;
}

/** A CSRF token for the client's session, from a page with a form (`/account` for someone signed in, `/sign-in` for a visitor). */
export async function csrfOf(client: TestClient, page: string): Promise<string> {
  const response = await client.get(page);
  assert.equal(response.status, 200, `${page} opens`);
  return csrfTokenIn(response.html);
}

/** Visible text of an HTML page, tags stripped and whitespace collapsed, for assertions. */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}
