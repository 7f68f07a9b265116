// The survey page in every shipped language on a 360 px wide phone: no sideways scrolling
// (German's long words included), axe's WCAG checks passed, and the same with the errors of
// a form sent empty. What each language says is tested in tests/survey/languages.test.ts.
import { it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { assertNoAxeViolations, describeInBrowser } from '../helpers/browser.ts';
import { useAppOnPglite } from '../helpers/suite.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { surveyRound, type SurveyRound } from '../helpers/factories.ts';
import { LOCALES } from '../../src/i18n/translate.ts';

const PHONE = { width: 360, height: 740 };

/**
 * No sideways scrolling, and no word sticking out of its box or clipped inside one (a long
 * German word in a scale label may overflow a box that hides it, which the page's width
 * alone would not show).
 */
async function assertNoOverflow(page: Page, what: string) {
  const { scrollWidth, clientWidth, overflowing } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    overflowing: [...document.querySelectorAll('main *:not(.visually-hidden)')]
      .filter((el) => el.getBoundingClientRect().right > innerWidth + 0.5 || el.scrollWidth > el.clientWidth + 1)
      .filter((el) => el.clientWidth > 0 || el.getBoundingClientRect().right > innerWidth + 0.5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${(el.textContent ?? '').trim().slice(0, 60)}`),
  }));
  assert.ok(scrollWidth <= clientWidth, `${what} is ${scrollWidth} px wide in a ${clientWidth} px window`);
  assert.deepEqual(overflowing, [], `${what}: these overflow their box`);
}

describeInBrowser('the survey in each language at 360 px', (browser) => {
  const rounds = new Map<string, SurveyRound>();
  const { app, db } = useAppOnPglite({ clock: new ManualClock('2026-11-05T10:00:00Z') });
  before(async () => {
    for (const locale of LOCALES) {
      const round = await surveyRound(db(), { leaderName: 'Bartholomäus Oberbereichsleiter' });
      await db()
        .updateTable('feedback_requests')
        .set({ survey_language: locale })
        .where('id', '=', round.request.id)
        .execute();
      rounds.set(locale, round);
    }
  });

  for (const locale of LOCALES) {
    it(`fits a phone in ${locale}, blank and with errors`, async () => {
      const page = await browser().newPage({ viewport: PHONE });
      await page.goto(`${app().url}${rounds.get(locale)!.path(0)}`);
      assert.equal(await page.getAttribute('html', 'lang'), locale);
      await assertNoOverflow(page, 'the survey page');
      await assertNoAxeViolations(page);
      await page.locator('button[type="submit"]').click();
      await page.locator('.error-summary').waitFor();
      await assertNoOverflow(page, 'the survey page with errors');
      await assertNoAxeViolations(page);
      await page.close();
    });
  }
});
