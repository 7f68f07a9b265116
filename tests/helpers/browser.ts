// Browser tests drive Debian's Chromium through playwright-core. Where no Chromium is
// installed they skip with one clear line; CI always installs it.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import type { TestClient } from './client.ts';

const require = createRequire(import.meta.url);

export const CHROMIUM_PATH = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p) => p && existsSync(p),
);

export const browserSkipReason = CHROMIUM_PATH
  ? false
  : 'no Chromium found (install Debian\'s "chromium" or set CHROMIUM_PATH to it): browser tests skipped';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A suite with one browser shared by its tests, skipped when there is no Chromium. */
export function describeInBrowser(title: string, body: (browser: () => Browser) => void): void {
  describe(`${title} [chromium]`, { skip: browserSkipReason }, () => {
    let browser: Browser | undefined;
    before(async () => {
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
    });
    body(() => browser!);
  });
}

const axeSource: string = (require('axe-core') as { source: string }).source;

/**
 * Runs axe-core in the page and fails on any WCAG 2.1 A or AA violation, listing each with
 * the elements it found. The script is evaluated through the devtools protocol, so the
 * page's strict CSP need not allow it.
 */
export async function assertNoAxeViolations(page: Page): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: Document,
            opts: object,
          ) => Promise<{ violations: Array<{ id: string; help: string; nodes: Array<{ target: string[] }> }> }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
  assert.deepEqual(violations, [], `axe found accessibility violations on ${page.url()}`);
}

/** Waits for the page's h1 to read `text` (after a navigation), failing if it never does. */
export async function expectHeading(page: Page, text: string): Promise<void> {
  await page.locator('h1', { hasText: text }).first().waitFor({ timeout: 10_000 });
  assert.equal((await page.locator('h1').first().textContent())?.trim(), text);
}

/** A browser context carrying a signed-in test client's session, as if that person had signed in there. */
export async function contextSignedInAs(
  browser: Browser,
  client: TestClient,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await context.addCookies([
    { name: 'upward_session', value: client.cookies.get('upward_session')!, url: client.baseUrl },
  ]);
  return context;
}
