import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const DAY = 86_400_000;
const statusOf = async (id: string) => (await rows<{ status: string }>(t.db, sql`select status from partner_relationships where id = ${id}`))[0].status;
const count = async (q: ReturnType<typeof sql>) => Number((await rows<{ n: number }>(t.db, q))[0].n);

describe('Settings → Partner relationships', () => {
  it('lists every partner with its relationship types, roles, status and recent activity, in at most 3 statements', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const res = await admin.get('/settings/partner-relationships');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Northwind Traders');
    expect(res.text).toContain('Adatum Consulting');
    expect(res.text).toContain('Reseller');
    expect(res.text).toContain('Delegated admin');
    expect(res.text).toContain('Partner of record');
    expect(res.text).toContain('Users, Passwords, Licenses');
    expect(res.queries).toBeLessThanOrEqual(3);
  });

  it('shows the reseller Remove disabled with the reason', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const res = await admin.get('/settings/partner-relationships');
    expect(res.text).toMatch(/<button type="button" class="danger" disabled="" aria-describedby="why-[^"]+">Remove<\/button>/);
    expect(res.text).toContain('Only the reseller can end this relationship. Ask Northwind Traders to remove it.');
    expect(res.text).not.toContain(`/settings/partner-relationships/${t.fx.contosoReseller}/remove`);
  });

  it('refuses a forced request to remove the reseller and changes nothing', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const outbox = await count(sql`select count(*) n from outbox`);
    const res = await admin.post(`/settings/partner-relationships/${t.fx.contosoReseller}/remove`);
    expect(res.status).toBe(403);
    expect(res.text).toContain('Only the reseller can end a reseller relationship');
    expect(await statusOf(t.fx.contosoReseller)).toBe('active');
    expect(await count(sql`select count(*) n from outbox`)).toBe(outbox);
    const partial = await admin.post(`/settings/partner-relationships/${t.fx.contosoReseller}/remove`, {}, { 'hx-request': 'true', 'hx-request-type': 'partial' });
    expect(partial.status).toBe(403);
    expect(partial.text).toContain('<section id="partner-relationships">');
  });

  it('a billing admin may not end delegated admin', async () => {
    const billing = await t.signedIn(t.fx.emails.billing);
    const page = await billing.get('/settings/partner-relationships');
    expect(page.text).toContain('Only a global admin can end delegated admin.');
    const res = await billing.post(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/remove`);
    expect(res.status).toBe(403);
    expect(await statusOf(t.fx.contosoDelegatedAdmin)).toBe('active');
  });

  it('another organization gets 404 for Contoso relationships', async () => {
    const other = await t.signedIn(t.fx.emails.otherOrg);
    expect((await other.get(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/remove`)).status).toBe(404);
    expect((await other.post(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/remove`)).status).toBe(404);
    expect(await statusOf(t.fx.contosoDelegatedAdmin)).toBe('active');
  });

  it('exports the relationships as streamed CSV', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const res = await admin.get('/settings/partner-relationships.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const lines = res.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('Partner,Partner ID,Relationship,Roles,Status,Started,Ends,Ended');
    expect(lines).toHaveLength(5);
    expect(lines.some((l) => l.startsWith('Northwind Traders,1000001,Delegated admin,Users; Passwords; Licenses; Domains; Admin roles,Active'))).toBe(true);
  });

  it('shows "expires soon" for delegated admin ending within 30 days, and expired after the end date', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const endsIn = (days: number) => t.db.execute(sql`update partner_relationships set ends_at = ${new Date(t.clock.now.getTime() + days * DAY).toISOString()} where id = ${t.fx.contosoDelegatedAdmin}`);
    try {
      await endsIn(10);
      expect((await admin.get('/settings/partner-relationships')).text).toContain('Expires soon');
      await endsIn(-1);
      const after = await admin.get('/settings/partner-relationships');
      expect(after.text).not.toContain('Expires soon');
      expect(after.text).toContain('Expired');
      expect(after.text).not.toContain(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/remove`);
    } finally {
      await endsIn(165);
    }
  });

  it('a global admin removes delegated admin after confirming: audited and both sides e-mailed', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const confirm = await admin.get(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/remove`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Remove Delegated admin for Northwind Traders?');
    const res = await admin.post(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/remove`);
    expect(res.status).toBe(303);
    expect(res.location).toBe('/settings/partner-relationships');
    expect(await statusOf(t.fx.contosoDelegatedAdmin)).toBe('ended');
    const audit = await rows<{ action: string; partner_org_id: string }>(t.db, sql`select action, partner_org_id from audit_log where target_id = ${t.fx.contosoDelegatedAdmin}`);
    expect(audit).toEqual([{ action: 'relationship.ended', partner_org_id: t.fx.northwind }]);
    const mails = await rows<{ to_address: string }>(t.db, sql`select to_address from outbox where subject like 'Delegated admin:%' order by to_address`);
    expect(mails.map((m) => m.to_address)).toEqual(['admin@contoso.example', 'partner@northwind.example']);
    const page = await admin.get('/settings/partner-relationships');
    expect(page.text).toContain('The relationship has been ended.');
    // Ending it twice changes nothing more.
    await admin.post(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/remove`);
    expect(await count(sql`select count(*) n from audit_log where target_id = ${t.fx.contosoDelegatedAdmin}`)).toBe(1);
  });

  it('a billing admin removes the partner of record: the subscriptions lose it in the same transaction (htmx swaps the list)', async () => {
    const billing = await t.signedIn(t.fx.emails.billing);
    const res = await billing.post(`/settings/partner-relationships/${t.fx.contosoAdvisor}/remove`, {}, { 'hx-request': 'true', 'hx-request-type': 'partial' });
    expect(res.status).toBe(200);
    expect(res.text.startsWith('<section id="partner-relationships">')).toBe(true);
    expect(res.text).toContain('The relationship has been ended.');
    expect(res.queries).toBeLessThanOrEqual(3);
    expect(await statusOf(t.fx.contosoAdvisor)).toBe('ended');
    const [sub] = await rows<{ partner_org_id: string | null; version: number }>(t.db, sql`select partner_org_id, version from subscriptions where id = ${t.fx.contosoResoldSub}`);
    expect(sub).toEqual({ partner_org_id: null, version: 2 });
    expect(await count(sql`select count(*) n from audit_log where action = 'subscription.partner_of_record.removed' and target_id = ${t.fx.contosoResoldSub}`)).toBe(1);
  });

  it('a new organization sees "You don\'t have a partner yet."', async () => {
    const c = t.client();
    await c.get('/signup');
    const made = await c.post('/signup', { orgName: 'Lonely Co', country: 'PL', name: 'Lo Nely', email: 'lo@lonely.example', password: 'a-long-enough-password' });
    expect(made.status).toBe(303);
    const res = await c.get('/settings/partner-relationships');
    expect(res.text).toContain("You don&#39;t have a partner yet.");
  });
});
