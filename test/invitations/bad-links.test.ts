/** Unknown, expired, revoked, used and misaddressed authorization links, and the per-address limit on failed openings. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../src/db/schema.ts';
import { REDEEM_LIMIT } from '../../src/invitations/authorize.routes.tsx';
import { DAY } from '../../src/time.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createLinkAs, newCustomer, snapshot } from './helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('bad links get a clear page and change nothing', () => {
  it('an unknown link: 404', async () => {
    const before = await snapshot(t);
    const res = await t.client().get('/authorize/notarealtokennotarealtokennotare');
    expect(res.status).toBe(404);
    expect(res.text).toContain('This link is not valid');
    expect(res.text).toContain('<html');
    const admin = await t.signedIn(t.fx.emails.global);
    expect((await admin.post('/authorize/notarealtokennotarealtokennotare', { step: '1', delegatedAdmin: 'yes' })).status).toBe(404);
    expect(await snapshot(t)).toEqual(before);
  });

  it('an expired link: 410', async () => {
    const customer = await newCustomer(t, 'late@tailwind.example');
    const { token } = await createLinkAs(t, t.fx.emails.partner, { email: 'late@tailwind.example', validDays: '1' });
    const before = await snapshot(t);
    t.clock.now = new Date(t.clock.now.getTime() + 2 * DAY);
    try {
      const res = await customer.client.get(`/authorize/${token}`);
      expect(res.status).toBe(410);
      expect(res.text).toContain('This link has expired');
      expect((await customer.client.post(`/authorize/${token}`, { step: '2', delegatedAdmin: 'yes', takeOffer: 'yes' })).status).toBe(410);
    } finally {
      t.clock.now = new Date();
    }
    expect(await snapshot(t)).toEqual(before);
  });

  it('a revoked link: 410', async () => {
    const customer = await newCustomer(t, 'revoked@tailwind.example');
    const { token, id, partner } = await createLinkAs(t, t.fx.emails.partner, { email: 'revoked@tailwind.example' });
    await partner.post(`/portal/links/${id}/revoke`);
    const before = await snapshot(t);
    const res = await customer.client.post(`/authorize/${token}`, { step: '2', delegatedAdmin: 'yes', takeOffer: 'yes' });
    expect(res.status).toBe(410);
    expect(res.text).toContain('This link was revoked');
    expect(await snapshot(t)).toEqual(before);
  });

  it('a link already used by another organization: 410', async () => {
    const first = await newCustomer(t, 'used@tailwind.example');
    const { token } = await createLinkAs(t, t.fx.emails.partner, { email: 'used@tailwind.example' });
    await first.client.post(`/authorize/${token}`, { step: '2', delegatedAdmin: 'yes', takeOffer: 'yes' });
    const before = await snapshot(t);
    const res = await t.client().get(`/authorize/${token}`);
    expect(res.status).toBe(410);
    expect(res.text).toContain('This link has already been used');
    const other = await t.signedIn(t.fx.emails.otherOrg);
    expect((await other.post(`/authorize/${token}`, { step: '2', delegatedAdmin: 'yes' })).status).toBe(410);
    expect(await snapshot(t)).toEqual(before);
  });

  it("a link sent to another customer's e-mail: 403 for the signed-in admin", async () => {
    const { token } = await createLinkAs(t, t.fx.emails.partner, { email: t.fx.emails.global });
    const before = await snapshot(t);
    const other = await t.signedIn(t.fx.emails.otherOrg);
    const res = await other.get(`/authorize/${token}`);
    expect(res.status).toBe(403);
    expect(res.text).toContain('This link was sent to someone else');
    expect((await other.post(`/authorize/${token}`, { step: '2', delegatedAdmin: 'yes', takeOffer: 'yes' })).status).toBe(403);
    expect(await snapshot(t)).toEqual(before);
  });

  it('only a global admin may accept: a billing admin, a user and a partner get 403', async () => {
    const { token } = await createLinkAs(t, t.fx.emails.partner, { email: t.fx.emails.billing });
    const before = await snapshot(t);
    for (const email of [t.fx.emails.billing, t.fx.emails.user, t.fx.emails.partner]) {
      const c = await t.signedIn(email);
      const res = await c.post(`/authorize/${token}`, { step: '2', delegatedAdmin: 'yes', takeOffer: 'yes' });
      expect(res.status).toBe(403);
      expect(res.text).toContain('Only a global admin can accept');
    }
    expect(await snapshot(t)).toEqual(before);
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
