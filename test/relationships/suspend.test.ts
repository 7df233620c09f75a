import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import { i18n } from '../../src/i18n/index.ts';
import { createTestApp, type Client, type TestApp } from '../support/app.ts';

const onPostgres = !!process.env.DATABASE_URL;
const PAGE = '/settings/partner-relationships';
const HX = { 'hx-request': 'true', 'hx-request-type': 'partial' };

let t: TestApp;
let admin: Client;
let partner: Client;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signedIn(t.fx.emails.global);
  partner = await t.signedIn(t.fx.emails.partner);
});
afterAll(() => t?.close());

const suspendUrl = (partnerOrgId: string) => `${PAGE}/partners/${partnerOrgId}/suspend`;
const resumeUrl = (partnerOrgId: string) => `${PAGE}/partners/${partnerOrgId}/resume`;
const suspendedAt = async () =>
  (await rows<{ at: Date | null }>(t.db, sql`select suspended_at as at from partner_relationships where id = ${t.fx.contosoDelegatedAdmin}`))[0].at;
const mailsSince = (id: number) =>
  rows<{ to: string; subject: string; body: string }>(t.db, sql`select to_address as "to", subject, body from outbox where id > ${id} order by id`);
const lastOutboxId = async () => Number((await rows<{ id: number }>(t.db, sql`select coalesce(max(id), 0)::int as id from outbox`))[0].id);
const actions = (action: string) =>
  rows<{ actor: string; partner: string }>(
    t.db,
    sql`select actor_name as actor, partner_org_id::text as partner from audit_log where action = ${action} and org_id = ${t.fx.contoso} order by id`,
  );
const contosoUserPage = () => `/portal/customers/${t.fx.contoso}/users/${t.fx.contosoUser}`;

describe('suspend, then resume, a partner’s delegated admin (issue 24 §4)', () => {
  it('a billing admin sees Suspend disabled with the reason and is refused a forced request', async () => {
    const billing = await t.signedIn(t.fx.emails.billing);
    const page = await billing.get(PAGE);
    expect(page.text).toMatch(/<button type="button" disabled="" aria-label="Suspend delegated admin of Northwind Traders" aria-describedby="why-suspend-/);
    expect(page.text).toContain('Only a global admin can suspend or resume delegated admin.');
    const res = await billing.post(suspendUrl(t.fx.northwind));
    expect(res.status).toBe(403);
    expect(await suspendedAt()).toBeNull();
  });

  it('the global admin confirms on a page (JavaScript off), and the partner is refused at once with a page naming both', async () => {
    const list = await admin.get(PAGE);
    expect(list.text).toContain(`action="${suspendUrl(t.fx.northwind)}"`);
    const confirm = await admin.get(suspendUrl(t.fx.northwind));
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Suspend delegated admin of Northwind Traders?');
    expect(confirm.text).toContain('(Users, Passwords, Licenses, Domains, Admin roles) to Contoso Sp. z o.o.');
    expect(confirm.text).toMatch(new RegExp(`<form method="post" action="${suspendUrl(t.fx.northwind)}"`));

    const before = await lastOutboxId();
    const res = await admin.post(suspendUrl(t.fx.northwind));
    expect(res.status).toBe(303);
    expect(res.location).toBe(PAGE);
    expect(res.queries).toBeLessThanOrEqual(3);
    expect(await suspendedAt()).not.toBeNull();
    const after = await admin.get(PAGE);
    expect(after.text).toContain('Delegated admin is suspended');
    expect(after.text).toContain('>Suspended</strong>');
    expect(after.text).toContain(`action="${resumeUrl(t.fx.northwind)}"`);

    // Both sides mailed, each in the recipient's language.
    const mails = await mailsSince(before);
    const recipients = await rows<{ email: string; locale: string | null }>(
      t.db,
      sql`select u.email, coalesce(u.locale, case o.country when 'PL' then 'pl' when 'CN' then 'zh' else 'en' end) as locale
        from users u join organizations o on o.id = u.org_id
        where (u.org_id = ${t.fx.contoso} and u.role = 'global_admin') or (u.org_id = ${t.fx.northwind} and u.role in ('partner_admin', 'partner_agent'))`,
    );
    expect(mails.map((m) => m.to).sort()).toEqual(recipients.map((r) => r.email).sort());
    for (const r of recipients) {
      const mail = mails.find((m) => m.to === r.email)!;
      const subject = i18n(r.locale as 'en').t('rel.suspend.mail.suspended.subject', { partner: 'Northwind Traders', customer: 'Contoso Sp. z o.o.' });
      expect(mail.subject).toBe(subject);
    }
    expect(await actions('relationship.suspended')).toHaveLength(1);

    // Every partner request for Contoso is refused: reads and writes, with the 403 page, in three statements at most.
    const page = await partner.get(`/portal/customers/${t.fx.contoso}`);
    expect(page.status).toBe(403);
    expect(page.text).toContain('Contoso Sp. z o.o. has suspended the access of Northwind Traders.');
    expect(page.queries).toBeLessThanOrEqual(3);
    const hash = (await rows<{ h: string }>(t.db, sql`select password_hash as h from users where id = ${t.fx.contosoUser}`))[0].h;
    const write = await partner.post(`${contosoUserPage()}/password`, { password: '' });
    expect(write.status).toBe(403);
    expect(write.queries).toBeLessThanOrEqual(3);
    expect((await rows<{ h: string }>(t.db, sql`select password_hash as h from users where id = ${t.fx.contosoUser}`))[0].h).toBe(hash);
    expect((await partner.get(`/portal/customers/${t.fx.contoso}/domains`)).status).toBe(403);
    // A write in a transaction (the license's lock first) is refused the same way.
    const license = await partner.post(`${contosoUserPage()}/licenses`, { subscriptionId: t.fx.contosoTrialSub, op: 'assign' });
    expect(license.status).toBe(403);
    expect(license.queries).toBeLessThanOrEqual(3);

    // The portal shows it, without the way in.
    const portal = await partner.get('/portal');
    expect(portal.text).toContain('Contoso Sp. z o.o. has suspended your delegated admin access.');
    expect(portal.text).not.toContain(`href="/portal/customers/${t.fx.contoso}"`);
    // Another customer's id is still a plain 404.
    expect((await partner.get(`/portal/customers/${t.fx.adatum}`)).status).toBe(404);
  });

  it('the refusal is in the partner person’s language', async () => {
    await partner.post('/language', { locale: 'pl', back: '/portal' });
    const page = await partner.get(`/portal/customers/${t.fx.contoso}/users`);
    expect(page.status).toBe(403);
    expect(page.text).toContain('Organizacja Contoso Sp. z o.o. zawiesiła dostęp firmy Northwind Traders.');
    await partner.post('/language', { locale: 'zh', back: '/portal' });
    expect((await partner.get(`/portal/customers/${t.fx.contoso}`)).text).toContain('Contoso Sp. z o.o. 已暂停 Northwind Traders 的访问权限。');
    await partner.post('/language', { locale: 'en', back: '/portal' });
  });

  it('suspending again answers that it is already suspended, and changes nothing', async () => {
    const before = await lastOutboxId();
    const res = await admin.post(suspendUrl(t.fx.northwind));
    expect(res.status).toBe(409);
    expect(res.text).toContain('Delegated admin of Northwind Traders is already suspended.');
    expect(res.text).toContain(`action="${resumeUrl(t.fx.northwind)}"`);
    const partial = await admin.post(suspendUrl(t.fx.northwind), {}, HX);
    expect(partial.status).toBe(409);
    expect(partial.text).toContain('<section id="partner-relationships">');
    expect(partial.text).toContain('is already suspended');
    expect(await mailsSince(before)).toHaveLength(0);
    expect(await actions('relationship.suspended')).toHaveLength(1);
  });

  it('the activity log says who suspended whom', async () => {
    const log = await admin.get('/activity');
    expect(log.text).toContain('suspended the delegated admin access of Northwind Traders.');
  });

  it('resume restores the same access without new consent; resuming again says it is not suspended', async () => {
    const before = await lastOutboxId();
    const res = await admin.post(resumeUrl(t.fx.northwind), {}, HX);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Delegated admin is resumed, with the same roles as before.');
    expect(res.queries).toBeLessThanOrEqual(3);
    expect(await suspendedAt()).toBeNull();
    expect((await mailsSince(before)).filter((m) => m.subject.includes('Northwind Traders')).length).toBeGreaterThanOrEqual(2);
    expect(await actions('relationship.resumed')).toHaveLength(1);
    expect((await partner.get(`/portal/customers/${t.fx.contoso}`)).status).toBe(200);
    expect((await partner.get('/portal')).text).toContain(`href="/portal/customers/${t.fx.contoso}"`);
    const again = await admin.post(resumeUrl(t.fx.northwind));
    expect(again.status).toBe(409);
    expect(again.text).toContain('Delegated admin of Northwind Traders is not suspended.');
  });

  it('a suspended delegated admin can still be ended, and is then no longer shown as suspended', async () => {
    expect((await admin.post(suspendUrl(t.fx.northwind))).status).toBe(303);
    const end = await admin.post(`${PAGE}/${t.fx.contosoDelegatedAdmin}/remove`);
    expect(end.status).toBe(303);
    const list = await admin.get(PAGE);
    expect(list.text).not.toContain('>Suspended</strong>');
    expect((await admin.get(suspendUrl(t.fx.northwind))).text).toContain('has no active delegated admin relationship');
    await t.db.execute(sql`update partner_relationships set status = 'active', ended_at = null, suspended_at = null where id = ${t.fx.contosoDelegatedAdmin}`);
  });

  it('a partner without active delegated admin answers plainly; an unknown partner is 404', async () => {
    const page = await admin.get(suspendUrl(t.fx.adatum));
    expect(page.status).toBe(200);
    expect(page.text).toContain('Adatum Consulting has no active delegated admin relationship with Contoso Sp. z o.o.: it has ended or expired.');
    expect(page.text).not.toContain('Yes, suspend');
    const res = await admin.post(suspendUrl(t.fx.adatum));
    expect(res.status).toBe(409);
    expect((await admin.post(suspendUrl(t.fx.contoso))).status).toBe(404);
    expect((await admin.get(suspendUrl('00000000-0000-4000-8000-000000000000'))).status).toBe(404);
  });
});

describe.skipIf(!onPostgres)('a suspend racing a partner write has one outcome (PostgreSQL only)', () => {
  it('a partner write waits for a suspend in progress and is then refused', async () => {
    const hash = async () => (await rows<{ h: string }>(t.db, sql`select password_hash as h from users where id = ${t.fx.contosoUser}`))[0].h;
    const was = await hash();
    let write: Promise<{ status: number }> | undefined;
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`update partner_relationships set suspended_at = now() where id = ${t.fx.contosoDelegatedAdmin}`);
      write = partner.post(`${contosoUserPage()}/password`, { password: '' });
      // The write is now waiting on the relationship row (the grant's share lock).
      await new Promise((r) => setTimeout(r, 300));
    });
    expect((await write!).status).toBe(403);
    expect(await hash()).toBe(was);
    await t.db.execute(sql`update partner_relationships set suspended_at = null where id = ${t.fx.contosoDelegatedAdmin}`);
  });

  it('in a free race, no partner action is recorded after the suspension', async () => {
    for (let round = 0; round < 3; round++) {
      const writes = Array.from({ length: 4 }, () => partner.post(`${contosoUserPage()}/password`, { password: '' }));
      await new Promise((r) => setTimeout(r, round * 15));
      const [suspend, ...done] = await Promise.all([admin.post(suspendUrl(t.fx.northwind)), ...writes]);
      expect(suspend.status).toBe(303);
      for (const w of done) expect([200, 403]).toContain(w.status);
      const [order] = await rows<{ late: number }>(
        t.db,
        sql`select count(*)::int as late from audit_log a where a.org_id = ${t.fx.contoso} and a.action = 'user.password_reset'
          and a.chain_seq > (select max(chain_seq) from audit_log s where s.org_id = ${t.fx.contoso} and s.action = 'relationship.suspended')`,
      );
      expect(order.late).toBe(0);
      const resumed = await admin.post(resumeUrl(t.fx.northwind));
      expect(resumed.status).toBe(303);
    }
  });
});
