import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { newestAudit } from '../support/audit-log.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('users and licenses for the organization own admins', () => {
  it('a global admin sees the same users and licenses pages, in at most 3 statements', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const list = await admin.get('/users');
    expect(list.status).toBe(200);
    expect(list.queries).toBeLessThanOrEqual(3);
    expect(list.text).toContain('Uma User');
    expect(list.text).not.toContain('You are acting for');
    const one = await admin.get(`/users/${t.fx.contosoUser}`);
    expect(one.text).toContain('Reset password');
    expect(one.queries).toBeLessThanOrEqual(3);
  });

  it('a global admin adds a user and sees the generated password once; it is audited under their own name', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const res = await admin.post('/users', { name: 'Gen Pass', email: 'gen@contoso.example', password: '' });
    expect(res.status).toBe(200);
    const password = res.text.match(/Password: ([a-z2-7]{16})/)![1];
    expect((await t.client().post('/signin', { email: 'gen@contoso.example', password })).status).toBe(303);
    const { actorName, partnerOrgId } = await newestAudit(t.db, 'user.created');
    expect({ actorName, partnerOrgId }).toEqual({ actorName: 'Alex Admin', partnerOrgId: null });
  });

  it('a billing admin may view but not change users (403)', async () => {
    const billing = await t.signedIn(t.fx.emails.billing);
    expect((await billing.get(`/users/${t.fx.contosoUser}`)).text).not.toContain('Reset password');
    expect((await billing.post(`/users/${t.fx.contosoUser}`, { name: 'Nope', email: 'user@contoso.example' })).status).toBe(403);
    expect((await billing.post(`/users/${t.fx.contosoUser}/licenses`, { subscriptionId: t.fx.contosoTrialSub, op: 'assign' })).status).toBe(403);
  });

  it('admins are listed but not edited from here', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const [billing] = await rows<{ id: string }>(t.db, sql`select id from users where email = ${t.fx.emails.billing}`);
    expect((await admin.get(`/users/${billing.id}`)).text).toContain('only users can be edited here');
    // Out of reach (issue 23): refused, saying why.
    expect((await admin.post(`/users/${billing.id}`, { name: 'Hijack', email: 'billing@contoso.example' })).status).toBe(403);
  });

  it('another organization gets 404 for a Contoso user', async () => {
    const other = await t.signedIn(t.fx.emails.otherOrg);
    expect((await other.get(`/users/${t.fx.contosoUser}`)).status).toBe(404);
    expect((await other.post(`/users/${t.fx.contosoUser}/password`, { password: '' })).status).toBe(404);
  });
});

describe.runIf(process.env.DATABASE_URL)('licenses under concurrency (PostgreSQL)', () => {
  it('two admins assigning the last license at once: exactly one gets it', async () => {
    await t.db.execute(sql`update subscriptions set quantity = 1 where id = ${t.fx.contosoTrialSub}`);
    await t.db.execute(sql`delete from license_assignments where subscription_id = ${t.fx.contosoTrialSub}`);
    const [a, b] = await Promise.all([t.signedIn(t.fx.emails.global), t.signedIn(t.fx.emails.partner)]);
    const [gen] = await rows<{ id: string }>(t.db, sql`select id from users where email = 'gen@contoso.example'`);
    const results = await Promise.all([
      a.post(`/users/${t.fx.contosoUser}/licenses`, { subscriptionId: t.fx.contosoTrialSub, op: 'assign' }),
      b.post(`/portal/customers/${t.fx.contoso}/users/${gen.id}/licenses`, { subscriptionId: t.fx.contosoTrialSub, op: 'assign' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 422]);
    const [{ n }] = await rows<{ n: number }>(t.db, sql`select count(*)::int n from license_assignments where subscription_id = ${t.fx.contosoTrialSub}`);
    expect(n).toBe(1);
  });
});
