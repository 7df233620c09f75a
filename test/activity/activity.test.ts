import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  // 120 partner actions, one with a name a spreadsheet would run as a formula.
  await t.db.execute(sql`insert into audit_log (org_id, partner_org_id, actor_name, action, target_type, target_id)
    select ${t.fx.contoso}, ${t.fx.northwind}, case when g = 1 then '=HYPERLINK("evil")' else 'Agent ' || g end, 'license.assigned', 'subscription', 'sub-' || g
    from generate_series(1, 120) g`);
});
afterAll(() => t?.close());

describe('activity log', () => {
  it('is newest first and keyset-paginated with the same statements on every page', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const first = await admin.get('/activity?action=license');
    expect(first.status).toBe(200);
    expect(first.text).toContain('Agent 120');
    expect(first.text.indexOf('Agent 120')).toBeLessThan(first.text.indexOf('Agent 119'));
    expect(first.text).not.toContain('Agent 70');
    const older = first.text.match(/href="(\/activity\?action=license&amp;before=\d+)"/)![1].replace(/&amp;/g, '&');
    const second = await admin.get(older);
    expect(second.text).toContain('Agent 70');
    expect(second.text).not.toContain('Agent 71<');
    // The session, the page of entries and the partners to filter by: one statement (auth/session-read.ts).
    expect(first.queries).toBe(1);
    expect(second.queries).toBe(1);
    const swapped = await admin.get(older, { 'hx-request': 'true' });
    expect(swapped.text).toContain('Agent 70');
    expect(swapped.queries).toBe(1);
  });

  it('filters by partner and by action', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const byAdatum = await admin.get(`/activity?partner=${t.fx.adatum}`);
    expect(byAdatum.text).toContain('Nothing has been recorded for this filter.');
    const signIns = await admin.get('/activity?action=user');
    expect(signIns.text).toMatch(/ signed in\.</);
    expect(signIns.text).not.toContain('Agent 120');
    const swapped = await admin.get('/activity?action=user', { 'hx-request': 'true', 'hx-request-type': 'partial' });
    expect(swapped.text.startsWith('<section id="activity-log">')).toBe(true);
    expect((await admin.get('/activity?partner=not-a-uuid')).status).toBe(400);
    expect((await admin.get('/activity?action=user&action=license')).status).toBe(400);
  });

  it('exports as a streamed CSV with every row, formulas defused', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const res = await admin.get(`/activity.csv?partner=${t.fx.northwind}`);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="activity.csv"');
    const lines = res.text.trim().split('\r\n');
    expect(lines).toHaveLength(121);
    // The same header style and date format as every export: translated names, ISO 8601 in UTC.
    expect(lines[0].replace(/^\uFEFF/, '').split(',')[0]).toBe('When (UTC)');
    expect(lines[1].split(',')[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(res.text).toContain(`"'=HYPERLINK(""evil"")"`);
  });

  it('another organization sees its own activity and none of Contoso’s, on the page and in the CSV', async () => {
    await t.db.execute(sql`insert into audit_log (org_id, actor_name, action, target_type, target_id)
      values (${t.fx.fabrikam}, 'Fabian Fabrikam', 'license.assigned', 'subscription', 'fabrikam-sub')`);
    const other = await t.signedIn(t.fx.emails.otherOrg);
    // Signing in is itself an activity of the organization, so it is counted after.
    const own = Number((await rows<{ n: number }>(t.db, sql`select count(*) n from audit_log where org_id = ${t.fx.fabrikam}`))[0].n);
    const page = await other.get('/activity');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Fabian Fabrikam');
    expect(page.text).not.toContain('Agent 1');
    const csv = await other.get('/activity.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = csv.text.trim().split('\r\n');
    expect(lines).toHaveLength(1 + own);
    expect(lines.some((l) => l.includes('Fabian Fabrikam'))).toBe(true);
    expect(lines.some((l) => l.includes('Agent'))).toBe(false);
  });

  it("reads as sentences in the viewer's language, at the time of the viewer's zone, with the code kept in the CSV", async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    expect((await admin.post('/settings/preferences', { locale: 'pl', timeZone: 'Asia/Shanghai' })).status).toBe(303);
    await t.db.execute(sql`insert into audit_log (org_id, partner_org_id, actor_user_id, actor_name, action, target_type, target_id, after, created_at)
      select ${t.fx.contoso}, ${t.fx.northwind}, u.id, u.name, 'user.created', 'user', ${t.fx.contosoUser}, '{"name": "Uma User"}', '2026-03-05T23:30:00Z'
      from users u where u.email = ${t.fx.emails.partner}`);
    const page = await admin.get('/activity?action=user');
    const [{ name }] = await rows<{ name: string }>(t.db, sql`select name from users where email = ${t.fx.emails.partner}`);
    expect(page.text).toContain(`Northwind Traders (${name}): utworzono użytkownika Uma User.`);
    // 23:30 UTC is 07:30 the next morning in Shanghai.
    expect(page.text).toMatch(/6 mar 2026, 07:30/);
    expect(page.text).not.toContain('user.created');
    const csv = await admin.get('/activity.csv?action=user');
    const row = csv.text.split('\r\n').find((l) => l.includes('user.created'))!;
    expect(row).toContain('utworzono użytkownika Uma User');
    expect(row).toContain('2026-03-05T23:30:00.000Z');
  });
});
