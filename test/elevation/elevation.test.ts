/**
 * Eligible roles and just-in-time elevation (issue 24 §1–3) on both databases, with the app's clock moved
 * instead of waiting: the acceptance scenario end to end through the routes, the automatic policy, early
 * ends, the customer narrowing a relationship, and the mail.
 */
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../src/db/schema.ts';
import { activitySentence } from '../../src/activity/sentence.ts';
import { activityBatch } from '../../src/activity/activity.queries.ts';
import { recordEndedElevations } from '../../src/elevation/elevation.queries.ts';
import { i18n } from '../../src/i18n/index.ts';
import { createTestApp, type Client, type TestApp } from '../support/app.ts';
import { createLinkAs } from '../invitations/helpers.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('just-in-time elevation', () => {
  let t: TestApp;
  let partner: Client;
  let admin: Client;
  const customer = () => `/portal/customers/${t.fx.contoso}`;
  const outboxSince = (id: number) => t.db.select().from(s.outbox).where(gt(s.outbox.id, id)).orderBy(asc(s.outbox.id));

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.now = new Date('2026-12-07T10:00:00Z');
    // Northwind's delegated admin for Contoso: Users standing, Passwords eligible for up to 2 h, Domains for up to 4 h.
    await t.db.execute(sql`update partner_relationships set roles = '{users}', eligible = '{"passwords": 2, "domains": 4}', ends_at = '2027-06-01T00:00:00Z'
      where id = ${t.fx.contosoDelegatedAdmin}`);
    partner = await t.signedIn(t.fx.emails.partner);
    admin = await t.signedIn(t.fx.emails.global);
  });
  afterAll(() => t?.close());

  async function maxOutbox() {
    const [row] = await t.db.select({ id: sql<number>`coalesce(max(${s.outbox.id}), 0)::int` }).from(s.outbox);
    return row.id;
  }

  it('acceptance: request Passwords for 2 h → approved from the mail → reset works → refused at 2 h + 1 min → the log tells it all, naming the person', async () => {
    const before = await maxOutbox();
    const reset = `${customer()}/users/${t.fx.contosoUser}/password`;
    // Without an elevation the partner holds only Users: the reset is refused.
    expect((await partner.post(reset, { password: 'a-new-password-1' })).status).toBe(403);

    const page = await partner.get(`${customer()}/elevations`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Passwords (eligible, up to 2 h)');
    expect(page.queries).toBeLessThanOrEqual(3);

    // A reason too long comes back with the form and what was typed.
    const bad = await partner.post(`${customer()}/elevations`, { role: 'passwords', hours: '2', reason: 'x'.repeat(201), ticket: '4711' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Give a reason of 1 to 200 characters.');
    expect(bad.text).toContain('value="4711"');
    // Longer than the role's maximum: refused by the statement.
    expect((await partner.post(`${customer()}/elevations`, { role: 'passwords', hours: '3', reason: 'locked out', ticket: '' })).status).toBe(422);

    const asked = await partner.post(`${customer()}/elevations`, { role: 'passwords', hours: '2', reason: 'User locked out', ticket: '4711' });
    expect(asked.status).toBe(303);
    expect(asked.queries).toBeLessThanOrEqual(3);
    const [e] = await t.db.select().from(s.elevations).where(eq(s.elevations.orgId, t.fx.contoso));
    expect(e).toMatchObject({ status: 'pending', role: 'passwords', minutes: 120, reason: 'User locked out', ticket: '4711' });
    // Still pending: no power yet.
    expect((await partner.post(reset, { password: 'a-new-password-1' })).status).toBe(403);

    // The customer's global admin gets the mail, in Polish (Contoso is in Poland), with the link to decide.
    const mails = await outboxSince(before);
    const request = mails.find((m) => m.toAddress === t.fx.emails.global)!;
    expect(request.subject).toBe('Northwind Traders prosi o rolę Hasła w organizacji Contoso Sp. z o.o.');
    expect(request.body).toContain('Nadia Partner');
    expect(request.body).toContain('2 godz.');
    expect(request.body).toContain('User locked out');
    const url = /https?:\/\/[^\s]+\/elevations\/[0-9a-f-]{36}/.exec(request.body)![0];
    const path = new URL(url).pathname;

    const decide = await admin.get(path);
    expect(decide.status).toBe(200);
    expect(decide.queries).toBeLessThanOrEqual(3);
    t.clock.now = new Date('2026-12-07T10:05:00Z');
    const approved = await admin.post(`${path}/approve`);
    expect(approved.status).toBe(303);
    expect(approved.queries).toBeLessThanOrEqual(3);
    // A second decision is told who decided first.
    const again = await admin.post(`${path}/deny`);
    expect(again.status).toBe(409);
    expect(again.text).toContain('Alex Admin');

    // Both sides are mailed at activation.
    const activeMails = (await outboxSince(before)).filter((m) => m.id !== request.id);
    expect(activeMails.map((m) => m.toAddress).sort()).toEqual([t.fx.emails.global, t.fx.emails.partner].sort());

    // With the elevation, the reset succeeds, within the statement budget.
    t.clock.now = new Date('2026-12-07T11:00:00Z');
    // (A session seen after an hour is extended once, a statement of its own: not the page's.)
    await partner.get('/portal');
    const done = await partner.post(reset, { password: 'a-new-password-1' });
    expect(done.status).toBe(200);
    expect(done.text).toContain(i18n('en').t('users.password.done'));
    expect(done.queries).toBeLessThanOrEqual(3);

    // At 2 h + 1 min after the approval the same request is refused, with no job having run.
    t.clock.now = new Date(new Date('2026-12-07T10:05:00Z').getTime() + 2 * HOUR + MIN);
    expect((await partner.post(reset, { password: 'a-new-password-2' })).status).toBe(403);

    // The end is recorded by the job (once, however often it runs), and both sides are mailed.
    expect(await recordEndedElevations(t.db, t.clock.now, 'http://localhost')).toBe(1);
    expect(await recordEndedElevations(t.db, t.clock.now, 'http://localhost')).toBe(0);
    const ended = (await outboxSince(before)).filter((m) => m.dedupeKey?.startsWith('elevation-end:'));
    expect(ended.map((m) => m.toAddress).sort()).toEqual([t.fx.emails.global, t.fx.emails.partner].sort());

    // The activity log: request → approval → the reset under it → the end, each naming the person.
    const log = (await activityBatch(t.db, t.fx.contoso, { partner: null, category: null }, null, 10)).reverse();
    const en = i18n('en');
    const sentences = log.map((x) => activitySentence(en, x, 'Europe/Warsaw'));
    const tail = sentences.slice(-4);
    expect(tail[0]).toBe('Northwind Traders (Nadia Partner) asked to hold Passwords for 2 h, reason: User locked out.');
    expect(tail[1]).toMatch(/^Alex Admin approved Passwords for Nadia Partner of Northwind Traders until Dec 7, 2026, 1:05.PM\.$/);
    expect(tail[2]).toMatch(
      /^Northwind Traders \(Nadia Partner, with Passwords until Dec 7, 2026, 1:05.PM, reason: User locked out, ticket 4711\) reset the password of Uma User\.$/,
    );
    expect(tail[3]).toBe('Passwords of Nadia Partner (Northwind Traders) ended at its time.');
    // The reset's row names the relationship and the elevation it was done with.
    const [resetRow] = await t.db
      .select()
      .from(s.auditLog)
      .where(and(eq(s.auditLog.action, 'user.password_reset'), eq(s.auditLog.orgId, t.fx.contoso)));
    expect(resetRow.after).toMatchObject({
      via: { relationship: t.fx.contosoDelegatedAdmin, role: 'passwords', elevation: { id: e.id, reason: 'User locked out' } },
    });
  });

  it('under the automatic policy an activation is active at once; the person or a customer admin ends it early', async () => {
    const policy = await admin.post(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/access/policy`, { policy: 'auto' });
    expect(policy.status).toBe(303);
    t.clock.now = new Date('2026-12-08T09:00:00Z');
    const before = await maxOutbox();
    expect((await partner.post(`${customer()}/elevations`, { role: 'domains', hours: '1', reason: 'Add the new domain', ticket: '' })).status).toBe(303);
    const [e] = await t.db
      .select()
      .from(s.elevations)
      .where(and(eq(s.elevations.orgId, t.fx.contoso), eq(s.elevations.role, 'domains')));
    expect(e.status).toBe('approved');
    // Asking again while it is active is refused.
    const twice = await partner.post(`${customer()}/elevations`, { role: 'domains', hours: '1', reason: 'again', ticket: '' });
    expect(twice.status).toBe(422);
    expect(twice.text).toContain('You already hold or asked for this role.');
    // Domains opens the partner's domains page now.
    expect((await partner.get(`${customer()}/domains`)).status).toBe(200);
    // The person ends it early; a second end is told it had ended.
    const end = await partner.post(`${customer()}/elevations/${e.id}/end`);
    expect(end.status).toBe(303);
    expect((await partner.get(`${customer()}/domains`)).status).toBe(404);
    const mails = (await outboxSince(before)).map((m) => m.toAddress);
    expect(mails.filter((m) => m === t.fx.emails.partner).length).toBe(2);
    // Again, and this time a billing admin of the customer ends it: back on the relationship's access page.
    expect((await partner.post(`${customer()}/elevations`, { role: 'domains', hours: '1', reason: 'Again', ticket: '' })).status).toBe(303);
    const [again] = await t.db
      .select()
      .from(s.elevations)
      .where(and(eq(s.elevations.reason, 'Again')));
    const billing = await t.signedIn(t.fx.emails.billing);
    const endedByCustomer = await billing.post(`/elevations/${again.id}/end`);
    expect(endedByCustomer.location).toBe(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/access`);
    expect((await partner.get(`${customer()}/domains`)).status).toBe(404);
    // Another partner person cannot end someone else's; another customer cannot see it.
    const other = await t.signedIn(t.fx.emails.otherOrg);
    expect((await other.get(`/elevations/${e.id}`)).status).toBe(404);
  });

  it('the customer narrows an active relationship at once, but cannot widen it', async () => {
    const base = `/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/access`;
    const page = await admin.get(base);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Passwords (eligible, up to 2 h)');
    // Users: standing → eligible for 1 h; Domains removed.
    expect((await admin.post(`${base}/roles`, { role_users: '1', role_passwords: 'keep', role_domains: 'remove' })).status).toBe(303);
    const [r] = await t.db.select().from(s.partnerRelationships).where(eq(s.partnerRelationships.id, t.fx.contosoDelegatedAdmin));
    expect(r.roles).toEqual([]);
    expect(r.eligible).toEqual({ users: 1, passwords: 2 });
    // The users page is closed to the partner until it activates Users, and no page offers it meanwhile:
    // the portal and the activation page lead to the activation, not to an admin center that answers 404.
    expect((await partner.get(customer())).status).toBe(404);
    const portal = await partner.get('/portal');
    expect(portal.text).toContain('aria-label="Activate a role for Contoso');
    expect(portal.text).not.toContain('aria-label="Open admin center of Contoso');
    expect((await partner.get(`${customer()}/elevations`)).text).not.toContain('aria-label="Open admin center of Contoso');
    // A billing admin sees the page but changes nothing.
    const billing = await t.signedIn(t.fx.emails.billing);
    expect((await billing.get(base)).status).toBe(200);
    expect((await billing.post(`${base}/roles`, { role_users: 'remove' })).status).toBe(403);
  });

  it('widening takes a new link from the partner: the customer sees it as a diff and accepting changes the same relationship', async () => {
    // Now: Passwords eligible (2 h), Users eligible (1 h). The partner asks for Users standing, Passwords eligible 2 h, Domains eligible 2 h.
    const { token } = await createLinkAs(t, t.fx.emails.partner, {
      roles: ['users', 'passwords', 'domains'],
      hours_passwords: '2',
      hours_domains: '2',
      offerReseller: '',
      offerKind: '',
    });
    const page = await admin.get(`/authorize/${token}`);
    expect(page.status).toBe(200);
    expect(page.queries).toBeLessThanOrEqual(3);
    const diff = /<ul id="role-diff">([\s\S]*?)<\/ul>/.exec(page.text)![1];
    expect(diff).toContain('adds Domains, eligible, 2 h');
    expect(diff).toContain('Users: eligible → standing');
    expect(diff).not.toContain('Passwords');
    expect((await admin.post(`/authorize/${token}`, { step: '1', delegatedAdmin: 'yes' })).status).toBe(303);
    const [r] = await t.db.select().from(s.partnerRelationships).where(eq(s.partnerRelationships.id, t.fx.contosoDelegatedAdmin));
    expect(r.roles).toEqual(['users']);
    expect(r.eligible).toEqual({ passwords: 2, domains: 2 });
    // A standing role again: the admin center opens from the portal and from the activation page.
    expect((await partner.get('/portal')).text).toContain(`href="${customer()}" aria-label="Open admin center of Contoso`);
    expect((await partner.get(`${customer()}/elevations`)).text).toContain(`href="${customer()}" aria-label="Open admin center of Contoso`);
  });
});
