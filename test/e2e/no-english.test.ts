/**
 * In Polish and Chinese no page shows English or an internal code: every page a customer admin, a
 * partner and a signed-out person can reach (as in a11y.test.ts), with JavaScript on, is read as the
 * person sees it (document.body.innerText) and checked for any English catalog text of 12 or more
 * characters and for codes like `subscription.partner_of_record.changed`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownActions } from '../../src/activity/sentence.ts';
import { catalogs } from '../../src/messages.ts';
import { emailOf, everyPage, prepareEveryPage, type Who } from './pages.ts';
import { startE2E, type E2E } from './browser.ts';

let e: E2E;
let token: string;
beforeAll(async () => {
  e = await startE2E();
  token = await prepareEveryPage(e.t);
  const admin = await e.t.signedIn(e.t.fx.emails.global);
  // Some activity to read as sentences.
  await admin.post(`/users/${e.t.fx.contosoUser}`, { name: 'Anna Nowak', email: e.t.fx.emails.user });
});
afterAll(() => e?.close());

/** Brand, plan and product names are the same words in every language. */
const names = /^catalog\.(plan|product)\.[^.]+\.name$/;

/** The English text of each message, cut at its placeholders, keeping the pieces of 12 characters or more. */
function englishPieces(other: Record<string, string>): { key: string; piece: string }[] {
  const en = catalogs.en as Record<string, string>;
  return Object.entries(en).flatMap(([key, text]) => {
    if (names.test(key) || other[key] === text) return [];
    // Plural options are plain text too: take their words out of the braces.
    const flat = text.replace(/\{\w+, plural,/g, '{').replace(/(?:=\d+|zero|one|two|few|many|other) \{([^{}]*)\}/g, '{$1}');
    return flat
      .split(/\{[^{}]*\}|[{}#\n]/)
      .map((p) => p.trim())
      .filter((p) => p.length >= 12 && !p.includes('@') && !(other[key] ?? '').includes(p))
      .map((piece) => ({ key, piece }));
  });
}

/** `subscription.partner_of_record.changed`, `subs.bulk.selectAll`: a code or catalog key shown as it is. */
const codeLike = /\b[a-z]+(?:\.[a-z][A-Za-z_]*)+\b/g;
const keys = new Set([...Object.keys(catalogs.en), ...knownActions]);
const isCode = (s: string) => /[_A-Z]/.test(s) || keys.has(s);

describe.each([
  { lang: 'pl', locale: 'pl-PL' },
  { lang: 'zh', locale: 'zh-CN' },
] as const)('every page in $lang', ({ lang, locale }) => {
  it('shows no English catalog text and no internal code', async () => {
    const pieces = englishPieces(catalogs[lang] as Record<string, string>);
    const found: string[] = [];
    for (const [who, paths] of Object.entries(everyPage(e.t.fx, token)) as [Who, string[]][]) {
      // A plain context (no axe audit): this test only reads the text.
      const context = await e.browser.newContext({ baseURL: e.baseUrl, locale, javaScriptEnabled: true });
      const page = await context.newPage();
      const email = emailOf(e.t.fx, who);
      if (email) await e.signIn(page, email);
      for (const path of paths) {
        await page.goto(path);
        // The page really is in the language under test (else this test could not fail).
        const pageLang = await page.locator('html').getAttribute('lang');
        if (!pageLang?.startsWith(lang)) found.push(`${path} (${who}): page in ${pageLang}`);
        const text = await page.evaluate(() => document.body.innerText);
        for (const { key, piece } of pieces) if (text.includes(piece)) found.push(`${path} (${who}): English "${piece}" [${key}]`);
        for (const code of text.match(codeLike) ?? []) if (isCode(code)) found.push(`${path} (${who}): code "${code}"`);
      }
      await context.close();
    }
    expect([...new Set(found)]).toEqual([]);
  }, 120_000);
});
