import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import * as s from '../../src/db/schema.ts';
import { i18n } from '../../src/i18n/index.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { DAY } from '../../src/time.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const partial = { 'hx-request': 'true', 'hx-request-type': 'partial' };
const one = async <T>(q: ReturnType<typeof sql>) => (await rows<T>(t.db, q))[0];
const setRoles = (roles: string[]) =>
  t.db.execute(sql`update partner_relationships set roles = ${`{${roles.join(',')}}`}::text[] where id = ${t.fx.contosoDelegatedAdmin}`);

describe('partner portal: customers', () => {
  it('lists every customer with its relationship types, roles, status and dates, with the session in one statement', async () => {
    const partner = await t.signedIn(t.fx.emails.partner);
    const res = await partner.get('/portal');
    expect(res.status).toBe(200);
    expect(res.queries).toBe(1);
    for (const text of [
      'Contoso Sp. z o.o.',
      'Fabrikam Ltd.',
      'Reseller',
      'Delegated admin',
      'Partner of record',
      'Users, Passwords, Licenses',
      'Open admin center',
    ])
      expect(res.text).toContain(text);
  });

  it('searches by name and pages with a keyset, the same statements on every page', async () => {
    await t.db
      .execute(sql`with o as (insert into organizations (kind, name, country) select 'customer', 'Zeta ' || lpad(g::text, 2, '0'), 'PL' from generate_series(1, 30) g returning id)
      insert into partner_relationships (org_id, partner_org_id, type) select o.id, ${t.fx.northwind}, 'reseller' from o`);
    const partner = await t.signedIn(t.fx.emails.partner);
    const found = await partner.get('/portal?q=fabri');
    expect(found.text).toContain('Fabrikam Ltd.');
    expect(found.text).not.toContain('Contoso');
    const first = await partner.get('/portal?q=zeta');
    expect(first.text).toContain('Zeta 25');
    expect(first.text).not.toContain('Zeta 26');
    const next = first.text.match(/href="(\/portal\?q=zeta&amp;after=[^"]+)"/)![1].replace(/&amp;/g, '&');
    const second = await partner.get(next);
    expect(second.text).toContain('Zeta 26');
    expect(second.text).toContain('Zeta 30');
    expect(second.text).not.toContain('Zeta 25');
    expect(second.queries).toBe(1);
    expect(first.queries).toBe(1);
    expect((await partner.get('/portal?q=a&q=b')).status).toBe(400);
    const none = await partner.get('/portal?q=nobody-by-this-name');
    expect(none.text).toContain('No customer matches this search.');
    expect(none.queries).toBe(1);
    const swapped = await partner.get('/portal?q=zeta', partial);
    expect(swapped.text.startsWith('<section id="customers">')).toBe(true);
  });

  it('a partner may not end the partner of record (only the customer can)', async () => {
    const partner = await t.signedIn(t.fx.emails.partner);
    const res = await partner.post(`/portal/relationships/${t.fx.contosoAdvisor}/remove`);
    expect(res.status).toBe(403);
    expect((await one<{ status: string }>(sql`select status from partner_relationships where id = ${t.fx.contosoAdvisor}`)).status).toBe('active');
  });

  it('another partner gets 404 for Northwind relationships and customers', async () => {
    const adatum = await t.signedIn('partner@adatum.example');
    expect((await adatum.post(`/portal/relationships/${t.fx.contosoReseller}/remove`)).status).toBe(404);
    expect((await adatum.get(`/portal/customers/${t.fx.contoso}`)).status).toBe(404);
  });
});

describe('acting for a customer (delegated admin)', () => {
  const base = () => `/portal/customers/${t.fx.contoso}`;

  it('opens the customer admin center: users and licenses, in at most 3 statements', async () => {
    const partner = await t.signedIn(t.fx.emails.partner);
    const res = await partner.get(base());
    expect(res.status).toBe(200);
    expect(res.queries).toBeLessThanOrEqual(3);
    expect(res.text).toContain('Uma User');
    expect(res.text).toContain('You are acting for Contoso Sp. z o.o. as Northwind Traders');
    expect(res.text).toContain('Business Standard');
  });

  it('edits a user; the customer sees it in its activity log under the partner name', async () => {
    const partner = await t.signedIn(t.fx.emails.partner);
    const res = await partner.post(`${base()}/users/${t.fx.contosoUser}`, { name: 'Uma Renamed', email: 'user@contoso.example' }, partial);
    expect(res.status).toBe(200);
    expect(res.text.startsWith('<section id="user-profile">')).toBe(true);
    expect(res.queries).toBeLessThanOrEqual(3);
    const audit = await one<{ actor_name: string; partner_org_id: string }>(
      sql`select actor_name, partner_org_id from audit_log where action = 'user.updated' order by id desc limit 1`,
    );
    expect(audit).toEqual({ actor_name: 'Nadia Partner', partner_org_id: t.fx.northwind });
    const admin = await t.signedIn(t.fx.emails.global);
    const log = await admin.get(`/activity?partner=${t.fx.northwind}&action=user`);
    expect(log.text).toContain('Northwind Traders (Nadia Partner) edited the user Uma Renamed.');
  });

  it('a bad e-mail comes back with its message and what was typed (422), nothing written', async () => {
    const partner = await t.signedIn(t.fx.emails.partner);
    const res = await partner.post(`${base()}/users/${t.fx.contosoUser}`, { name: 'Typed Name', email: 'not-an-email' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Enter a valid e-mail address.');
    expect(res.text).toContain('value="Typed Name"');
    expect((await one<{ name: string }>(sql`select name from users where id = ${t.fx.contosoUser}`)).name).toBe('Uma Renamed');
  });

  it('resets a password, shown once, and the user signs in with it', async () => {
    const partner = await t.signedIn(t.fx.emails.partner);
    const res = await partner.post(`${base()}/users/${t.fx.contosoUser}/password`, {});
    expect(res.status).toBe(200);
    const password = res.text.match(/New password for Uma Renamed: ([a-z2-7]{16})/)![1];
    const c = t.client();
    expect((await c.post('/signin', { email: t.fx.emails.user, password })).status).toBe(303);
  });

  it('creates a user of role user', async () => {
    const partner = await t.signedIn(t.fx.emails.partner);
    const res = await partner.post(`${base()}/users`, { name: 'Newt Hire', email: 'newt@contoso.example', password: 'a-long-enough-password' });
    expect(res.status).toBe(303);
    const made = await one<{ role: string; org_id: string }>(sql`select role, org_id from users where email = 'newt@contoso.example'`);
    expect(made).toEqual({ role: 'user', org_id: t.fx.contoso });
    const taken = await partner.post(`${base()}/users`, { name: 'Again', email: 'newt@contoso.example' });
    expect(taken.status).toBe(422);
    expect(taken.text).toContain('An account with this e-mail already exists.');
  });

  it('assigns and removes licenses, never more than bought', async () => {
    const partner = await t.signedIn(t.fx.emails.partner);
    await t.db.execute(sql`update subscriptions set quantity = 1 where id = ${t.fx.contosoTrialSub}`);
    const assign = await partner.post(`${base()}/users/${t.fx.contosoUser}/licenses`, { subscriptionId: t.fx.contosoTrialSub, op: 'assign' }, partial);
    expect(assign.status).toBe(200);
    expect(assign.text.startsWith('<section id="user-licenses">')).toBe(true);
    expect(assign.queries).toBeLessThanOrEqual(3);
    const newt = (await one<{ id: string }>(sql`select id from users where email = 'newt@contoso.example'`)).id;
    const full = await partner.post(`${base()}/users/${newt}/licenses`, { subscriptionId: t.fx.contosoTrialSub, op: 'assign' });
    expect(full.status).toBe(422);
    expect(full.text).toContain('The only license of Business Basic is assigned.');
    const held = async () =>
      Number((await one<{ n: number }>(sql`select count(*) n from license_assignments where subscription_id = ${t.fx.contosoTrialSub}`)).n);
    expect(await held()).toBe(1);
    const removed = await partner.post(`${base()}/users/${t.fx.contosoUser}/licenses`, { subscriptionId: t.fx.contosoTrialSub, op: 'remove' });
    expect(removed.status).toBe(303);
    expect(await held()).toBe(0);
    const actions = await rows<{ action: string }>(t.db, sql`select action from audit_log where target_id = ${t.fx.contosoTrialSub} order by id`);
    expect(actions.map((a) => a.action)).toEqual(['license.assigned', 'license.removed']);
  });

  it('a partner granted only user management cannot touch licenses or passwords (403)', async () => {
    await setRoles(['users']);
    try {
      const partner = await t.signedIn(t.fx.emails.partner);
      const page = await partner.get(`${base()}/users/${t.fx.contosoUser}`);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('name="op"');
      expect(page.text).not.toContain('Reset password');
      const res = await partner.post(`${base()}/users/${t.fx.contosoUser}/licenses`, { subscriptionId: t.fx.contosoTrialSub, op: 'assign' });
      expect(res.status).toBe(403);
      expect((await partner.post(`${base()}/users/${t.fx.contosoUser}/password`, {})).status).toBe(403);
      expect(Number((await one<{ n: number }>(sql`select count(*) n from license_assignments where subscription_id = ${t.fx.contosoTrialSub}`)).n)).toBe(0);
      // What it was granted still works.
      expect((await partner.post(`${base()}/users/${t.fx.contosoUser}`, { name: 'Uma User', email: 'user@contoso.example' })).status).toBe(303);
    } finally {
      await setRoles(['users', 'passwords', 'licenses']);
    }
  });

  it('is 404 at once after the end date, although no job has marked it expired yet', async () => {
    await t.db.execute(
      sql`update partner_relationships set ends_at = ${new Date(t.clock.now.getTime() - 1000).toISOString()} where id = ${t.fx.contosoDelegatedAdmin}`,
    );
    try {
      const partner = await t.signedIn(t.fx.emails.partner);
      expect((await partner.get(base())).status).toBe(404);
      expect((await partner.post(`${base()}/users/${t.fx.contosoUser}`, { name: 'X', email: 'user@contoso.example' })).status).toBe(404);
    } finally {
      await t.db.execute(
        sql`update partner_relationships set ends_at = ${new Date(t.clock.now.getTime() + 100 * DAY).toISOString()} where id = ${t.fx.contosoDelegatedAdmin}`,
      );
    }
  });

  it('the partner loses access the moment the customer removes delegated admin', async () => {
    const partner = await t.signedIn(t.fx.emails.partner);
    expect((await partner.get(`${base()}/users/${t.fx.contosoUser}`)).status).toBe(200);
    const admin = await t.signedIn(t.fx.emails.global);
    expect((await admin.post(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/remove`)).status).toBe(303);
    for (const url of [base(), `${base()}/users/new`, `${base()}/users/${t.fx.contosoUser}`]) expect((await partner.get(url)).status).toBe(404);
    const res = await partner.post(`${base()}/users/${t.fx.contosoUser}/licenses`, { subscriptionId: t.fx.contosoTrialSub, op: 'assign' });
    expect(res.status).toBe(404);
    expect((await partner.get('/portal')).text).not.toContain(`/portal/customers/${t.fx.contoso}"`);
  });

  it('the reseller removes its reseller relationship: audit row, and e-mails to both sides', async () => {
    const partner = await t.signedIn(t.fx.emails.partner);
    const confirm = await partner.get(`/portal/relationships/${t.fx.contosoReseller}/remove`);
    expect(confirm.text).toContain('Remove Reseller for Northwind Traders?');
    const res = await partner.post(`/portal/relationships/${t.fx.contosoReseller}/remove`, {}, partial);
    expect(res.status).toBe(200);
    expect(res.text).toContain('The relationship has been ended.');
    expect((await one<{ status: string }>(sql`select status from partner_relationships where id = ${t.fx.contosoReseller}`)).status).toBe('ended');
    const audit = await one<{ actor_name: string; org_id: string }>(sql`select actor_name, org_id from audit_log where target_id = ${t.fx.contosoReseller}`);
    expect(audit).toEqual({ actor_name: 'Nadia Partner', org_id: t.fx.contoso });
    // Each side in its own language: Contoso's admin has chosen none, so Polish (Contoso is in Poland).
    const reseller = (['en', 'pl', 'zh'] as const).map((l) => i18n(l).t('rel.type.reseller'));
    const mails = (await t.db.select({ toAddress: s.outbox.toAddress, subject: s.outbox.subject }).from(s.outbox).orderBy(s.outbox.toAddress)).filter((m) =>
      reseller.some((label) => m.subject.startsWith(label)),
    );
    expect(mails.map((m) => m.toAddress)).toEqual(['admin@contoso.example', 'partner@northwind.example']);
    expect(mails[0].subject).toBe(
      i18n('pl').t('rel.mail.ended.subject', { type: i18n('pl').t('rel.type.reseller'), partner: 'Northwind Traders', customer: 'Contoso Sp. z o.o.' }),
    );
  });
});
