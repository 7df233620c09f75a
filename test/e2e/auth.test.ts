import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothWays, shows, startE2E, type E2E } from './browser.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e?.close());

describe.each(bothWays)('accounts in a browser $name', ({ js }) => {
  it('a person signs up, confirms the address from the development mailbox, signs out and signs in again', async () => {
    const page = await e.page({ js });
    const email = `founder-${js ? 'js' : 'nojs'}@example.com`;
    await page.goto('/signup');
    await page.getByLabel('Organization name').fill('Tailwind Toys');
    await page.getByLabel('Country/region').selectOption('PL');
    await page.getByLabel('Your name').fill('Tia Founder');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    // Too short a password: the form comes back with the message and keeps what was typed.
    await shows(page.getByText('The password must have 10 to 200 characters.'));
    expect(await page.getByLabel('Organization name').inputValue()).toBe('Tailwind Toys');
    await page.getByLabel('Password').fill('a-long-enough-password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${e.baseUrl}/signup/sent`);
    await shows(page.getByRole('heading', { name: 'Check your e-mail' }));

    // No SMTP_URL: the development mailbox, after signing in, holds the verification link.
    await page.getByRole('link', { name: 'Open the development mailbox' }).click();
    await page.waitForURL((url) => url.pathname === '/signin');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill('a-long-enough-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${e.baseUrl}/verify-email`);
    await shows(page.getByText(`confirm that ${email} is your address`));
    await page.goto('/dev/mailbox');
    const mail = await page.getByText('/verify-email/confirm?token=').first().textContent();
    await page.goto(mail!.match(/\/verify-email\/confirm\?token=[a-z2-7]+/)![0]);
    await page.getByRole('button', { name: 'Confirm my address' }).click();
    await page.waitForURL(`${e.baseUrl}/`);
    await shows(page.getByText('Your e-mail address is confirmed.'));
    await shows(page.getByRole('heading', { name: 'Welcome, Tia Founder' }));
    await shows(page.getByText('Tailwind Toys · Tia Founder'));

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${e.baseUrl}/signin`);
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/signin');

    await e.signIn(page, email, 'a-long-enough-password');
    await shows(page.getByRole('heading', { name: 'Welcome, Tia Founder' }));
    await page.context().close();
  });

  it('a wrong password shows a message and keeps the e-mail', async () => {
    const page = await e.page({ js });
    await page.goto('/signin');
    await page.getByLabel('E-mail').fill(e.t.fx.emails.billing);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await shows(page.getByText('The e-mail or the password is not right.'));
    expect(await page.getByLabel('E-mail').inputValue()).toBe(e.t.fx.emails.billing);
    await page.context().close();
  });
});
