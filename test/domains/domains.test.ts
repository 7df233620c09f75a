import { eq, isNotNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import * as s from '../../src/db/schema.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { newestAudit } from '../support/audit-log.ts';
import { startTestDns, type TestDns } from './dns-server.ts';

let t: TestApp;
let dns: TestDns;
beforeAll(async () => {
  dns = await startTestDns();
  t = await createTestApp({ DNS_SERVERS: dns.address });
});
afterAll(async () => {
  await t?.close();
  await dns?.close();
});

const domain = async (name: string) =>
  (
    await t.db
      .select({
        id: s.domains.id,
        txtToken: s.domains.txtToken,
        verified: isNotNull(s.domains.verifiedAt),
        isDefault: s.domains.isDefault,
        orgId: s.domains.orgId,
      })
      .from(s.domains)
      .where(eq(s.domains.name, name))
      .orderBy(s.domains.createdAt)
      .limit(1)
  )[0];

describe('domains of the organization', () => {
  it('every organization has its initial domain, verified and default; sign-up gives one too', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const page = await admin.get('/domains');
    expect(page.status).toBe(200);
    expect(page.queries).toBeLessThanOrEqual(3);
    expect(page.text).toContain('contosospzoo.partnerdesk.local');
    expect(page.text).toContain('Initial domain');
    const c = t.client();
    expect(
      (await c.post('/signup', { orgName: 'Żabka Foods', country: 'PL', name: 'Zoe', email: 'zoe@zabka.example', password: 'a-long-password' })).status,
    ).toBe(303);
    expect(await domain('abkafoods.partnerdesk.local')).toMatchObject({ verified: true, isDefault: true });
  });

  it('an added domain shows its TXT record, fails to verify saying what was found, verifies once served, becomes default and is removed', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const added = await admin.post('/domains', { name: 'Żółw.PL' });
    expect(added.status).toBe(303);
    const d = await domain('xn--w-uga1v8h.pl');
    const page = await admin.get('/domains');
    expect(page.text).toContain('żółw.pl');
    expect(page.text.replace(/<wbr\/>/g, '')).toContain(`<code class="token">partnerdesk-verification=${d.txtToken}</code>`);
    const none = await admin.post(`/domains/${d.id}/verify`, {}, { 'hx-request': 'true' });
    expect(none.status).toBe(409);
    expect(none.text).toContain('No TXT record was found');
    expect(none.text).toMatch(/^<tr id="domain-/);
    dns.txt.set('xn--w-uga1v8h.pl', ['v=spf1 -all']);
    const other = await admin.post(`/domains/${d.id}/verify`);
    expect(other.text).toContain('Found instead: v=spf1 -all');
    dns.txt.set('xn--w-uga1v8h.pl', ['v=spf1 -all', `partnerdesk-verification=${d.txtToken}`]);
    const ok = await admin.post(`/domains/${d.id}/verify`, {}, { 'hx-request': 'true' });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('The domain is verified.');
    expect((await domain('xn--w-uga1v8h.pl')).verified).toBe(true);
    expect((await admin.post(`/domains/${d.id}/default`)).status).toBe(303);
    expect((await domain('xn--w-uga1v8h.pl')).isDefault).toBe(true);
    const refused = await admin.post(`/domains/${d.id}/remove`);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('The default domain cannot be removed');
    const initial = await domain('contosospzoo.partnerdesk.local');
    expect((await admin.post(`/domains/${initial.id}/default`)).status).toBe(303);
    const removed = await admin.post(`/domains/${d.id}/remove`, {}, { 'hx-request': 'true' });
    expect(removed.status).toBe(200);
    expect(removed.text).toBe('');
    expect(await domain('xn--w-uga1v8h.pl')).toBeUndefined();
    const actions = await rows<{ action: string }>(t.db, sql`select action from audit_log where action like 'domain.%' order by id`);
    expect(actions.map((a) => a.action)).toEqual(['domain.added', 'domain.verified', 'domain.default_set', 'domain.default_set', 'domain.removed']);
  });

  it('a domain users’ addresses use cannot be removed, and the page says which users', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const d = await domain('contoso.example');
    const res = await admin.post(`/domains/${d.id}/remove`);
    expect(res.status).toBe(409);
    expect(res.text).toContain('Users’ addresses use this domain: Alex Admin, Bea Billing, Uma User');
    expect(await domain('contoso.example')).toBeDefined();
  });

  it('bad names come back with the message and the typed value; a name another organization verified is refused', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const bad = await admin.post('/domains', { name: 'not a domain' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Enter a domain name such as contoso.com.');
    expect(bad.text).toContain('value="not a domain"');
    const taken = await admin.post('/domains', { name: 'fabrikam.example' });
    expect(taken.status).toBe(422);
    expect(taken.text).toContain('Another organization has already verified this domain.');
  });

  it('another organization gets 404 for Contoso’s domain; a billing admin gets 403', async () => {
    const d = await domain('contoso.example');
    const other = await t.signedIn(t.fx.emails.otherOrg);
    expect((await other.post(`/domains/${d.id}/remove`)).status).toBe(404);
    expect((await other.post(`/domains/${d.id}/verify`)).status).toBe(404);
    const billing = await t.signedIn(t.fx.emails.billing);
    expect((await billing.get('/domains')).status).toBe(403);
  });
});

describe('navigation', () => {
  it('simplified view: Settings → Domains; dashboard: Settings → Domains and Users → Active users; a partner finds the customer’s domains', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const simple = (await admin.get('/')).text;
    expect(simple).toMatch(/Settings<\/li>[\s\S]*href="\/domains"/);
    await admin.post('/settings/view', { view: 'dashboard', back: '/' });
    const dash = (await admin.get('/')).text;
    expect(dash).toMatch(/Users<\/li>\s*<li><a href="\/users"[^>]*>Active users/);
    expect(dash).toMatch(/Settings<\/li>[\s\S]*href="\/domains"/);
    await admin.post('/settings/view', { view: 'simplified', back: '/' });
    const billing = (await (await t.signedIn(t.fx.emails.billing)).get('/')).text;
    expect(billing).not.toContain('href="/domains"');
    const partner = await t.signedIn(t.fx.emails.partner);
    expect((await partner.get(`/portal/customers/${t.fx.contoso}`)).text).toContain(`href="/portal/customers/${t.fx.contoso}/domains"`);
  });
});

describe('domains for a delegated-admin partner', () => {
  it('a partner holding "Domains" adds a domain on behalf of the customer; without it, 404', async () => {
    const partner = await t.signedIn(t.fx.emails.partner);
    const base = `/portal/customers/${t.fx.contoso}/domains`;
    expect((await partner.get(base)).text).toContain('You are acting for Contoso');
    expect((await partner.post(base, { name: 'partner-added.example' })).status).toBe(303);
    // The row names the person; the activity log names the partner from partner_org_id in the reader's language.
    expect((await newestAudit(t.db, 'domain.added')).actorName).toBe('Nadia Partner');
    await t.db.execute(sql`update partner_relationships set roles = '{users,passwords,licenses}' where id = ${t.fx.contosoDelegatedAdmin}`);
    expect((await partner.get(base)).status).toBe(404);
    expect((await partner.post(base, { name: 'again.example' })).status).toBe(404);
    expect((await partner.get(`/portal/customers/${t.fx.contoso}`)).status).toBe(200);
    await t.db.execute(sql`update partner_relationships set roles = '{users,passwords,licenses,domains,admin_roles}' where id = ${t.fx.contosoDelegatedAdmin}`);
  });
});
