import { i18n } from '../../src/i18n/index.ts';
import { gzipSync } from 'node:zlib';
import { and, count, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../src/db/schema.ts';
import { REDEEM_LIMIT } from '../../src/invitations/authorize.routes.tsx';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createLinkAs, relationshipsOf } from './helpers.ts';
import { signUpAndVerify } from '../support/verification.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const DAY = 86_400_000;

/** Everything an accepted link could have written, to prove a refused one wrote nothing. */
async function snapshot() {
  const [rel] = await t.db.select({ n: count() }).from(s.partnerRelationships);
  const [subs] = await t.db.select({ n: count() }).from(s.subscriptions);
  const [audit] = await t.db.select({ n: count() }).from(s.auditLog).where(eq(s.auditLog.action, 'invitation.accepted'));
  const [mail] = await t.db.select({ n: count() }).from(s.outbox);
  const accepted = await t.db.select({ id: s.invitations.id }).from(s.invitations).where(isNotNull(s.invitations.acceptedAt));
  return { rel: rel.n, subs: subs.n, audit: audit.n, mail: mail.n, accepted: accepted.length };
}

/** A new customer with its own global admin (no relationships yet), signed in. */
async function newCustomer(email: string, country = 'PL') {
  const c = t.client();
  await signUpAndVerify(t.db, c, { orgName: `Org of ${email}`, country, name: 'Nina New', email, password: 'a-long-enough-password' });
  const [user] = await t.db.select().from(s.users).where(eq(s.users.email, email));
  return { client: c, orgId: user.orgId, userId: user.id };
}

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
    const customer = await newCustomer('founder@tailwind.example');
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
    const customer = await newCustomer('htmx@tailwind.example');
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
    const customer = await newCustomer('no@tailwind.example');
    const { token } = await createLinkAs(t, t.fx.emails.partner, { email: 'no@tailwind.example' });
    const res = await customer.client.post(`/authorize/${token}`, { step: '2', delegatedAdmin: 'no' });
    expect(res.status).toBe(303);
    const rels = await relationshipsOf(t, customer.orgId);
    expect(rels.map((r) => r.type)).toEqual(['reseller']);
    expect(await t.db.select().from(s.subscriptions).where(eq(s.subscriptions.orgId, customer.orgId))).toHaveLength(0);
  });

  it('no answer to Yes/No, or nothing to accept, comes back with a message and changes nothing', async () => {
    const customer = await newCustomer('undecided@tailwind.example');
    const { token } = await createLinkAs(t, t.fx.emails.partner, { email: 'undecided@tailwind.example', offerReseller: '', offerKind: '' });
    const before = await snapshot();
    const none = await customer.client.post(`/authorize/${token}`, { step: '1' });
    expect(none.status).toBe(422);
    expect(none.text).toContain('Choose Yes or No.');
    const no = await customer.client.post(`/authorize/${token}`, { step: '1', delegatedAdmin: 'no' });
    expect(no.status).toBe(422);
    expect(no.text).toContain('You chose nothing to accept.');
    expect(await snapshot()).toEqual(before);
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
    const customer = await newCustomer('twice@tailwind.example');
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

describe('bad links get a clear page and change nothing', () => {
  it('an unknown link: 404', async () => {
    const before = await snapshot();
    const res = await t.client().get('/authorize/notarealtokennotarealtokennotare');
    expect(res.status).toBe(404);
    expect(res.text).toContain('This link is not valid');
    expect(res.text).toContain('<html');
    const admin = await t.signedIn(t.fx.emails.global);
    expect((await admin.post('/authorize/notarealtokennotarealtokennotare', { step: '1', delegatedAdmin: 'yes' })).status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it('an expired link: 410', async () => {
    const customer = await newCustomer('late@tailwind.example');
    const { token } = await createLinkAs(t, t.fx.emails.partner, { email: 'late@tailwind.example', validDays: '1' });
    const before = await snapshot();
    t.clock.now = new Date(t.clock.now.getTime() + 2 * DAY);
    try {
      const res = await customer.client.get(`/authorize/${token}`);
      expect(res.status).toBe(410);
      expect(res.text).toContain('This link has expired');
      expect((await customer.client.post(`/authorize/${token}`, { step: '2', delegatedAdmin: 'yes', takeOffer: 'yes' })).status).toBe(410);
    } finally {
      t.clock.now = new Date();
    }
    expect(await snapshot()).toEqual(before);
  });

  it('a revoked link: 410', async () => {
    const customer = await newCustomer('revoked@tailwind.example');
    const { token, id, partner } = await createLinkAs(t, t.fx.emails.partner, { email: 'revoked@tailwind.example' });
    await partner.post(`/portal/links/${id}/revoke`);
    const before = await snapshot();
    const res = await customer.client.post(`/authorize/${token}`, { step: '2', delegatedAdmin: 'yes', takeOffer: 'yes' });
    expect(res.status).toBe(410);
    expect(res.text).toContain('This link was withdrawn');
    expect(await snapshot()).toEqual(before);
  });

  it('a link already used by another organization: 410', async () => {
    const first = await newCustomer('used@tailwind.example');
    const { token } = await createLinkAs(t, t.fx.emails.partner, { email: 'used@tailwind.example' });
    await first.client.post(`/authorize/${token}`, { step: '2', delegatedAdmin: 'yes', takeOffer: 'yes' });
    const before = await snapshot();
    const res = await t.client().get(`/authorize/${token}`);
    expect(res.status).toBe(410);
    expect(res.text).toContain('This link has already been used');
    const other = await t.signedIn(t.fx.emails.otherOrg);
    expect((await other.post(`/authorize/${token}`, { step: '2', delegatedAdmin: 'yes' })).status).toBe(410);
    expect(await snapshot()).toEqual(before);
  });

  it("a link sent to another customer's e-mail: 403 for the signed-in admin", async () => {
    const { token } = await createLinkAs(t, t.fx.emails.partner, { email: t.fx.emails.global });
    const before = await snapshot();
    const other = await t.signedIn(t.fx.emails.otherOrg);
    const res = await other.get(`/authorize/${token}`);
    expect(res.status).toBe(403);
    expect(res.text).toContain('This link was sent to someone else');
    expect((await other.post(`/authorize/${token}`, { step: '2', delegatedAdmin: 'yes', takeOffer: 'yes' })).status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it('only a global admin may accept: a billing admin, a user and a partner get 403', async () => {
    const { token } = await createLinkAs(t, t.fx.emails.partner, { email: t.fx.emails.billing });
    const before = await snapshot();
    for (const email of [t.fx.emails.billing, t.fx.emails.user, t.fx.emails.partner]) {
      const c = await t.signedIn(email);
      const res = await c.post(`/authorize/${token}`, { step: '2', delegatedAdmin: 'yes', takeOffer: 'yes' });
      expect(res.status).toBe(403);
      expect(res.text).toContain('Only a global admin can accept');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('repeated bad tokens from one address are refused with 429, and then so is a good link from it', async () => {
    const { token } = await createLinkAs(t, t.fx.emails.partner, { email: 'guessed@tailwind.example' });
    const c = t.client();
    let last = 0;
    for (let i = 0; i <= REDEEM_LIMIT; i++) last = (await c.get(`/authorize/guess${String(i).padStart(27, 'a')}`)).status;
    expect(last).toBe(429);
    const refused = await c.get(`/authorize/${token}`);
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('Too many invalid or used authorization links');
    expect((await t.client().get('/authorize/another-address-is-not-limited')).status).toBe(404);
  });

  it('opening valid links never counts: 70 openings from one address all work', async () => {
    const { token } = await createLinkAs(t, t.fx.emails.partner, { email: 'office@tailwind.example' });
    const office = t.client();
    const statuses = new Set<number>();
    for (let i = 0; i < 70; i++) statuses.add((await office.get(`/authorize/${token}`)).status);
    expect([...statuses]).toEqual([200]);
    const [counter] = await t.db
      .select()
      .from(s.rateLimits)
      .where(eq(s.rateLimits.key, `authorize:address:${office.address}`));
    expect(counter).toBeUndefined();
    // A forged token from the same address does count.
    expect((await office.get(`/authorize/used${'b'.repeat(28)}`)).status).toBe(404);
    const [after] = await t.db
      .select()
      .from(s.rateLimits)
      .where(eq(s.rateLimits.key, `authorize:address:${office.address}`));
    expect(after.count).toBe(1);
  });
});

describe.runIf(process.env.DATABASE_URL)('on PostgreSQL, under concurrency', () => {
  it('ten simultaneous acceptances of one link accept it once', async () => {
    const customer = await newCustomer('race@tailwind.example');
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
