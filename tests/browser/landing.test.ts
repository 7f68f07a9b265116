import { it } from 'node:test';
import assert from 'node:assert/strict';
import { useAppOnPglite } from '../helpers/suite.ts';
import { assertNoAxeViolations, describeInBrowser } from '../helpers/browser.ts';

describeInBrowser('landing page', (browser) => {
  const { app } = useAppOnPglite();

  it('renders with its stylesheet, no console or CSP errors, and zero axe violations', async () => {
    const page = await browser().newPage();
    const problems: string[] = [];
    page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(app().url);
    assert.equal(await page.title(), 'Honest feedback for managers, safely collected · Upward');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(background, 'rgb(251, 250, 247)', 'the stylesheet was applied');
    await assertNoAxeViolations(page);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('reaches "Sign in" by keyboard, starting with a skip link', async () => {
    const page = await browser().newPage();
    await page.goto(app().url);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Sign in');
    await page.close();
  });

  it('fits a 360 px wide phone without sideways scrolling', async () => {
    const page = await browser().newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(app().url);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.equal(overflow, 0);
    await assertNoAxeViolations(page);
    await page.close();
  });

  it('shows the 404 page accessibly', async () => {
    const page = await browser().newPage();
    const response = await page.goto(`${app().url}/missing`);
    assert.equal(response?.status(), 404);
    assert.equal(await page.locator('h1').textContent(), 'Page not found');
    await assertNoAxeViolations(page);
    await page.close();
  });
});
