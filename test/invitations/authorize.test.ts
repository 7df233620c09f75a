import { i18n } from '../../src/i18n/index.ts';
import { gzipSync } from 'node:zlib';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../src/db/schema.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { DAY } from '../../src/time.ts';
import { createLinkAs, newCustomer, relationshipsOf, snapshot } from './helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('the authorization page', () => {
  it('signed out, shows the partner, what it asks for, its terms and the offer, with sign-in and sign-up that come back', async () => {
    const { token } = await createLinkAs(t, t.fx.emails.partner, { email: 'someone@example.com' });
    const res = await t.client().get(`/authorize/${token}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Northwind Traders asks to become your partner');
    expect(res.text).toContain('Partner ID 1000001');
    expect(res.text).toContain('Delegated admin for 90 days');
    expect(res.text).toContain('Roles: Users, Passwords');
    expect(res.text).toContain('Reseller:');
    expect(res.text).toContain('30-day trial of Business Premium, 5 licenses');
    expect(res.text).toContain('We answer within one business day.');
    expect(res.text).toContain(`href="/signin?next=%2Fauthorize%2F${token}"`);
    expect(res.text).toContain(`name="next" value="/authorize/${token}"`);
    expect(res.text).toContain('value="someone@example.com"');
    expect(res.queries).toBeLessThanOrEqual(3);
    expect(gzipSync(res.text).length).toBeLessThanOrEqual(14 * 1024);
  });

  it('a global admin authorizes: delegated admin with its roles and end date, reseller and the trial, in one go', async () => {
    const customer = await newCustomer(t, 'founder@tailwind.example');
    const { token, id } = await createLinkAs(t, t.fx.emails.partner, { email: 'founder@tailwind.example' });
    const page = await customer.client.get(`/authorize/${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Authorize Northwind Traders as delegated admin?');
    expect(page.queries).toBeLessThanOrEqual(3);

    const step2 = await customer.client.post(`/authorize/${token}`, { step: '1', delegatedAdmin: 'yes' });
    expect(step2.status).toBe(200);
    expect(step2.text).toContain('Start the trial of Business Premium');
    expect(await relationshipsOf(t, customer.orgId)).toHaveLength(0);

    const done = await customer.client.post(`/authorize/${token}`, { step: '2', delegatedAdmin: 'yes', takeOffer: 'yes' });
    expect(done.status).toBe(303);
    expect(done.queries).toBeLessThanOrEqual(3);
    const after = await customer.client.get(done.location!);
    expect(after.status).toBe(200);
    expect(after.text).toContain('You authorized Northwind Traders');

    const rels = await relationshipsOf(t, customer.orgId);
    const da = rels.find((r) => r.type === 'delegated_admin')!;
    expect(da).toMatchObject({
      partnerOrgId: t.fx.northwind,
      status: 'active',
      roles: ['users', 'passwords'],
      invitationId: id,
      authorizedByUserId: customer.userId,
    });
    expect(Math.round((da.endsAt!.getTime() - t.clock.now.getTime()) / DAY)).toBe(90);
    expect(rels.find((r) => r.type === 'reseller')).toMatchObject({ partnerOrgId: t.fx.northwind, status: 'active' });
    const subs = await t.db.select().from(s.subscriptions).where(eq(s.subscriptions.orgId, customer.orgId));
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({ productId: 'business-premium', quantity: 5, status: 'trial' });
    const [link] = await t.db.select().from(s.invitations).where(eq(s.invitations.id, id));
    expect(link.acceptedOrgId).toBe(customer.orgId);
    const audit = await t.db.select().from(s.auditLog).where(eq(s.auditLog.orgId, customer.orgId));
    expect(audit.map((a) => a.action).sort()).toEqual(
      [
        'invitation.accepted',
        'organization.created',
        'partner_relationship.authorized',
        'partner_relationship.authorized',
        'subscription.created',
        'user.signed_in',
      ].sort(),
    );
    const toCustomer = await t.db.select().from(s.outbox).where(eq(s.outbox.toAddress, 'founder@tailwind.example'));
    expect(toCustomer.map((m) => m.subject)).toContain('You authorized Northwind Traders');
    // The partner reads its own language: Northwind's admin has chosen none, and Northwind is in China.
    const toPartnerSubject = i18n('zh').t('links.mail.accepted.partner.subject', { customer: 'Org of founder@tailwind.example' });
    const toPartner = await t.db
      .select()
      .from(s.outbox)
      .where(and(eq(s.outbox.toAddress, t.fx.emails.partner), eq(s.outbox.subject, toPartnerSubject)));
    expect(toPartner).toHaveLength(1);
  });

  it('with htmx, each step answers only the authorization section', async () => {
    const customer = await newCustomer(t, 'htmx@tailwind.example');
    const { token } = await createLinkAs(t, t.fx.emails.partner, { email: 'htmx@tailwind.example' });
    const hx = { 'hx-request': 'true', 'hx-request-type': 'partial' };
    const step2 = await customer.client.post(`/authorize/${token}`, { step: '1', delegatedAdmin: 'yes' }, hx);
    expect(step2.text.startsWith('<section id="authorize"')).toBe(true);
    const done = await customer.client.post(`/authorize/${token}`, { step: '2', delegatedAdmin: 'yes', takeOffer: 'yes' }, hx);
    expect(done.status).toBe(200);
    expect(done.text.startsWith('<section id="authorize"')).toBe(true);
    expect(done.text).toContain('You authorized Northwind Traders');
    expect(await relationshipsOf(t, customer.orgId)).toHaveLength(2);
  });

  it('choosing No grants no delegated admin; the reseller relationship and a declined trial are respected', async () => {
    const customer = await newCustomer(t, 'no@tailwind.example');
    const { token } = await createLinkAs(t, t.fx.emails.partner, { email: 'no@tailwind.example' });
    const res = await customer.client.post(`/authorize/${token}`, { step: '2', delegatedAdmin: 'no' });
    expect(res.status).toBe(303);
    const rels = await relationshipsOf(t, customer.orgId);
    expect(rels.map((r) => r.type)).toEqual(['reseller']);
    expect(await t.db.select().from(s.subscriptions).where(eq(s.subscriptions.orgId, customer.orgId))).toHaveLength(0);
  });

  it('no answer to Yes/No, or nothing to accept, comes back with a message and changes nothing', async () => {
    const customer = await newCustomer(t, 'undecided@tailwind.example');
    const { token } = await createLinkAs(t, t.fx.emails.partner, { email: 'undecided@tailwind.example', offerReseller: '', offerKind: '' });
    const before = await snapshot(t);
    const none = await customer.client.post(`/authorize/${token}`, { step: '1' });
    expect(none.status).toBe(422);
    expect(none.text).toContain('Choose Yes or No.');
    const no = await customer.client.post(`/authorize/${token}`, { step: '1', delegatedAdmin: 'no' });
    expect(no.status).toBe(422);
    expect(no.text).toContain('You chose nothing to accept.');
    expect(await snapshot(t)).toEqual(before);
  });

  it('an existing global admin renews the delegated admin already in place instead of adding a second one', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const { token, id } = await createLinkAs(t, t.fx.emails.partner, { email: t.fx.emails.global, offerKind: '', roles: ['licenses'], durationDays: '30' });
    const res = await admin.post(`/authorize/${token}`, { step: '1', delegatedAdmin: 'yes' });
    expect(res.status).toBe(303);
    const active = (await relationshipsOf(t, t.fx.contoso)).filter((r) => r.partnerOrgId === t.fx.northwind && r.status === 'active');
    expect(active.filter((r) => r.type === 'delegated_admin')).toHaveLength(1);
    expect(active.find((r) => r.type === 'delegated_admin')).toMatchObject({ roles: ['licenses'], invitationId: id });
    expect(active.filter((r) => r.type === 'reseller')).toHaveLength(1);
  });

  it('accepting twice (double click, two tabs) accepts once', async () => {
    const customer = await newCustomer(t, 'twice@tailwind.example');
    const { token } = await createLinkAs(t, t.fx.emails.partner, { email: 'twice@tailwind.example' });
    const answer = { step: '2', delegatedAdmin: 'yes', takeOffer: 'yes' };
    const [a, b] = await Promise.all([customer.client.post(`/authorize/${token}`, answer), customer.client.post(`/authorize/${token}`, answer)]);
    expect([a.status, b.status].sort()).toContain(303);
    const third = await customer.client.post(`/authorize/${token}`, answer);
    expect(third.status).toBe(200);
    expect(third.text).toContain('You authorized Northwind Traders');
    expect(await relationshipsOf(t, customer.orgId)).toHaveLength(2);
    expect(await t.db.select().from(s.subscriptions).where(eq(s.subscriptions.orgId, customer.orgId))).toHaveLength(1);
    const audits = await t.db
      .select()
      .from(s.auditLog)
      .where(and(eq(s.auditLog.orgId, customer.orgId), eq(s.auditLog.action, 'invitation.accepted')));
    expect(audits).toHaveLength(1);
  });

  it('a new customer signs up from the page, becomes its global admin and authorizes', async () => {
    const { token } = await createLinkAs(t, t.fx.emails.partner, {
      email: 'newbie@tailwind.example',
      offerKind: 'purchase',
      productId: 'business-basic',
      quantity: '3',
    });
    const c = t.client();
    await c.get(`/authorize/${token}`);
    const signup = await c.post('/signup', {
      orgName: 'Newbie Toys',
      country: 'PL',
      name: 'Nico Newbie',
      email: 'newbie@tailwind.example',
      password: 'a-long-enough-password',
      next: `/authorize/${token}`,
    });
    expect(signup.status).toBe(303);
    expect(signup.location).toBe(`/authorize/${token}`);
    const page = await c.get(signup.location!);
    expect(page.text).toContain('Authorize Northwind Traders as delegated admin?');
    expect((await c.post(`/authorize/${token}`, { step: '2', delegatedAdmin: 'yes', takeOffer: 'yes' })).status).toBe(303);
    const [user] = await t.db.select().from(s.users).where(eq(s.users.email, 'newbie@tailwind.example'));
    expect(user.role).toBe('global_admin');
    const [sub] = await t.db.select().from(s.subscriptions).where(eq(s.subscriptions.orgId, user.orgId));
    expect(sub).toMatchObject({ productId: 'business-basic', quantity: 3, status: 'active' });
  });
});

describe.runIf(process.env.DATABASE_URL)('on PostgreSQL, under concurrency', () => {
  it('ten simultaneous acceptances of one link accept it once', async () => {
    const customer = await newCustomer(t, 'race@tailwind.example');
    const { token } = await createLinkAs(t, t.fx.emails.partner, { email: 'race@tailwind.example' });
    const answer = { step: '2', delegatedAdmin: 'yes', takeOffer: 'yes' };
    const results = await Promise.all(Array.from({ length: 10 }, () => customer.client.post(`/authorize/${token}`, answer)));
    expect(results.filter((r) => r.status === 303).length).toBeGreaterThanOrEqual(1);
    expect(await relationshipsOf(t, customer.orgId)).toHaveLength(2);
    expect(await t.db.select().from(s.subscriptions).where(eq(s.subscriptions.orgId, customer.orgId))).toHaveLength(1);
    const audits = await t.db
      .select()
      .from(s.auditLog)
      .where(and(eq(s.auditLog.orgId, customer.orgId), eq(s.auditLog.action, 'invitation.accepted')));
    expect(audits).toHaveLength(1);
  });
});
