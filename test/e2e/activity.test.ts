/**
 * Activity log → Verify in a real browser, JavaScript on (htmx goes on page after page by itself) and
 * off (the "Continue checking" link), then a row changed in SQL named by the page.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothWays, shows, startE2E, type E2E } from './browser.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E({ VERIFY_PAGE_ROWS: '10' });
  await e.t.db.execute(sql`insert into audit_log (org_id, partner_org_id, actor_name, action, target_type, target_id)
    select ${e.t.fx.contoso}, ${e.t.fx.northwind}, 'Agent ' || g, 'license.assigned', 'subscription', 'sub-' || g from generate_series(1, 25) g`);
});
afterAll(() => e?.close());

describe('Verify the activity log', () => {
  it.each(bothWays)('checks the whole chain page by page $name', async ({ js }) => {
    const page = await e.page({ js });
    await e.signIn(page, e.t.fx.emails.global);
    await page.goto('/activity');
    await page.getByRole('link', { name: 'Verify that nothing was changed' }).click();
    await shows(page.getByRole('heading', { name: 'Verify the activity log' }));
    if (!js) {
      for (let i = 0; i < 5 && (await page.getByRole('link', { name: 'Continue checking' }).count()) > 0; i++) {
        await page.getByRole('link', { name: 'Continue checking' }).click();
      }
    }
    await shows(page.getByText(/^Intact: \d+ entries up to /));
    await shows(page.getByRole('heading', { name: 'Latest fingerprint' }));
  });

  it('names the entry changed in SQL', async () => {
    await e.t.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
      await tx.execute(sql`update audit_log set actor_name = 'Someone else' where org_id = ${e.t.fx.contoso} and chain_seq = 17`);
      await tx.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
    });
    const page = await e.page({ js: true });
    await e.signIn(page, e.t.fx.emails.global);
    await page.goto('/activity/verify');
    await shows(page.getByText(/^Changed at entry 17 \(/));
    expect(await page.getByText(/^Intact:/).count()).toBe(0);
  });
});
