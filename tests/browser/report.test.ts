// The leader's report in Chromium: the chart is drawn, axe finds nothing, and printing
// leaves out the navigation and every form.
import { it, before } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoAxeViolations, describeInBrowser, expectHeading, contextSignedInAs } from '../helpers/browser.ts';
import { useAppOnPglite } from '../helpers/suite.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { createAnsweredRound } from '../helpers/factories.ts';

describeInBrowser('the leader reads a report', (browser) => {
  let reportUrl: string;

  const { app, db, people, leader } = useAppOnPglite({
    clock: new ManualClock('2026-12-01T09:00:00Z'),
    signIn: ['leader'],
  });
  before(async () => {
    const { id } = await createAnsweredRound(db(), {
      managerId: people().manager.id,
      leaderEmail: people().leader.email,
    });
    reportUrl = `${app().url}/reports/${id}`;
  });

  it('shows charts, passes axe, and prints without navigation or forms', async () => {
    const context = await contextSignedInAs(browser(), leader());
    const page = await context.newPage();
    const cspErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') cspErrors.push(message.text());
    });
    await page.goto(reportUrl);
    await expectHeading(page, 'Feedback for Mira Manager');

    const charts = page.getByRole('img', { name: /^Answers per option: Strongly disagree 0, Disagree 1/ });
    assert.equal(await charts.count(), 1);
    const box = await charts.boundingBox();
    assert.ok(box && box.width > 200 && box.height > 100, 'the chart is drawn at a readable size');
    // Disagree bars orange, agree bars blue (told apart without red and green), through the CSS.
    const fill = (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((el) => getComputedStyle(el).fill);
    assert.equal(await fill('.chart rect.chart__bar'), 'rgb(194, 96, 26)');
    assert.equal(await fill('.chart rect.chart__bar.tone--agree'), 'rgb(44, 106, 163)');
    const diverging = page.getByRole('img', { name: /^Disagree \d+ \(\d+%\), neutral \d+ \(\d+%\), agree/ });
    assert.equal(await diverging.count(), 1);
    assert.equal(await fill('.diverging__bar rect.tone--agree'), 'rgb(44, 106, 163)');
    assert.match(await page.locator('.favourable').first().innerText(), /^\d+% favourable$/);
    await assertNoAxeViolations(page);
    assert.deepEqual(cspErrors, [], 'nothing refused by the Content-Security-Policy');

    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('nav[aria-label="Main"]').isVisible(), false);
    assert.equal(await page.locator('main form').first().isVisible(), false);
    for (const form of await page.locator('main form').all()) assert.equal(await form.isVisible(), false);
    assert.equal(await page.getByRole('link', { name: /Release to/ }).isVisible(), false);
    assert.equal(await charts.isVisible(), true, 'charts are kept on paper');
    assert.equal(await diverging.isVisible(), true, 'the disagree / neutral / agree bar is kept on paper');
    // Printers drop background colours unless told not to: every coloured part of a chart and
    // every score badge keeps its colours, or bars, tracks and badges print blank.
    const dropped = await page
      .locator(
        '.report .chart__track, .report .chart__bar, .report [class*="tone--"], .report .score, .report .mean-badge',
      )
      .evaluateAll((els) =>
        els.filter((el) => getComputedStyle(el).printColorAdjust !== 'exact').map((el) => el.getAttribute('class')),
      );
    assert.deepEqual([...new Set(dropped)], [], 'colours kept on paper');
    assert.equal(await page.locator('.report-actions').isVisible(), false, 'no CSV link on paper');
    assert.equal(
      await page.getByRole('heading', { name: 'Your notes for the one-on-one' }).isVisible(),
      false,
      'no empty notes heading on paper',
    );
    assert.equal(
      await page
        .locator('.question-report')
        .first()
        .evaluate((el) => getComputedStyle(el).breakInside),
      'avoid',
    );
    await context.close();
  });
});
