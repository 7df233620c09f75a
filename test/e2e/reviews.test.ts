/**
 * Access reviews and Settings → Alerts in a real browser (issue 25 §1, §2), JavaScript on (htmx swaps the
 * review section in place) and off (plain forms and redirects), in English, Polish and Chinese: the global
 * admin sets reviews, answers the review the job opened (Keep / Remove per role), and sets the
 * password-reset alert's limit, a mistyped value coming back with its message.
 */
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import { i18n, type MessageKey } from '../../src/i18n/index.ts';
import { runReviews } from '../../src/reviews/reviews.job.ts';
import { DAY } from '../../src/time.ts';
import { shows, startE2E, type E2E } from './browser.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(() => e?.close());

const mark = (page: Page) => page.evaluate(() => ((window as unknown as { kept: number }).kept = 1));
const marked = (page: Page) => page.evaluate(() => (window as unknown as { kept?: number }).kept === 1);
const language = { en: 'English', pl: 'Polski', zh: '简体中文' } as const;

const runs = [
  { name: 'with JavaScript, in English', js: true, locale: 'en' },
  { name: 'without JavaScript, in Polish', js: false, locale: 'pl' },
  { name: 'with JavaScript, in Chinese', js: true, locale: 'zh' },
] as const;

describe.each(runs)('access reviews $name', ({ js, locale }) => {
  it('sets reviews, answers the one that is due role by role, and sets the reset alert', async () => {
    const { fx, db } = e.t;
    const { t } = i18n(locale);
    const role = (r: string) => t(`rel.role.${r}` as MessageKey);
    // Each run starts from the demo relationship with every role and no review.
    await db.execute(sql`delete from access_reviews`);
    await db.execute(sql`delete from access_review_policies`);
    await db.execute(sql`update partner_relationships set roles = '{users,passwords,licenses,domains,admin_roles}' where id = ${fx.contosoDelegatedAdmin}`);

    const page = await e.page({ js, locale });
    await e.signIn(page, fx.emails.global);
    await page.goto('/settings/partner-relationships');
    await page.getByRole('button', { name: language[locale] }).click();
    await page.getByRole('link', { name: t('reviews.linkOf', { partner: 'Northwind Traders' }) }).click();
    await shows(page.getByRole('heading', { name: t('reviews.title', { partner: 'Northwind Traders' }) }));
    await shows(page.getByText(t('reviews.off')));
    if (js) await mark(page);
    await page.getByLabel(t('reviews.period.label')).selectOption('90');
    await page.getByLabel(t('reviews.option.end')).check();
    await page.getByRole('button', { name: t('reviews.settings.save') }).click();
    await shows(page.getByText(t('reviews.settings.saved')));
    expect(await page.getByLabel(t('reviews.option.end')).isChecked()).toBe(true);

    // 90 days on, the job opens the review; the page shows each role with its last use.
    await runReviews(db, new Date(Date.now() + 90 * DAY + 60_000), 'http://pd.example');
    await page.reload();
    await shows(page.getByRole('group', { name: role('passwords') }));
    await shows(page.getByText(t('reviews.neverUsed')));
    // Half an answer comes back with what was chosen.
    await page
      .getByRole('group', { name: role('domains') })
      .getByLabel(t('reviews.remove'))
      .check();
    if (js) await mark(page);
    await page.getByRole('button', { name: t('reviews.submit') }).click();
    await shows(page.locator('.error-summary'));
    expect(
      await page
        .getByRole('group', { name: role('domains') })
        .getByLabel(t('reviews.remove'))
        .isChecked(),
    ).toBe(true);
    for (const r of ['users', 'passwords', 'licenses', 'admin_roles']) {
      await page
        .getByRole('group', { name: role(r) })
        .getByLabel(t('reviews.keep'))
        .check();
    }
    await page.getByRole('button', { name: t('reviews.submit') }).click();
    await shows(page.getByText(t('reviews.answered')));
    await shows(page.getByText(t('reviews.noOpen')));
    if (js) expect(await marked(page)).toBe(true);
    const [rel] = await rows<{ roles: string[] }>(db, sql`select roles from partner_relationships where id = ${fx.contosoDelegatedAdmin}`);
    expect(rel.roles).toEqual(['users', 'passwords', 'licenses', 'admin_roles']);

    // The next review: Keep all.
    await db.execute(sql`update access_review_policies set next_due_at = now() where relationship_id = ${fx.contosoDelegatedAdmin}`);
    await runReviews(db, new Date(Date.now() + 60_000), 'http://pd.example');
    await page.reload();
    await page.getByRole('button', { name: t('reviews.keepAll') }).click();
    await shows(page.getByText(t('reviews.answered')));

    // Settings → Alerts: a mistyped limit comes back with its message and what was typed; a good one is saved.
    await page.goto('/settings/alerts');
    await page.getByLabel(t('alerts.settings.resetLimit')).fill('abc');
    await page.getByRole('button', { name: t('alerts.settings.save') }).click();
    await shows(page.getByText(t('alerts.settings.invalid')).first());
    expect(await page.getByLabel(t('alerts.settings.resetLimit')).inputValue()).toBe('abc');
    await page.getByLabel(t('alerts.settings.resetLimit')).fill('7');
    await page.getByRole('button', { name: t('alerts.settings.save') }).click();
    await shows(page.getByText(t('alerts.settings.saved')));
    expect(await page.getByLabel(t('alerts.settings.resetLimit')).inputValue()).toBe('7');
    await page.context().close();
  });
});
