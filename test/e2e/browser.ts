import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterEach, vi } from 'vitest';
import { DEMO_PASSWORD } from '../../src/seed/seed.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { CHROMIUM } from '../support/chromium.ts';
import { freshCode, givePartnerStaffTwoStep } from '../support/two-step.ts';
import { PageAudit } from './audit.ts';

export interface E2E {
  /** The app, its database and fixtures, as in the in-process tests. */
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  /** A fresh browser context (own cookies) with JavaScript on or off; a phone (360 px) and the light scheme unless told. */
  page(opts: { js: boolean; width?: number; locale?: string; colorScheme?: 'light' | 'dark' }): Promise<Page>;
  /** Audits every page the file's tests reach (see audit.ts); asserted after each test. */
  audit: PageAudit;
  /** Signs in through the real sign-in form (demo password unless given), and its second step with the current code when the person has two-step sign-in (partner staff always do). */
  signIn(page: Page, email: string, password?: string): Promise<void>;
  close(): Promise<void>;
}

// A browser flow signs in, clicks through several pages and audits each one it reaches: on a slow
// 2-core machine running two browser files at once that takes longer than an in-process test's 30 s.
vi.setConfig({ testTimeout: 120_000 });

let current: E2E | undefined;
// Registered for every file that imports this one: a test fails when a page it reached fails the audit.
afterEach(async () => {
  await current?.audit.settle();
});

/** Serves the app on a free local port and starts headless Chromium. One per browser test file. */
export async function startE2E(env: Record<string, string> = {}): Promise<E2E> {
  const t = await createTestApp(env);
  const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const audit = new PageAudit(browser, baseUrl);
  current = {
    t,
    baseUrl,
    browser,
    audit,
    async page({ js, width = 360, locale, colorScheme = 'light' }) {
      const context = await browser.newContext({
        javaScriptEnabled: js,
        baseURL: baseUrl,
        viewport: { width, height: width > 600 ? 800 : 740 },
        locale,
        colorScheme,
      });
      context.setDefaultTimeout(5000);
      return audit.watch(context, js, locale).newPage();
    },
    async signIn(page, email, password = DEMO_PASSWORD) {
      await givePartnerStaffTwoStep(t.db, email);
      await page.goto('/signin');
      // By field name, not label: tests sign in in every language.
      const form = page.locator('form[action="/signin"]');
      await form.locator('input[name="email"]').fill(email);
      await form.locator('input[name="password"]').fill(password);
      await form.locator('button').click();
      await page.waitForURL((url) => url.pathname !== '/signin');
      // Two-step sign-in: the code the person's app would show, computed from the key (test/support/two-step.ts).
      if (new URL(page.url()).pathname === '/signin/two-step') {
        const second = page.locator('form[action="/signin/two-step"]');
        await second.locator('input[name="code"]').fill(await freshCode(t.db, email, t.clock.now));
        await second.locator('button').click();
        await page.waitForURL((url) => url.pathname !== '/signin/two-step');
      }
    },
    async close() {
      current = undefined;
      await browser.close();
      server.close();
      await t.close();
    },
  };
  return current;
}

/** Runs `body` once with JavaScript on and once with it off: every flow must work both ways. */
export const bothWays = [
  { name: 'with JavaScript', js: true },
  { name: 'without JavaScript', js: false },
] as const;

/** Waits (up to 5 s) until the locator shows, failing the test otherwise: vitest has no toBeVisible. */
export async function shows(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout: 5000 });
}
