/**
 * Every page a browser test reaches is audited, without the test asking: axe-core (failing on serious
 * or critical violations), sideways scrolling, words split over two lines in a table although they fit
 * on one (layout(), below), and on a phone controls under 44 px outside running text, at 360 px and
 * 1280 px, in the page's language.
 * Pages are checked live on 'load' at the test's own width; each reached URL is then re-opened at the
 * other width in a JavaScript-on twin of its context (same cookies) before that context closes. Each
 * distinct page (language, width, path with ids masked, title) is checked once per test run: the browser
 * files note what they audited in one registry file, so a page one file checked is not checked again by
 * every other file that passes through it.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { inject } from 'vitest';

export const WIDTHS = [360, 1280] as const;
const HEIGHT = { 360: 740, 1280: 800 } as const;
/** axe impacts that fail a test; "moderate" and "minor" are left to review. */
const FAILING = ['serious', 'critical'];
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Seen {
  url: string;
  lang: string;
  title: string;
}

/** Ids, numbers and link tokens vary between visits of the same page: mask them. */
export function pagePattern(url: string): string {
  const { pathname } = new URL(url);
  return pathname
    .split('/')
    .map((s) => (/^[0-9a-f]{8}-[0-9a-f-]{27}$/i.test(s) ? ':id' : /^\d+$/.test(s) ? ':n' : /^[\w-]{20,}$/.test(s) ? ':token' : s))
    .join('/');
}

const keyOf = (s: Seen, width: number) => `${s.lang}|${width}|${pagePattern(s.url)}|${s.title}`;

async function describePage(page: Page): Promise<Seen> {
  const { lang, title } = await page.evaluate(() => ({ lang: document.documentElement.lang, title: document.title }));
  return { url: page.url(), lang, title };
}

/**
 * Run in the page: (1) in every table cell, each word (Intl.Segmenter, the page's language) whose text is
 * laid out on more than one line although it is no wider than the block it sits in: a word broken letter
 * by letter. Chinese breaks between characters by its own rules, so a Han word counts only when its block
 * is narrower than six characters (a squeezed column). (2) On a phone, every visible control (link,
 * button, field, summary, the label of a checkbox) outside running text at least 44 px high and wide; a
 * link is in running text when it is inline and its block holds other text.
 */
function layout(width: number): string[] {
  const found: string[] = [];
  const blockOf = (el: Element): Element => {
    let e: Element | null = el;
    while (e && getComputedStyle(e).display.startsWith('inline')) e = e.parentElement;
    return e ?? el;
  };
  const innerWidth = (el: Element) => {
    const cs = getComputedStyle(el);
    return el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
  };
  const segmenter = new Intl.Segmenter(document.documentElement.lang, { granularity: 'word' });
  const split = new Set<string>();
  for (const cell of document.querySelectorAll('td, th')) {
    if (!cell.checkVisibility()) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
      const parent = n.parentElement!;
      if (!parent.checkVisibility()) continue;
      const block = blockOf(parent);
      const room = innerWidth(block);
      const em = parseFloat(getComputedStyle(parent).fontSize);
      for (const s of segmenter.segment(n.data)) {
        if (!s.isWordLike) continue;
        const range = document.createRange();
        range.setStart(n, s.index);
        range.setEnd(n, s.index + s.segment.length);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0);
        const tops = rects.map((r) => r.top).sort((a, b) => a - b);
        const lines = tops.filter((t, i) => i === 0 || t - tops[i - 1] > em * 0.5).length;
        if (lines < 2) continue;
        const wide = rects.reduce((sum, r) => sum + r.width, 0);
        if (wide > room + 1) continue;
        if (/\p{Script=Han}/u.test(s.segment) && room >= em * 6) continue;
        split.add(`"${s.segment}" on ${lines} lines in a ${Math.round(room)} px block`);
      }
    }
  }
  if (split.size) found.push(`words split in table cells: ${[...split].slice(0, 5).join('; ')}`);
  if (width > 600) return found;
  const small = new Set<string>();
  const controls = document.querySelectorAll('a[href], button, select, textarea, input:not([type=hidden]), summary');
  for (const el of controls) {
    if (!el.checkVisibility()) continue;
    let target: Element = el;
    if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) target = el.closest('label') ?? el;
    if (el.closest('.skip')) continue;
    if (el instanceof HTMLAnchorElement && getComputedStyle(el).display === 'inline') {
      const block = blockOf(el);
      if ((block.textContent ?? '').trim().length > (el.textContent ?? '').trim().length + 1) continue;
    }
    const r = target.getBoundingClientRect();
    if (r.right <= 0 || r.bottom <= 0) continue;
    if (r.height < 43.5 || r.width < 43.5) {
      const text = (target.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 30) || target.getAttribute('name') || target.tagName;
      small.add(`${el.tagName.toLowerCase()} "${text}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
  }
  if (small.size) found.push(`targets under 44 px: ${[...small].slice(0, 8).join('; ')}${small.size > 8 ? ` and ${small.size - 8} more` : ''}`);
  return found;
}

/** Problems of the page as it is now; axe needs JavaScript, so it runs only where the page has it. */
export async function problemsOf(page: Page, width: number, js: boolean): Promise<string[]> {
  const found: string[] = [];
  const wide = await page.evaluate(() => {
    const s = document.scrollingElement!;
    return s.scrollWidth > s.clientWidth ? s.scrollWidth : 0;
  });
  if (wide) found.push(`scrolls sideways: ${wide} px of content in a ${width} px window`);
  found.push(...(await page.evaluate(layout, width)));
  if (!js) return found;
  // Evaluated rather than added as a <script>: the app's CSP (script-src 'self') rightly refuses inline
  // scripts, and bypassing the CSP in tests would hide a page that breaks it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async (failing) => {
    const { violations } = await (
      window as unknown as { axe: { run(o: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }
    ).axe.run({
      resultTypes: ['violations'],
    });
    return violations
      .filter((v) => failing.includes(v.impact))
      .map(
        (v) =>
          `${v.impact} ${v.id} (${v.help}): ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(' | ')}`,
      );
  }, FAILING);
  return found.concat(violations);
}

/** Pages already checked in this run, by language, width, pattern and title: this file's, then the registry's. */
class Checked {
  private known = new Set<string>();
  private registry = inject('auditRegistry');

  has(key: string): boolean {
    if (this.known.has(key)) return true;
    let noted: string[];
    try {
      noted = readFileSync(this.registry, 'utf8').split('\n');
    } catch {
      return false;
    }
    for (const k of noted) if (k) this.known.add(k);
    return this.known.has(key);
  }

  add(key: string) {
    this.known.add(key);
    appendFileSync(this.registry, `${key}\n`);
  }
}

export class PageAudit {
  private checked = new Checked();
  private seen = new Map<BrowserContext, Map<string, Seen>>();
  private pending = new Map<BrowserContext, Set<Promise<void>>>();
  private locales = new Map<BrowserContext, string | undefined>();
  private problems: string[] = [];

  constructor(
    private browser: Browser,
    private baseUrl: string,
  ) {}

  /** Audits every page of `context`; its close() first finishes the audit. */
  watch(context: BrowserContext, js: boolean, locale?: string): BrowserContext {
    this.locales.set(context, locale);
    this.seen.set(context, new Map());
    this.pending.set(context, new Set());
    context.on('page', (page) => {
      page.on('load', () => {
        const run = this.onLoad(context, page, js).catch(() => undefined);
        this.pending.get(context)?.add(run);
        void run.then(() => this.pending.get(context)?.delete(run));
      });
    });
    const close = context.close.bind(context);
    context.close = async (options) => {
      await this.finish(context).catch((err: Error) => this.problems.push(`audit could not finish: ${err.message}`));
      this.seen.delete(context);
      this.pending.delete(context);
      this.locales.delete(context);
      return close(options);
    };
    return context;
  }

  private async onLoad(context: BrowserContext, page: Page, js: boolean) {
    if (!page.url().startsWith(this.baseUrl)) return;
    const seen = await describePage(page);
    this.seen.get(context)?.set(seen.url, seen);
    const width = page.viewportSize()?.width ?? 0;
    if (this.checked.has(keyOf(seen, width))) return;
    const problems = await problemsOf(page, width, js);
    // A page the test left meanwhile is no longer the page described: its result is not trusted.
    if (page.url() !== seen.url) return;
    this.report(seen, width, problems);
    if (js) this.checked.add(keyOf(seen, width));
  }

  private report(seen: Seen, width: number, problems: string[]) {
    for (const p of problems) this.problems.push(`${seen.url.slice(this.baseUrl.length)} [${seen.lang}, ${width} px] ${p}`);
  }

  /** Checks each URL the context reached at each width not yet checked, in a JavaScript-on twin. */
  async finish(context: BrowserContext) {
    await Promise.all(this.pending.get(context) ?? []);
    const todo = [...(this.seen.get(context)?.values() ?? [])].flatMap((s) => WIDTHS.filter((w) => !this.checked.has(keyOf(s, w))).map((w) => ({ s, w })));
    this.seen.get(context)?.clear();
    if (todo.length === 0) return;
    const twin = await this.browser.newContext({ storageState: await context.storageState(), baseURL: this.baseUrl, locale: this.locales.get(context) });
    try {
      const page = await twin.newPage();
      for (const { s, w } of todo) {
        await page.setViewportSize({ width: w, height: HEIGHT[w] });
        await page.goto(s.url);
        const now = await describePage(page);
        if (this.checked.has(keyOf(now, w))) continue;
        this.report(now, w, await problemsOf(page, w, true));
        this.checked.add(keyOf(now, w));
      }
    } finally {
      await twin.close();
    }
  }

  /** Finishes every open context's audit and throws what was found since the last call. */
  async settle() {
    await Promise.all([...this.seen.keys()].map((c) => this.finish(c)));
    const found = this.problems.splice(0);
    if (found.length) throw new Error(`Accessibility audit found ${found.length} problem(s):\n${found.join('\n')}`);
  }
}
