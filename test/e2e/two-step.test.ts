/**
 * Two-step sign-in in Chromium: the authenticator app set up and used with JavaScript on and off (the code
 * computed from the key the page shows), and a passkey registered and used through Chromium's virtual
 * authenticator (CDP WebAuthn), with JavaScript on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeAt, timeStep } from '../../src/two-step/codes.ts';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { DEMO_PASSWORD } from '../../src/seed/seed.ts';
import { bothWays, shows, startE2E, type E2E } from './browser.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e?.close());

describe.each(bothWays)('two-step sign-in in a browser $name', ({ js }) => {
  it('is set up from the key on the page, then asked for after the password', async () => {
    const email = js ? 'billing@contoso.example' : 'user@contoso.example';
    const page = await e.page({ js });
    await e.signIn(page, email);
    await page.goto('/settings/two-step');
    await shows(page.getByRole('img', { name: 'QR code of the key for your authenticator app' }));
    const key = decodeBase32IgnorePadding((await page.locator('code.secret').textContent())!.replace(/ /g, ''));
    await page.getByLabel('Code', { exact: true }).fill(codeAt(key, timeStep(e.t.clock.now)));
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await shows(page.getByRole('heading', { name: 'Your recovery codes' }));
    expect(await page.locator('ol.recovery-codes li').count()).toBe(10);
    const recovery = (await page.locator('ol.recovery-codes code').first().textContent())!;

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${e.baseUrl}/signin`);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${e.baseUrl}/signin/two-step`);
    await page.getByLabel('Code', { exact: true }).fill('12345x');
    await page.getByRole('button', { name: 'Continue' }).click();
    await shows(page.getByText('A code from the app has digits only.').first());
    // A recovery code works once.
    await page.getByLabel('Code', { exact: true }).fill(recovery);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.context().close();
  });
});

describe('passkeys in a browser with JavaScript', () => {
  it('are added with a name on the two-step page and confirm the second step', async () => {
    // WebAuthn needs a host name (not an IP address) as the relying party: the same server as localhost.
    const base = e.baseUrl.replace('127.0.0.1', 'localhost');
    const context = await e.browser.newContext({ baseURL: base, viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(5000);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    const email = 'admin@fabrikam.example';
    await page.goto('/signin');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.goto('/settings/two-step');
    const key = decodeBase32IgnorePadding((await page.locator('code.secret').textContent())!.replace(/ /g, ''));
    await page.getByLabel('Code', { exact: true }).fill(codeAt(key, timeStep(e.t.clock.now)));
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await page.getByRole('link', { name: 'I have saved them' }).click();

    await page.getByLabel('Name of the passkey').fill('Work laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await shows(page.getByText('The passkey has been added.'));
    await shows(page.getByText('Work laptop'));

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${base}/signin`);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/signin/two-step`);
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await shows(page.getByRole('button', { name: 'Sign out' }));
    await context.close();
  });
});
