// Every page a person reaches in a round, at 360 px (a phone) and 1280 px: no sideways
// scroll, no visible text under 12 px (computed style; SVG text scaled as drawn), no axe
// violation, boxes without stray space (cards and notices start and end at their padding),
// and a header of at most two rows on a phone.
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { assertNoAxeViolations, contextSignedInAs, describeInBrowser } from '../helpers/browser.ts';
import { useAppOnPglite } from '../helpers/suite.ts';
import { signedInClient } from '../helpers/sessions.ts';
import type { TestClient } from '../helpers/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import {
  createAnsweredRound,
  createFocusPoint,
  createOpenRound,
  createRequest,
  createUser,
} from '../helpers/factories.ts';

const WIDTHS = [360, 1280];

/** What the page breaks of the layout rules, as sentences; empty when it keeps them all. */
async function layoutProblems(page: Page, width: number): Promise<string[]> {
  return page.evaluate((width) => {
    const problems: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) {
      const wide = [...document.body.querySelectorAll('*')].filter(
        (el) => el.getBoundingClientRect().right > doc.clientWidth + 1 && !el.querySelector('*'),
      );
      const names = wide.slice(0, 3).map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
      problems.push(`scrolls sideways: ${doc.scrollWidth} px wide (${names.join(', ')})`);
    }

    const seen = (el: Element) => {
      const box = el.getBoundingClientRect();
      if (box.width < 2 || box.height < 2) return false;
      for (let e: Element | null = el; e; e = e.parentElement) {
        const style = getComputedStyle(e);
        if (style.display === 'none' || style.visibility === 'hidden') return false;
        if (style.clipPath === 'inset(50%)' || style.clip === 'rect(0px, 0px, 0px, 0px)') return false;
      }
      return true;
    };
    const small = new Set<string>();
    for (const el of document.body.querySelectorAll('*')) {
      const text = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
      if (!text || !seen(el)) continue;
      let size = parseFloat(getComputedStyle(el).fontSize);
      if (el instanceof SVGGraphicsElement) size *= el.getScreenCTM()?.a ?? 1;
      if (size < 11.95)
        small.add(`${el.tagName.toLowerCase()} "${el.textContent!.trim().slice(0, 30)}" ${size.toFixed(1)} px`);
    }
    if (small.size) problems.push(`text under 12 px: ${[...small].slice(0, 5).join('; ')}`);

    // A box's content starts and ends at its padding: no margin of a first or last child inside.
    for (const box of document.querySelectorAll('.card, .notice, .stat-card')) {
      if (!seen(box)) continue;
      const outer = box.getBoundingClientRect();
      const style = getComputedStyle(box);
      const kids = [...box.children].filter(seen);
      if (!kids.length) continue;
      // A box stretched to the height of its neighbours in a grid row may end lower than its content.
      const stretched = ['grid', 'flex'].includes(getComputedStyle(box.parentElement!).display);
      const top = kids[0]!.getBoundingClientRect().top - outer.top - parseFloat(style.paddingTop);
      const bottom =
        outer.bottom - Math.max(...kids.map((k) => k.getBoundingClientRect().bottom)) - parseFloat(style.paddingBottom);
      const name = `${box.className} "${box.textContent!.trim().slice(0, 25)}"`;
      if (top > 4) problems.push(`${name}: ${Math.round(top)} px of empty space above its content`);
      if (bottom > 4 && !stretched) problems.push(`${name}: ${Math.round(bottom)} px of empty space below its content`);
    }

    const header = document.querySelector('.site-header');
    if (width <= 400 && header && header.getBoundingClientRect().height > 112)
      problems.push(`the header is ${Math.round(header.getBoundingClientRect().height)} px high: more than two rows`);
    return problems;
  }, width);
}

describeInBrowser('every page of a round, at 360 and 1280 px', (browser) => {
  const clock = new ManualClock('2026-11-05T10:00:00Z');
  const { app, db } = useAppOnPglite({ clock });
  /** `phoneSkip`: checked at 360 px by its own test below, skipped for now. */
  const pages: Array<{ who: 'manager' | 'leader' | 'team' | 'visitor'; path: string; phoneSkip?: true }> = [];
  const clients: Record<string, TestClient> = {};
  let surveyTokens: string[] = [];

  before(async () => {
    const manager = await createUser(db(), { email: 'mia@example.com', name: 'Mia Manager' });
    const leader = await createUser(db(), { email: 'lee@example.com', name: 'Lee Leader' });
    clients.manager = (await signedInClient(app(), db(), manager)).client;
    clients.leader = (await signedInClient(app(), db(), leader)).client;
    const spec = { managerId: manager.id, leaderEmail: leader.email, now: new Date('2026-11-02T09:00:00Z') };
    const draft = await createRequest(db(), { ...spec, status: 'draft' });
    const submitted = await createRequest(db(), spec);
    const open = await createOpenRound(db(), { ...spec, closesAt: new Date('2026-11-20T23:59:59Z') });
    const closed = await createAnsweredRound(db(), { ...spec, createdAt: '2026-10-01T09:00:00Z' });
    const released = await createAnsweredRound(db(), {
      ...spec,
      status: 'released',
      createdAt: '2026-09-01T09:00:00Z',
    });
    // The manager assessed themself in the closed and the released rounds: their reports set it beside the team's.
    for (const round of [closed, released])
      await db()
        .insertInto('self_answers')
        .values(
          [5, 1].map((value, i) => ({
            question_id: round.questionIds[i]!,
            request_id: round.id,
            value,
            updated_at: new Date('2026-10-05T09:00:00Z'),
          })),
        )
        .execute();
    // What followed the rounds, for the overview and the next round's pages.
    await db()
      .insertInto('one_on_ones')
      .values({
        request_id: closed.id,
        starts_at: new Date('2026-11-12T14:30:00Z'),
        created_at: new Date('2026-11-05T09:00:00Z'),
        updated_at: new Date('2026-11-05T09:00:00Z'),
      })
      .execute();
    await createFocusPoint(db(), released.id, { text: 'Share the roadmap at the start of each month' });
    await db()
      .updateTable('feedback_requests')
      .set({ next_round_on: '2027-03-01' })
      .where('id', '=', released.id)
      .execute();
    const invitation = await db()
      .selectFrom('invitations')
      .select('id')
      .where('request_id', '=', submitted.request.id)
      .executeTakeFirstOrThrow();
    surveyTokens = [open.tokens[0]!, open.tokens[2]!];
    // The released round's one-on-one is planned (its page shows the meeting; it can be cancelled).
    await db()
      .insertInto('one_on_ones')
      .values({
        request_id: released.id,
        starts_at: new Date('2026-11-12T09:30:00Z'),
        time_zone: 'Europe/Berlin',
        minutes: 45,
        place: 'https://meet.example.com/a-rather-long-call-link-that-must-wrap-on-a-phone',
        created_at: clock.now(),
        updated_at: clock.now(),
      })
      .execute();
    pages.push(
      { who: 'visitor', path: '/' },
      { who: 'visitor', path: '/sign-in' },
      { who: 'visitor', path: '/sign-in/check-email' },
      { who: 'visitor', path: '/dev/mailbox' },
      { who: 'manager', path: '/' },
      { who: 'manager', path: '/account' },
      { who: 'manager', path: '/requests' },
      { who: 'manager', path: '/requests/new' },
      { who: 'manager', path: `/requests/${draft.request.id}/edit` },
      { who: 'manager', path: `/requests/${submitted.request.id}` },
      { who: 'manager', path: `/requests/${open.request.id}` },
      { who: 'manager', path: `/requests/${open.request.id}/self-assessment` },
      { who: 'manager', path: `/requests/${closed.id}/self-assessment` },
      { who: 'manager', path: `/reports/${released.id}`, phoneSkip: true },
      { who: 'leader', path: '/collect' },
      { who: 'leader', path: `/collect/${submitted.request.id}` },
      { who: 'leader', path: `/collect/${submitted.request.id}/invitees/${invitation.id}/remove` },
      { who: 'leader', path: `/collect/${submitted.request.id}/launch` },
      { who: 'leader', path: `/collect/${submitted.request.id}/decline` },
      { who: 'leader', path: `/collect/${open.request.id}` },
      { who: 'leader', path: `/collect/${open.request.id}/close` },
      { who: 'leader', path: `/reports/${closed.id}`, phoneSkip: true },
      { who: 'leader', path: `/reports/${closed.id}/release` },
      { who: 'leader', path: `/reports/${closed.id}/one-on-one` },
      { who: 'leader', path: `/reports/${released.id}/one-on-one` },
      { who: 'leader', path: `/reports/${released.id}/one-on-one/cancel` },
      { who: 'manager', path: `/reports/${released.id}/reply` },
      { who: 'leader', path: `/collect/${released.id}` },
      { who: 'team', path: `/s/${open.tokens[1]}` },
      { who: 'team', path: '/s/not-a-link-we-know-of' },
    );
  });

  async function checkPages(list: typeof pages, width: number): Promise<string[]> {
    const failures: string[] = [];
    for (const { who, path } of list) {
      const context = await open(browser(), who, width);
      const page = await context.newPage();
      const res = await page.goto(`${app().url}${path}`);
      assert.ok(res && res.status() < 500, `${path} answers ${res?.status()}`);
      for (const problem of await layoutProblems(page, width)) failures.push(`${who} ${path}: ${problem}`);
      await assertNoAxeViolations(page);
      await context.close();
    }
    return failures;
  }

  async function open(b: Browser, who: string, width: number) {
    const viewport = { width, height: 800 };
    return who in clients ? contextSignedInAs(b, clients[who]!, { viewport }) : b.newContext({ viewport });
  }

  for (const width of WIDTHS) {
    it(`keeps every page readable at ${width} px`, async () => {
      const failures = await checkPages(
        pages.filter((p) => !(p.phoneSkip && width < 400)),
        width,
      );
      assert.deepEqual(failures, []);
    });

    it(`keeps the survey's own pages readable at ${width} px: a failed submit, thanks, a used link`, async () => {
      const context = await open(browser(), 'team', width);
      const page = await context.newPage();
      // Each width answers through a link of its own: a link answers once.
      const path = `${app().url}/s/${surveyTokens[WIDTHS.indexOf(width)]}`;
      await page.goto(path);
      await page.getByRole('button', { name: 'Send my answers' }).click();
      await page.locator('.error-summary').waitFor();
      const failures = await layoutProblems(page, width);
      await assertNoAxeViolations(page);
      for (const fieldset of await page.locator('fieldset').all()) await fieldset.locator('input').first().check();
      await page.getByRole('button', { name: 'Send my answers' }).click();
      await page.getByRole('heading', { name: 'Thank you, your answers are in' }).waitFor();
      failures.push(...(await layoutProblems(page, width)));
      await assertNoAxeViolations(page);
      await page.goto(path);
      failures.push(...(await layoutProblems(page, width)));
      await assertNoAxeViolations(page);
      assert.deepEqual(failures, []);
      await context.close();
    });
  }

  it('keeps the header to two rows on a phone in every shipped language, the account beside the brand', async () => {
    const failures: string[] = [];
    for (const language of ['en', 'de', 'fr', 'es']) {
      await db().updateTable('users').set({ language }).where('email', '=', 'lee@example.com').execute();
      const context = await open(browser(), 'leader', 360);
      const page = await context.newPage();
      await page.goto(`${app().url}/collect`);
      failures.push(...(await layoutProblems(page, 360)).map((problem) => `${language}: ${problem}`));
      const [brand, account] = await Promise.all(
        ['.brand', '.account-nav'].map((s) => page.locator(`.site-header ${s}`).boundingBox()),
      );
      // The whole name does not fit beside "Sign out" in every language: the initials show, the name is read out.
      const link = page.getByRole('link', { name: 'Lee Leader', exact: true });
      const [initials, name] = await Promise.all(
        ['.who__initials', '.who__name'].map((s) => link.locator(s).boundingBox()),
      );
      const shown = await link.locator('.who__initials').innerText();
      if (shown !== 'LL' || !initials || initials.width < 24 || name!.width > 1)
        failures.push(`${language}: the account link shows "${shown}", the name ${name!.width} px wide`);
      if (Math.abs(brand!.y + brand!.height / 2 - (account!.y + account!.height / 2)) > 4)
        failures.push(
          `${language}: the account sits at ${Math.round(account!.y)} px, the brand at ${Math.round(brand!.y)} px`,
        );
      await context.close();
    }
    await db().updateTable('users').set({ language: null }).where('email', '=', 'lee@example.com').execute();
    assert.deepEqual(failures, []);
  });

  it("keeps the reply's preview readable at 360 px: what each team member will read, and the send button", async () => {
    const context = await open(browser(), 'manager', 360);
    const page = await context.newPage();
    const released = await db()
      .selectFrom('feedback_requests')
      .select('id')
      .where('status', '=', 'released')
      .executeTakeFirstOrThrow();
    await page.goto(`${app().url}/reports/${released.id}/reply`);
    await page.getByLabel('Include the summary figures').check();
    await page.getByRole('button', { name: 'Preview the email' }).click();
    await page.getByRole('heading', { name: 'Preview your reply' }).waitFor();
    await page.getByRole('button', { name: /^Send to \d+ team members$/ }).waitFor();
    assert.deepEqual(await layoutProblems(page, 360), []);
    await assertNoAxeViolations(page);
    await context.close();
  });

  it('keeps the report readable at 360 px, for leader and manager', async () => {
    assert.deepEqual(
      await checkPages(
        pages.filter((p) => p.phoneSkip),
        360,
      ),
      [],
    );
  });
});
