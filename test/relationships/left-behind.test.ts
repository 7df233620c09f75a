/**
 * Issue 23 §2: nothing left behind by a partner. A partner never grants the global admin role; every
 * account it creates and role it grants records the partner, its person and the relationship; when
 * delegated admin ends (ended by either side, or expired by the job) the customer's global admins get the
 * list on the relationship's page and in the end mail, in their language, with one action each and one for
 * all: one statement each, audited, JavaScript off (redirect) and htmx (the section swapped).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import { runExpiryJob } from '../../src/relationships/expiry.ts';
import { DAY } from '../../src/time.ts';
import { createTestApp, type Client, type TestApp } from '../support/app.ts';

let t: TestApp;
let admin: Client;
const htmx = { 'hx-request': 'true', 'hx-request-type': 'partial' };
const userId = async (email: string) => (await rows<{ id: string }>(t.db, sql`select id from users where email = ${email}`))[0].id;
const mailTo = (to: string) =>
  rows<{ subject: string; body: string }>(t.db, sql`select subject, body from outbox where to_address = ${to} order by id desc limit 1`);

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signedIn(t.fx.emails.global);
}, 60_000);
afterAll(() => t?.close());

describe('a partner leaves nothing behind (ended by the customer)', () => {
  const portal = () => `/portal/customers/${t.fx.contoso}/users`;
  let eve: string;

  it('a partner never makes anyone a global admin, and is not offered it', async () => {
    const partner = await t.signedIn(t.fx.emails.partner);
    const page = await partner.get(`${portal()}/${t.fx.contosoUser}`);
    expect(page.text).toContain('name="role" value="billing_admin"');
    expect(page.text).not.toContain('value="global_admin"');
    const res = await partner.post(`${portal()}/${t.fx.contosoUser}/roles`, { role: 'global_admin' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('own global admins can grant the global admin role');
    const [{ role }] = await rows<{ role: string }>(t.db, sql`select role from users where id = ${t.fx.contosoUser}`);
    expect(role).toBe('user');
    // Nor on a global admin: no form on their page, and the server refuses.
    const adminId = await userId(t.fx.emails.global);
    expect((await partner.get(`${portal()}/${adminId}`)).text).not.toContain(`/users/${adminId}/roles"`);
    expect((await partner.post(`${portal()}/${adminId}/roles`, { role: 'user' })).status).toBe(403);
  });

  it('records who created each account and granted each role', async () => {
    const partner = await t.signedIn(t.fx.emails.partner);
    expect((await partner.post(portal(), { name: 'Eve Example', email: 'eve@contoso.example', password: 'a-long-enough-password' })).status).toBe(303);
    eve = await userId('eve@contoso.example');
    expect((await partner.post(`${portal()}/${eve}/roles`, { role: 'billing_admin', adminRoles: 'licenses' })).status).toBe(303);
    expect((await partner.post(`${portal()}/${t.fx.contosoUser}/roles`, { role: 'user', adminRoles: 'passwords' })).status).toBe(303);
    const nadia = await userId(t.fx.emails.partner);
    const [made] = await rows(
      t.db,
      sql`select created_by_partner_org_id as partner, created_by_user_id as person, created_in_relationship_id as rel from users where id = ${eve}`,
    );
    expect(made).toEqual({ partner: t.fx.northwind, person: nadia, rel: t.fx.contosoDelegatedAdmin });
    const grants = await rows(
      t.db,
      sql`select u.email, g.role, g.partner_org_id as partner, g.granted_by_user_id as person, g.relationship_id as rel
        from role_grants g join users u on u.id = g.user_id order by u.email, g.role`,
    );
    expect(grants).toEqual([
      { email: 'eve@contoso.example', role: 'billing_admin', partner: t.fx.northwind, person: nadia, rel: t.fx.contosoDelegatedAdmin },
      { email: 'eve@contoso.example', role: 'licenses', partner: t.fx.northwind, person: nadia, rel: t.fx.contosoDelegatedAdmin },
      { email: 'user@contoso.example', role: 'passwords', partner: t.fx.northwind, person: nadia, rel: t.fx.contosoDelegatedAdmin },
    ]);
    // An account the organization's own admin creates records no partner.
    expect((await admin.post('/users', { name: 'Own Olga', email: 'olga@contoso.example', password: 'a-long-enough-password' })).status).toBe(303);
    const [own] = await rows(t.db, sql`select created_by_partner_org_id as partner from users where email = 'olga@contoso.example'`);
    expect(own).toEqual({ partner: null });
  });

  it('while the relationship is active the page lists them without actions', async () => {
    const page = await admin.get(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Eve Example');
    expect(page.text).not.toContain('/left-behind/');
    const early = await admin.post(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/left-behind/all`);
    expect(early.status).toBe(409);
  });

  it('ending it mails the customer’s global admins the list, in their language; the partner’s admins get no list', async () => {
    expect((await admin.post(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/remove`)).status).toBe(303);
    const [customerMail] = await mailTo(t.fx.emails.global);
    expect(customerMail.body).toContain('- Eve Example (eve@contoso.example)');
    expect(customerMail.body).toContain('Nadia Partner');
    expect(customerMail.body).toMatch(/Uma User: (Passwords|Hasła|密码)/);
    const [partnerMail] = await mailTo(t.fx.emails.partner);
    expect(partnerMail.body).not.toContain('eve@contoso.example');
    // Each recipient's language: the same list in Polish for a Polish reader.
    await t.db.execute(sql`update users set locale = 'pl' where email = ${t.fx.emails.global}`);
  });

  it('the page offers one action each and one for all; JavaScript off, a disable redirects and is audited', async () => {
    const page = await admin.get(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}`);
    expect(page.text).toContain(`/left-behind/accounts/${eve}/disable`);
    expect(page.text).toContain('/left-behind/all');
    expect(page.text.match(/ action="[^"]*\/left-behind\/grants\/[0-9a-f-]+\/remove"/g)).toHaveLength(3);
    // The ended list links to it.
    expect((await admin.get(`/settings/partner-relationships/partners/${t.fx.northwind}/ended`)).text).toContain(
      `href="/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}"`,
    );
    const eveClient = await t.signedIn('eve@contoso.example').catch(() => null);
    const res = await admin.post(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/left-behind/accounts/${eve}/disable`);
    expect(res.status).toBe(303);
    expect(res.queries).toBeLessThanOrEqual(3);
    const [state] = await rows(
      t.db,
      sql`select disabled_at is not null as disabled, (select count(*)::int from sessions where user_id = ${eve}) as sessions from users where id = ${eve}`,
    );
    expect(state).toEqual({ disabled: true, sessions: 0 });
    if (eveClient) expect((await eveClient.get('/')).status).toBe(303);
    const c = t.client();
    expect((await c.post('/signin', { email: 'eve@contoso.example', password: 'a-long-enough-password' })).status).not.toBe(303);
    const [audit] = await rows<{ action: string; actor: string }>(
      t.db,
      sql`select action, actor_name as actor from audit_log where target_id = ${eve} order by id desc limit 1`,
    );
    expect(audit).toEqual({ action: 'user.disabled', actor: 'Alex Admin' });
    const after = await admin.get(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}`);
    expect(after.text).toContain('Gotowe');
    expect(after.text).not.toContain(`/left-behind/accounts/${eve}/disable`);
  });

  it('with htmx, removing one role swaps the section; "do all" removes the rest, within three statements', async () => {
    const [grant] = await rows<{ id: string }>(t.db, sql`select g.id from role_grants g where g.user_id = ${t.fx.contosoUser}`);
    const res = await admin.post(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/left-behind/grants/${grant.id}/remove`, {}, htmx);
    expect(res.status).toBe(200);
    expect(res.text.startsWith('<section id="left-behind"')).toBe(true);
    expect(res.queries).toBeLessThanOrEqual(3);
    const [uma] = await rows<{ roles: string[] }>(t.db, sql`select admin_roles as roles from users where id = ${t.fx.contosoUser}`);
    expect(uma.roles).toEqual([]);
    const all = await admin.post(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/left-behind/all`, {}, htmx);
    expect(all.status).toBe(200);
    expect(all.queries).toBeLessThanOrEqual(3);
    expect(all.text).not.toContain('/left-behind/all');
    const [e] = await rows(t.db, sql`select role, admin_roles as roles from users where id = ${eve}`);
    expect(e).toEqual({ role: 'user', roles: [] });
    const removed = await rows<{ role: string }>(
      t.db,
      sql`select after->>'role' as role from audit_log where action = 'user.role_removed' and after->>'leftBehind' = 'true' order by after->>'role'`,
    );
    expect(removed.map((r) => r.role)).toEqual(['billing_admin', 'licenses', 'passwords']);
    // Nothing left: a second "do all" changes nothing and says so.
    const again = await admin.post(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/left-behind/all`);
    expect(again.status).toBe(303);
  });

  it('billing admins see the page but not the actions; another organization gets 404', async () => {
    const billing = await t.signedIn(t.fx.emails.billing);
    const page = await billing.get(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('/left-behind/');
    expect((await billing.post(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/left-behind/all`)).status).toBe(403);
    const other = await t.signedIn(t.fx.emails.otherOrg);
    expect((await other.get(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}`)).status).toBe(404);
    expect((await other.post(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/left-behind/all`)).status).toBe(404);
  });
});

describe('a partner leaves nothing behind (expired by the job)', () => {
  it('the expiry mail lists what the partner left, in the reader’s language, and the page acts on it', async () => {
    // Adatum gets delegated admin for Contoso for a day; its admin creates an account and grants a role.
    const [rel] = await rows<{ id: string }>(
      t.db,
      sql`insert into partner_relationships (org_id, partner_org_id, type, roles, ends_at)
        values (${t.fx.contoso}, ${t.fx.adatum}, 'delegated_admin', '{users,passwords,licenses,admin_roles}', now() + interval '1 day') returning id`,
    );
    const adatum = await t.signedIn('partner@adatum.example');
    const base = `/portal/customers/${t.fx.contoso}/users`;
    expect((await adatum.post(base, { name: 'Zed Zeta', email: 'zed@contoso.example', password: 'a-long-enough-password' })).status).toBe(303);
    const zed = await userId('zed@contoso.example');
    expect((await adatum.post(`${base}/${zed}/roles`, { role: 'user', adminRoles: 'users' })).status).toBe(303);
    await t.db.execute(sql`update users set locale = 'zh' where email = ${t.fx.emails.global}`);
    t.clock.now = new Date(Date.now() + 2 * DAY);
    await runExpiryJob(t.db, t.clock.now);
    const [mail] = await mailTo(t.fx.emails.global);
    expect(mail.body).toContain('- Zed Zeta（zed@contoso.example）');
    expect(mail.body).toContain('用户');
    const page = await admin.get(`/settings/partner-relationships/${rel.id}`);
    expect(page.text).toContain(`/left-behind/accounts/${zed}/disable`);
    expect((await admin.post(`/settings/partner-relationships/${rel.id}/left-behind/all`)).status).toBe(303);
    const [z] = await rows(t.db, sql`select disabled_at is not null as disabled, admin_roles as roles from users where id = ${zed}`);
    expect(z).toEqual({ disabled: true, roles: [] });
    t.clock.now = new Date();
  });
});
