/**
 * Every page of the app, in English, Polish and Chinese, on a phone (360 px) and a desktop (1280 px):
 * the audit of browser.ts (axe, sideways scrolling) runs on each page these tests reach and fails
 * them on any problem. Also the keyboard's first stop, the phone menu without JavaScript, and the
 * README's screenshots.
 */
import { mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.ts';
import { shows, startE2E, type E2E } from './browser.ts';
import { emailOf, everyPage, prepareEveryPage, type Who } from './pages.ts';
import { problemsOf, WIDTHS } from './audit.ts';

let e: E2E;
let token: string;
beforeAll(async () => {
  e = await startE2E();
  token = await prepareEveryPage(e.t);
});
afterAll(() => e?.close());

const locales = [
  { lang: 'en', locale: 'en-GB' },
  { lang: 'pl', locale: 'pl-PL' },
  { lang: 'zh', locale: 'zh-CN' },
];

describe.each(locales)('every page in $lang', ({ lang, locale }) => {
  it('passes axe and does not scroll sideways, on a phone and on a desktop', async () => {
    for (const [who, paths] of Object.entries(everyPage(e.t.fx, token)) as [Who, string[]][]) {
      // One window per width, so each page is audited live at both and nothing is left to re-open; in English
      // a third, a desktop in the dark scheme, so axe checks every page's contrast in both schemes.
      const looks = [
        ...WIDTHS.map((width) => ({ width, colorScheme: 'light' as const })),
        ...(lang === 'en' ? [{ width: 1280, colorScheme: 'dark' as const }] : []),
      ];
      const windows = await Promise.all(looks.map((look) => e.page({ js: true, locale, ...look })));
      const email = emailOf(e.t.fx, who);
      for (const page of windows) if (email) await e.signIn(page, email);
      for (const path of paths) {
        for (const page of windows) {
          await page.goto(path);
          expect(await page.locator('html').getAttribute('lang')).toMatch(new RegExp(`^${lang}`));
        }
      }
      for (const page of windows) await page.context().close();
    }
  }, 300_000);
});

describe('keyboard and phone menu', () => {
  it('the first Tab reaches "Skip to main content", which moves on to the main content', async () => {
    const page = await e.page({ js: true, width: 1280 });
    await e.signIn(page, e.t.fx.emails.global);
    await page.goto('/subscriptions');
    await page.keyboard.press('Tab');
    const first = page.locator(':focus');
    expect(await first.textContent()).toBe('Skip to main content');
    expect(await first.getAttribute('href')).toBe('#main');
    await page.keyboard.press('Enter');
    expect(new URL(page.url()).hash).toBe('#main');
    await page.context().close();
  });

  it('without JavaScript the phone menu opens and leads to a page; on a desktop it is open already', async () => {
    // No <details> and no ::details-content: "Menu" links to #nav, and the list shows while it is the :target.
    const phone = await e.page({ js: false, width: 360 });
    await e.signIn(phone, e.t.fx.emails.global);
    const nav = phone.getByRole('navigation', { name: 'Main navigation' });
    const link = nav.getByRole('link', { name: 'Partner relationships' });
    expect(await link.isVisible()).toBe(false);
    await nav.getByRole('link', { name: 'Menu', exact: true }).click();
    await link.click();
    await phone.waitForURL(/\/settings\/partner-relationships$/);
    await shows(phone.getByRole('heading', { name: 'Partner relationships', level: 1 }));
    await phone.context().close();

    const desktop = await e.page({ js: false, width: 1280 });
    await e.signIn(desktop, e.t.fx.emails.global);
    await shows(desktop.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Partner relationships' }));
    await desktop.context().close();
  });
});

describe('dark scheme', () => {
  // The stylesheet follows prefers-color-scheme; axe checks the dark scheme's contrast on the pages that
  // carry every colour (badges, errors, notices, buttons, tables, the header and footer).
  it('passes axe (contrast included) in the dark scheme, on a phone and on a desktop', async () => {
    for (const width of WIDTHS) {
      // A context of its own, outside the live audit (which runs axe on every load in the light scheme).
      const context = await e.browser.newContext({ baseURL: e.baseUrl, viewport: { width, height: 800 }, colorScheme: 'dark' });
      const page = await context.newPage();
      await page.goto('/signin');
      await page.locator('form[action="/signin"] button').click();
      expect(await problemsOf(page, width, true)).toEqual([]);
      await e.signIn(page, e.t.fx.emails.global);
      for (const path of ['/subscriptions', '/settings/partner-relationships', `/checkout/${e.t.fx.contosoCheckout}`, '/domains', '/activity', '/']) {
        await page.goto(path);
        expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe('rgb(22, 22, 26)');
        expect(await problemsOf(page, width, true), path).toEqual([]);
      }
      await context.close();
    }
  });
});

describe('print', () => {
  // The print stylesheet (public/app.css, @media print): the content only, without navigation, buttons
  // and forms; each date in full (date and time in the reader's zone) where the screen shows the day.
  it('prints Partner relationships and the activity log without navigation or forms, dates in full', async () => {
    const page = await e.page({ js: false, width: 1280 });
    await e.signIn(page, e.t.fx.emails.global);
    await page.emulateMedia({ media: 'print' });
    for (const path of ['/settings/partner-relationships', '/activity']) {
      await page.goto(path);
      await shows(page.getByRole('heading', { level: 1 }));
      for (const hidden of ['nav', 'footer', 'form', 'button', '.skip']) {
        const shown = await page.locator(hidden).evaluateAll((els) => els.filter((el) => el.checkVisibility()).length);
        expect(shown, `${path}: ${hidden}`).toBe(0);
      }
      const times = await page.locator('main time').evaluateAll((els) =>
        els.map((el) => ({
          full: el.getAttribute('data-full'),
          text: el.textContent,
          printed: getComputedStyle(el, '::after').content,
          size: getComputedStyle(el).fontSize,
        })),
      );
      expect(times.length, path).toBeGreaterThan(0);
      for (const time of times) {
        // The day-only dates print their data-full (the day hides behind a zero font size); the log's already carry the time.
        if (time.full) expect(time, path).toMatchObject({ printed: JSON.stringify(time.full), size: '0px' });
        else expect(time.text, path).toMatch(/\d{1,2}:\d{2}/);
        expect(time.full ?? time.text, path).toMatch(/\d{4}/);
      }
    }
    await page.emulateMedia({ media: 'screen' });
    await shows(page.getByRole('navigation', { name: 'Main navigation' }));
    await page.context().close();
  });
});

describe('first paint on a slow network', () => {
  // Chromium's own network emulation: 400 ms on every request, 1.6 Mbit/s down. The first response
  // carries the stylesheet, so a first visit paints after it alone, never waiting for a second request.
  it('a first visit paints after one request (< 1 s at 400 ms latency), signed out and signed in', async () => {
    const figures: string[] = [];
    const paintOf = async (page: Page, path: string) => {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 400, downloadThroughput: 200_000, uploadThroughput: 100_000 });
      await page.goto(path);
      const ms = await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            new PerformanceObserver((list) => {
              const fcp = list.getEntries().find((p) => p.name === 'first-contentful-paint');
              if (fcp) resolve(fcp.startTime);
            }).observe({ type: 'paint', buffered: true });
            setTimeout(() => resolve(Infinity), 3000);
          }),
      );
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      figures.push(`${path}: ${Math.round(ms)} ms`);
      return ms;
    };
    const anon = await e.page({ js: true, width: 360 });
    expect(await paintOf(anon, `/authorize/${token}`)).toBeLessThan(1000);
    await anon.context().close();
    const admin = await e.page({ js: true, width: 360 });
    expect(await paintOf(admin, '/signin')).toBeLessThan(1000);
    await e.signIn(admin, e.t.fx.emails.global);
    expect(await paintOf(admin, '/subscriptions')).toBeLessThan(1000);
    await admin.context().close();
    console.log(`first contentful paint at 400 ms latency: ${figures.join(', ')}`);
  });
});

/** README screenshots: written to docs/screenshots/ with SCREENSHOTS=update, elsewhere to a temporary folder. */
const shotDir = process.env.SCREENSHOTS === 'update' ? `${projectRoot}docs/screenshots` : `${tmpdir()}/partnerdesk-screenshots`;
async function shoot(page: Page, name: string) {
  mkdirSync(shotDir, { recursive: true });
  const path = `${shotDir}/${name}.png`;
  // A desktop shot keeps the top of the page: the whole 1280 × 800 window would not fit in 60 KB.
  const width = page.viewportSize()!.width;
  await page.screenshot({ path, animations: 'disabled', clip: width > 600 ? { x: 0, y: 0, width: 960, height: 400 } : undefined });
  expect(statSync(path).size).toBeLessThanOrEqual(80 * 1024);
}

describe('screenshots for the README', () => {
  it('phone and desktop, in Polish and English', async () => {
    const phone = await e.page({ js: true, width: 360, locale: 'pl-PL' });
    await e.signIn(phone, e.t.fx.emails.global);
    await phone.goto(`/checkout/${e.t.fx.contosoCheckout}`);
    await shoot(phone, 'phone-checkout-pl');
    await phone.goto('/settings/partner-relationships');
    await shoot(phone, 'phone-partner-relationships-pl');
    await phone.context().close();

    const desktop = await e.page({ js: true, width: 1280, locale: 'en-GB' });
    await e.signIn(desktop, e.t.fx.emails.global);
    await desktop.goto('/subscriptions');
    await shoot(desktop, 'desktop-subscriptions-en');
    await desktop.context().close();
    const link = await e.page({ js: true, width: 1280, locale: 'zh-CN' });
    await link.goto(`/authorize/${token}`);
    await shoot(link, 'desktop-authorization-link-zh');
    await link.context().close();
  });
});
