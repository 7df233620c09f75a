import { desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import * as s from '../../src/db/schema.ts';
import { createTestApp, type Client, type TestApp } from '../support/app.ts';
import { snapshot } from './snapshot.ts';

// "Select all N subscriptions" changes the whole list (not only the page) in one all-or-nothing,
// set-based transaction. Contoso has three subscriptions; Business Standard's partner of record is its
// reseller Northwind Traders, which select-all leaves to the reseller.
let t: TestApp;
let admin: Client;
const partial = { 'hx-request': 'true', 'hx-request-type': 'partial' };
const onPostgres = !!process.env.DATABASE_URL;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signedIn(t.fx.emails.global);
});
afterAll(() => t?.close());

async function listForm(client: Client) {
  const page = await client.get('/subscriptions');
  return {
    listVersion: page.text.match(/name="listVersion" value="([^"]+)"/)![1],
    count: page.text.match(/Select all ([\d,]+) subscriptions/)?.[1] ?? null,
  };
}
// The count a summary mail states, in whichever language its recipient reads.
const countIn = (body: string) => body.match(/([\d,  ]+) (?:subscriptions?\b|subskrypcj|个订阅)/)?.[1].trim();
const count = async (q: ReturnType<typeof sql>) => Number((await rows<{ n: number }>(t.db, q))[0].n);
const partnerIds = async () =>
  t.db
    .select({ productId: s.subscriptions.productId, partnerId: s.partners.partnerId })
    .from(s.subscriptions)
    .leftJoin(s.partners, eq(s.partners.orgId, s.subscriptions.partnerOrgId))
    .where(eq(s.subscriptions.orgId, t.fx.contoso))
    .orderBy(s.subscriptions.productId);

describe('select all subscriptions', () => {
  it('offers the whole list by its count, leaving out what only the reseller may change', async () => {
    expect((await listForm(admin)).count).toBe('2');
  });

  it('refuses the whole change when one product is not the partner’s, naming it, and changes nothing', async () => {
    const before = await snapshot(t.db);
    const res = await admin.post('/subscriptions/partner', { all: '1', listVersion: (await listForm(admin)).listVersion, partnerId: '1001645', action: 'add' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Coho Networks is not a partner for Business Basic.');
    expect(res.text).toMatch(/name="all" value="1" checked=""/);
    expect(await snapshot(t.db)).toBe(before);
  });

  it('without JS: changes every reachable subscription, one audit row each, one e-mail per partner with the count', async () => {
    const res = await admin.post('/subscriptions/partner', { all: '1', listVersion: (await listForm(admin)).listVersion, partnerId: '1000549', action: 'add' });
    expect(res.status).toBe(303);
    expect((await admin.get(res.location!)).text).toContain('The partner of record of the selected subscriptions has been changed.');
    expect(await partnerIds()).toEqual([
      { productId: 'business-basic', partnerId: '1000549' },
      { productId: 'business-standard', partnerId: '1000001' },
      { productId: 'enterprise-e3', partnerId: '1000549' },
    ]);
    const audit = await rows<{ action: string; before: { partner: { name: string } | null } }>(
      t.db,
      sql`select action, before from audit_log where action like 'subscription.partner_of_record.%' order by target_id`,
    );
    expect(audit.map((a) => [a.action, a.before.partner?.name ?? null]).sort()).toEqual([
      ['subscription.partner_of_record.added', null],
      ['subscription.partner_of_record.changed', 'Adatum Consulting'],
    ]);
    const mails = await t.db.select({ toAddress: s.outbox.toAddress, body: s.outbox.body }).from(s.outbox).orderBy(s.outbox.toAddress);
    expect(mails.map((m) => [m.toAddress, countIn(m.body)])).toEqual([
      ['hello@adatum-consulting.example', '1'],
      ['hello@wide-world-importers-it.example', '2'],
    ]);
  });

  it('with htmx: removes them all and answers with the list only', async () => {
    const res = await admin.post('/subscriptions/partner', { all: '1', listVersion: (await listForm(admin)).listVersion, action: 'remove' }, partial);
    expect(res.status).toBe(200);
    expect(res.text.startsWith('<section id="subscription-list">')).toBe(true);
    expect(res.text).toContain('The partner of record of the selected subscriptions has been changed.');
    expect((await partnerIds()).map((p) => p.partnerId)).toEqual([null, '1000001', null]);
  });

  it('a list changed since the form was shown is not changed: "review again"', async () => {
    const { listVersion } = await listForm(admin);
    await admin.post(`/subscriptions/${t.fx.contosoTrialSub}/partner`, { partnerId: '1000549', action: 'add', confirm: '1' });
    const before = await snapshot(t.db);
    const res = await admin.post('/subscriptions/partner', { all: '1', listVersion, partnerId: '1001097', action: 'add' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('The list changed meanwhile: someone else changed a subscription. Review the list and try again.');
    expect(await snapshot(t.db)).toBe(before);
  });
});

describe.skipIf(!onPostgres)('select all at scale and under concurrency (PostgreSQL only; skipped on PGlite)', () => {
  it('two admins racing with the same list: one changes it, the other is asked to review again', async () => {
    const billing = await t.signedIn(t.fx.emails.billing);
    for (let round = 0; round < 3; round++) {
      // Each side has something to change whichever goes first: Business Basic has Wide World, E3 none.
      await t.db
        .execute(sql`update subscriptions set partner_org_id = case when product_id = 'business-basic' then (select org_id from partners where partner_id = '1000549') end
        where org_id = ${t.fx.contoso} and product_id <> 'business-standard'`);
      const [a, b] = [await listForm(admin), await listForm(billing)];
      expect(a.listVersion).toBe(b.listVersion);
      const [ra, rb] = await Promise.all([
        admin.post('/subscriptions/partner', { all: '1', listVersion: a.listVersion, partnerId: '1000549', action: 'add' }),
        billing.post('/subscriptions/partner', { all: '1', listVersion: b.listVersion, action: 'remove' }),
      ]);
      expect([ra.status, rb.status].sort()).toEqual([303, 409]);
      expect([ra, rb].find((r) => r.status === 409)!.text).toContain('The list changed meanwhile');
    }
  });

  it('changes 100,000 subscriptions in one request, in about the time it takes to write them at all', async () => {
    // The yardstick is this machine's own speed: the time PostgreSQL takes to write the same rows by hand —
    // insert the 100,000 subscriptions, and insert their 100,000 activity rows (each through the hash chain's
    // trigger, as any activity row is) in a transaction that is then rolled back.
    // Both in transactions that lift the app's 10 s statement timeout, as the select-all itself does.
    const seeding = performance.now();
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`set local statement_timeout = '120s'`);
      await tx.execute(sql`insert into subscriptions (org_id, product_id, quantity, status, partner_org_id)
        select ${t.fx.contoso}, case when i % 2 = 0 then 'business-basic' else 'enterprise-e3' end, 1 + i % 50, 'active', case when i % 3 = 0 then ${t.fx.adatum}::uuid end
        from generate_series(1, 100000) i`);
    });
    await t.db
      .transaction(async (tx) => {
        await tx.execute(sql`set local statement_timeout = '120s'`);
        await tx.execute(sql`insert into audit_log (org_id, actor_user_id, actor_name, action, target_type, target_id, before, after)
          select org_id, null, 'yardstick', 'subscription.partner_of_record.added', 'subscription', id::text, jsonb_build_object('partner', null), jsonb_build_object('partner', 'Wide World Importers IT', 'partnerId', '1000549')
          from subscriptions where org_id = ${t.fx.contoso}`);
        tx.rollback();
      })
      .catch(() => undefined);
    const writeSeconds = (performance.now() - seeding) / 1000;
    await t.db.execute(sql`analyze subscriptions`);
    const auditBefore = await count(sql`select count(*) n from audit_log`);
    const form = await listForm(admin);
    expect(form.count).toBe('100,002');
    const started = performance.now();
    const res = await admin.post('/subscriptions/partner', { all: '1', listVersion: form.listVersion, partnerId: '1000549', action: 'add' });
    const seconds = (performance.now() - started) / 1000;
    console.log(`select-all over 100,002 subscriptions: ${seconds.toFixed(2)} s (writing the same rows by hand took ${writeSeconds.toFixed(2)} s)`);
    expect(res.status).toBe(303);
    // One UPDATE, one INSERT … SELECT of the activity rows and a handful of small statements: about the hand-written
    // writes plus the update; a round trip per row or work that grows faster than the list would be far slower.
    expect(seconds).toBeLessThan(1.5 * writeSeconds + 2);
    const wide = sql`(select org_id from partners where partner_id = '1000549')`;
    expect(await count(sql`select count(*) n from subscriptions where org_id = ${t.fx.contoso} and partner_org_id is distinct from ${wide}`)).toBe(1);
    const changed = await count(
      sql`select count(*) n from audit_log where action like 'subscription.partner_of_record.%' and created_at >= now() - interval '5 minutes'`,
    );
    expect((await count(sql`select count(*) n from audit_log`)) - auditBefore).toBeGreaterThanOrEqual(changed > 0 ? 100_000 : 1);
    const mails = await t.db.select({ toAddress: s.outbox.toAddress, body: s.outbox.body }).from(s.outbox).orderBy(desc(s.outbox.id)).limit(2);
    expect(mails.map((m) => m.toAddress).sort()).toEqual(['hello@adatum-consulting.example', 'hello@wide-world-importers-it.example']);
    expect(mails.every((m) => countIn(m.body))).toBe(true);
    // The page stays light with 100,002 subscriptions behind it.
    const page = await admin.get('/subscriptions');
    expect(page.queries).toBeLessThanOrEqual(3);
  }, 300_000);
});
