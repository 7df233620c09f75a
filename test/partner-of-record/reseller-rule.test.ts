import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import * as s from '../../src/db/schema.ts';
import { mayChangePartnerOfRecord } from '../../src/partner-of-record/partner-of-record.rules.ts';
import { whyNotEndable } from '../../src/relationships/relationships.rules.ts';
import { createTestApp, type Client, type TestApp } from '../support/app.ts';
import { snapshot } from './snapshot.ts';

// Contoso's Business Standard has Northwind Traders as partner of record, and Northwind is also Contoso's
// reseller: the one reseller rule says only the reseller may change or remove it, from every entry point.
let t: TestApp;
let admin: Client;
const partial = { 'hx-request': 'true', 'hx-request-type': 'partial' };
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signedIn(t.fx.emails.global);
});
afterAll(() => t?.close());

describe('the reseller rule, decided once', () => {
  it('only the reseller may change the partner of record it holds; any other the customer manages', () => {
    expect(mayChangePartnerOfRecord({ heldByReseller: true }, 'customer')).toBe(false);
    expect(mayChangePartnerOfRecord({ heldByReseller: true }, 'reseller')).toBe(true);
    expect(mayChangePartnerOfRecord({ heldByReseller: false }, 'customer')).toBe(true);
  });
  it('Partner relationships follows it: the advisor relationship of the reseller is the reseller’s to end', () => {
    expect(whyNotEndable('global_admin', 'advisor', true)).toBe('resellerOnly');
    expect(whyNotEndable('billing_admin', 'advisor', true)).toBe('resellerOnly');
    expect(whyNotEndable('billing_admin', 'advisor', false)).toBeNull();
  });
});

describe('subscription details', () => {
  it('offers neither Remove nor another Partner ID, says why, and refuses both when forced', async () => {
    const page = await admin.get(`/subscriptions/${t.fx.contosoResoldSub}`);
    expect(page.text).toMatch(/<button name="action" value="remove" class="danger" disabled=""/);
    expect(page.text).toContain('Northwind Traders is your reseller: only the reseller can end this partner of record.');
    expect(page.text).not.toContain('Partner ID of another partner');
    expect(page.text).not.toContain('value="add"');
    const before = await snapshot(t.db);
    for (const form of [{ action: 'remove' }, { action: 'add', partnerId: '1000549', confirm: '1' }] as Record<string, string>[]) {
      const res = await admin.post(`/subscriptions/${t.fx.contosoResoldSub}/partner`, form);
      expect(res.status).toBe(422);
      expect(res.text).toContain('Northwind Traders is your reseller for Business Standard: only the reseller can end this partner of record.');
      const fragment = await admin.post(`/subscriptions/${t.fx.contosoResoldSub}/partner`, form, partial);
      expect(fragment.status).toBe(422);
      expect(fragment.text.startsWith('<section id="partner-info"')).toBe(true);
    }
    expect(await snapshot(t.db)).toBe(before);
  });
});

describe('bulk change', () => {
  it('does not offer the reseller’s subscription for selection, says why, and refuses it when forced', async () => {
    const list = await admin.get('/subscriptions');
    expect(list.text).toMatch(new RegExp(`value="${t.fx.contosoResoldSub}" disabled=""[^>]*aria-describedby="held-${t.fx.contosoResoldSub}"`));
    expect(list.text).toMatch(
      new RegExp(
        `<small id="held-${t.fx.contosoResoldSub}" class="hint">Northwind Traders is your reseller: only the reseller can end this partner of record.</small>`,
      ),
    );
    expect(list.text).not.toMatch(new RegExp(`value="${t.fx.contosoTrialSub}" disabled`));
    const before = await snapshot(t.db);
    for (const form of [{ action: 'remove' }, { action: 'add', partnerId: '1000549', confirm: '1' }] as Record<string, string>[]) {
      const res = await admin.post('/subscriptions/partner', { ids: [t.fx.contosoResoldSub], ...form });
      expect(res.status).toBe(422);
      expect(res.text).toContain('Northwind Traders is your reseller for Business Standard: only the reseller can end this partner of record.');
    }
    expect(await snapshot(t.db)).toBe(before);
  });
});

describe('Partner relationships', () => {
  it('ending the advisor relationship of a partner that is not the reseller removes it as partner of record, in one transaction', async () => {
    const billing = await t.signedIn(t.fx.emails.billing);
    expect((await admin.post(`/subscriptions/${t.fx.contosoTrialSub}/partner`, { partnerId: '1000549', action: 'add', confirm: '1' })).status).toBe(303);
    const [rel] = await rows<{ id: string }>(
      t.db,
      sql`select r.id from partner_relationships r join partners p on p.org_id = r.partner_org_id where p.partner_id = '1000549' and r.type = 'advisor' and r.status = 'active'`,
    );
    const page = await billing.get('/settings/partner-relationships');
    expect(page.text).toContain(`action="/settings/partner-relationships/${rel.id}/remove"`);
    const res = await billing.post(`/settings/partner-relationships/${rel.id}/remove`);
    expect(res.status).toBe(303);
    const [sub] = await t.db.select({ partnerOrgId: s.subscriptions.partnerOrgId }).from(s.subscriptions).where(eq(s.subscriptions.id, t.fx.contosoTrialSub));
    expect(sub).toEqual({ partnerOrgId: null });
    const audit = await rows<{ action: string }>(t.db, sql`select action from audit_log where target_id in (${rel.id}, ${t.fx.contosoTrialSub}) order by id`);
    expect(audit.map((a) => a.action)).toEqual([
      'subscription.partner_of_record.added',
      'relationship.advisor.started',
      'relationship.ended',
      'subscription.partner_of_record.removed',
    ]);
  });
});
