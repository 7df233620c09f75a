import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/db/seed.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { CHROMIUM } from '../support/chromium.ts';

export interface E2E {
  /** The app, its database and fixtures, as in the in-process tests. */
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  /** A fresh browser context (own cookies) with JavaScript on or off. */
  page(opts: { js: boolean }): Promise<Page>;
  /** Signs in through the real sign-in form (demo password unless given). */
  signIn(page: Page, email: string, password?: string): Promise<void>;
  close(): Promise<void>;
}

/** Serves the app on a free local port and starts headless Chromium. One per browser test file. */
export async function startE2E(env: Record<string, string> = {}): Promise<E2E> {
  const t = await createTestApp(env);
  const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  return {
    t,
    baseUrl,
    browser,
    async page({ js }) {
      const context = await browser.newContext({ javaScriptEnabled: js, baseURL: baseUrl, viewport: { width: 360, height: 740 } });
      context.setDefaultTimeout(5000);
      return context.newPage();
    },
    async signIn(page, email, password = DEMO_PASSWORD) {
      await page.goto('/signin');
      await page.getByLabel('E-mail').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((url) => url.pathname !== '/signin');
    },
    async close() {
      await browser.close();
      server.close();
      await t.close();
    },
  };
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
