// Single sign-on in Chromium: from a page that needs sign-in, through the provider's own login
// page (oidc-provider's, on a loopback port) and back to that page; then signing out of
// Upward and, from the signed-out page, out of the provider too. Upward's pages pass axe.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { useAppOnPglite } from '../helpers/suite.ts';
import { assertNoAxeViolations, describeInBrowser, expectHeading } from '../helpers/browser.ts';
import { useOidcProvider } from '../helpers/oidc-provider.ts';

describeInBrowser('sign-in with OpenID Connect', (browser) => {
  const idp = useOidcProvider({ OIDC_BUTTON_LABEL: 'Sign in with Example Corp' });
  const { app } = useAppOnPglite({ oidc: idp.forApp });

  it('signs in through the provider’s login page and returns to the page asked for', async () => {
    idp.provider().accounts.set('margaret', { email: 'margaret@example.com', email_verified: true, name: 'Margaret' });
    const page = await browser().newPage();
    // The provider's pages ask for a web font; the test machine has no internet to give it.
    await page.route(/fonts\.googleapis\.com/, (route) => route.abort());

    await page.goto(`${app().url}/requests`);
    await expectHeading(page, 'Sign in');
    await assertNoAxeViolations(page);
    await page.getByRole('button', { name: 'Sign in with Example Corp' }).click();

    // The provider's own login form.
    await page.waitForURL((url) => url.href.startsWith(idp.provider().issuer));
    await page.locator('input[name="login"]').fill('margaret');
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();

    await page.waitForURL(`${app().url}/requests`);
    assert.match((await page.locator('header').textContent())!, /Signed in as\s+Margaret/);
    await assertNoAxeViolations(page);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expectHeading(page, 'You are signed out');
    await assertNoAxeViolations(page);
    await page.getByRole('link', { name: /Also sign out of 127\.0\.0\.1/ }).click();
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${app().url}/signed-out`);
    await expectHeading(page, 'You are signed out');

    // Signed out at the provider too: the next sign-in asks for the login again.
    await page.goto(`${app().url}/sign-in`);
    await page.getByRole('button', { name: 'Sign in with Example Corp' }).click();
    await page.locator('input[name="login"]').waitFor();
    await page.close();
  });
});
