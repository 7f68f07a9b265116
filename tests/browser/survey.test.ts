// A team member answers the survey in Chromium on a 360 px wide phone, by keyboard only;
// every survey page passes axe's WCAG 2.1 A/AA checks, and the form works without JavaScript.
import { it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { assertNoAxeViolations, describeInBrowser, expectHeading } from '../helpers/browser.ts';
import { useAppOnPglite } from '../helpers/suite.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { randomToken } from '../../src/lib/tokens.ts';
import { builtInQuestions, createOpenRound, createUser, type SurveyRound, surveyRound } from '../helpers/factories.ts';
import { storedFor } from '../survey/survey-helpers.ts';

const PHONE = { width: 360, height: 740 };

async function assertNoHorizontalScroll(page: Page) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  assert.ok(scrollWidth <= clientWidth, `the page is ${scrollWidth} px wide in a ${clientWidth} px window`);
}

/** Presses Tab until the element matching `selector` has focus, as a keyboard user would. */
async function tabTo(page: Page, selector: string, limit = 30) {
  for (let i = 0; i < limit; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached ${selector}`);
}

describeInBrowser('answering the survey', (browser) => {
  let round: SurveyRound;

  const { app, db } = useAppOnPglite({ clock: new ManualClock('2026-11-05T10:00:00Z') });
  before(async () => {
    round = await surveyRound(db(), { teamNote: 'Thank you for taking part.' });
  });

  it('by keyboard on a phone, through a mistake, to the thank-you page', async () => {
    const page = await browser().newPage({ viewport: PHONE });
    await page.goto(`${app().url}${round.path(0)}`);
    await expectHeading(page, 'Feedback about Morgan Manager');
    await assertNoAxeViolations(page);
    await assertNoHorizontalScroll(page);
    const [q1, q2, q3, q4] = round.questions.map((q) => `q-${q.id}`);

    // Question 1 is skipped; question 2: Space picks the first answer, arrows move along it.
    await tabTo(page, `#${q1}-1`);
    await page.keyboard.press('Tab');
    await tabTo(page, `#${q2}-1`, 1);
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await tabTo(page, `#${q4}`, 1);
    await page.keyboard.type('Clear priorities, every week.');
    await tabTo(page, 'button[type="submit"]');
    await page.keyboard.press('Enter');

    await page.locator('.error-summary').waitFor();
    assert.equal(
      await page.evaluate(() => document.activeElement?.className),
      'error-summary',
      'focus is on the error summary',
    );
    assert.match((await page.locator(`#${q1}-error`).textContent())!, /Choose how much you agree/);
    assert.equal(
      await page.locator(`#${q1}-error`).evaluate((el) => el.closest('fieldset')?.getAttribute('aria-describedby')),
      `${q1}-error`,
    );
    assert.equal(
      await page.locator(`#${q2}-3`).isChecked(),
      true,
      'the arrow keys picked "Neither agree nor disagree"',
    );
    assert.equal(await page.locator(`#${q3}-0`).isChecked(), true);
    assert.equal(await page.locator(`#${q4}`).inputValue(), 'Clear priorities, every week.');
    await assertNoAxeViolations(page);
    await assertNoHorizontalScroll(page);
    assert.equal((await storedFor(db(), round.request.id)).responses.length, 0);

    // The summary's link leads straight to the question.
    await tabTo(page, '.error-summary a');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), `${q1}-1`);
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await tabTo(page, 'button[type="submit"]');
    await page.keyboard.press('Space');

    await expectHeading(page, 'Thank you, your answers are in');
    await assertNoAxeViolations(page);
    await assertNoHorizontalScroll(page);
    const { answers } = await storedFor(db(), round.request.id);
    const byQuestion = Object.fromEntries(answers.map((a) => [`q-${a.question_id}`, a.value ?? a.text]));
    assert.deepEqual(byQuestion, { [q1!]: 4, [q2!]: 3, [q3!]: 0, [q4!]: 'Clear priorities, every week.' });

    await page.goto(`${app().url}${round.path(0)}`);
    await expectHeading(page, 'This link has already been used');
    await assertNoAxeViolations(page);
    await assertNoHorizontalScroll(page);
    await page.close();
  });

  it('lays the agree scale out as a row of five on a wide screen and a list on a phone, titles inside their cards', async () => {
    const manager = await createUser(db(), { name: 'Morgan Manager' });
    const long = 'When something is not right in how we work together, my manager tells me kindly, clearly and soon.';
    const wide = await createOpenRound(db(), {
      managerId: manager.id,
      leaderEmail: 'lee@example.com',
      questions: [
        { kind: 'agree', prompt: long, required: true },
        ...Array.from({ length: 9 }, (_, i) => ({
          kind: 'agree' as const,
          prompt: `Statement ${i + 2}.`,
          required: true,
        })),
        { kind: 'text', prompt: 'What should your manager keep doing?' },
        { kind: 'text', prompt: 'What should your manager change?' },
      ],
    });
    for (const width of [360, 1280]) {
      const page = await browser().newPage({ viewport: { width, height: 800 } });
      await page.goto(`${app().url}/s/${wide.tokens[0]}`);
      const text = (await page.locator('main').textContent())!.replace(/\s+/g, ' ');
      assert.match(text, /12 questions · about 5 minutes/, 'how long it takes, at the top');
      assert.match(text, /Question 3 of 12 Statement 3\./);
      const layout = await page
        .locator('fieldset')
        .first()
        .evaluate((fieldset) => {
          const box = (el: Element) => el.getBoundingClientRect();
          const scale = [...fieldset.querySelectorAll('.scale .option')].map(box);
          const apart = fieldset.querySelector('.options--apart .option')!;
          return {
            fieldsetTop: box(fieldset).top,
            legendTop: box(fieldset.querySelector('legend')!).top,
            legendLines: Math.round(box(fieldset.querySelector('legend')!).height / 20),
            scaleTops: scale.map((r) => Math.round(r.top)),
            smallestTarget: Math.min(...[...scale, box(apart)].map((r) => Math.min(r.height, r.width))),
            apartLabel: apart.textContent!.trim(),
            apartGap: box(apart).top - Math.max(...scale.map((r) => r.bottom)),
            apartLeftGap: box(apart).left - Math.max(...scale.map((r) => r.right)),
            apartSpan: [box(apart).top - scale[0]!.top, box(apart).bottom - scale[scale.length - 1]!.bottom],
          };
        });
      assert.ok(layout.legendLines >= 2, `the long title wraps at ${width} px`);
      assert.ok(layout.legendTop > layout.fieldsetTop + 4, `the title sits inside its card at ${width} px`);
      assert.ok(layout.smallestTarget >= 44, `every choice is at least 44 px across at ${width} px`);
      assert.equal(layout.apartLabel, 'Not applicable');
      if (width === 360) {
        assert.ok(
          layout.scaleTops.every((top, i) => i === 0 || top > layout.scaleTops[i - 1]!),
          'a list on a phone',
        );
        // Beside the list, as tall as it, rather than a row of its own under every question.
        assert.ok(layout.apartLeftGap >= 6, '"Not applicable" set apart beside the list');
        assert.ok(
          layout.apartSpan.every((d) => Math.abs(d) <= 1),
          `"Not applicable" as tall as the list: ${layout.apartSpan}`,
        );
      } else {
        assert.equal(new Set(layout.scaleTops).size, 1, 'one row of five on a wide screen');
        assert.ok(layout.apartLeftGap >= 6 || layout.apartGap >= 6, '"Not applicable" set apart from the row');
      }
      await assertNoHorizontalScroll(page);
      await assertNoAxeViolations(page);
      await page.close();
    }
  });

  it('takes the built-in template in under eight phone screens at 360 px (nine when issue 18 was filed), every choice still shown', async () => {
    // The survey was ~6,700 px tall at 360 px when issue 18 was filed ("~9 phone screens"):
    // "not applicable" beside the list instead of a row under it, the facts a line each and a
    // shorter "what is stored" bring it under 5,600 px (docs/screenshots/survey-360.png).
    const manager = await createUser(db(), { name: 'Mia Manager' });
    const built = await createOpenRound(db(), {
      managerId: manager.id,
      leaderEmail: 'lee@example.com',
      questions: await builtInQuestions(db(), 'one-on-one-leadership'),
    });
    await db()
      .updateTable('feedback_requests')
      .set({ team_note: 'Mia asked me to collect this. Be candid: I only see the combined answers.' })
      .where('id', '=', built.request.id)
      .execute();
    const page = await browser().newPage({ viewport: PHONE });
    await page.goto(`${app().url}/s/${built.tokens[0]}`);
    const { height, choices } = await page.evaluate(() => ({
      height: document.documentElement.scrollHeight,
      choices: [...document.querySelectorAll('.option')].filter((o) => o.getBoundingClientRect().height >= 44).length,
    }));
    assert.equal(choices, 10 * 6, 'all six choices of the ten agree questions, none folded away');
    assert.ok(height <= 5_600, `the survey is ${height} px tall at 360 px`);
    assert.ok(height / PHONE.height < 8, `${(height / PHONE.height).toFixed(1)} phone screens`);
    await assertNoHorizontalScroll(page);
    await page.close();
  });

  it('shows closed and unknown links accessibly', async () => {
    const page = await browser().newPage({ viewport: PHONE });
    const closed = await surveyRound(db());
    await db()
      .updateTable('feedback_requests')
      .set({ status: 'closed', closed_at: new Date('2026-11-04T12:00:00Z') })
      .where('id', '=', closed.request.id)
      .execute();
    await page.goto(`${app().url}${closed.path(0)}`);
    await expectHeading(page, 'This survey has closed');
    await assertNoAxeViolations(page);
    await assertNoHorizontalScroll(page);
    for (const token of [randomToken(16), 'cut-short']) {
      await page.goto(`${app().url}/s/${token}`);
      await expectHeading(page, 'We do not recognise this link');
      await assertNoAxeViolations(page);
      await assertNoHorizontalScroll(page);
    }
    await page.close();
  });

  it('works with JavaScript turned off', async () => {
    const context = await browser().newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${app().url}${round.path(1)}`);
    await page
      .getByRole('group', { name: /My manager listens to me/ })
      .getByLabel('Agree', { exact: true })
      .check();
    await page
      .getByRole('group', { name: /follows up/ })
      .getByLabel('Not applicable')
      .check();
    await page.getByLabel(/What should your manager keep doing/).fill('Asking us.');
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await expectHeading(page, 'Thank you, your answers are in');
    assert.equal((await storedFor(db(), round.request.id)).responses.length, 2);
    await context.close();
  });
});
