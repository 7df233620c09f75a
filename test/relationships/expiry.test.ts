import { eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import * as s from '../../src/db/schema.ts';
import { runExpiryJob } from '../../src/relationships/expiry.ts';
import { dueReminder, effectiveStatus, expiresSoon, typesEndableBy, whyNotEndable } from '../../src/relationships/relationships.rules.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { DAY } from '../../src/time.ts';

// Near the seed's own clock: Fabrikam's delegated admin ends 165 days after the seed ran.
const now = new Date(Math.floor(Date.now() / DAY) * DAY);
const inDays = (d: number) => new Date(now.getTime() + d * DAY);

describe('relationship rules', () => {
  it('only the reseller ends a reseller relationship; only a global admin ends delegated admin', () => {
    expect(whyNotEndable('global_admin', 'reseller')).toBe('resellerOnly');
    expect(whyNotEndable('billing_admin', 'reseller')).toBe('resellerOnly');
    expect(whyNotEndable('billing_admin', 'delegated_admin')).toBe('globalAdminOnly');
    expect(whyNotEndable('billing_admin', 'advisor')).toBeNull();
    expect(whyNotEndable('global_admin', 'delegated_admin')).toBeNull();
    expect(typesEndableBy('partner_agent')).toEqual(['reseller', 'delegated_admin']);
    expect(whyNotEndable('partner_admin', 'advisor')).toBe('customerOnly');
    expect(typesEndableBy('user')).toEqual([]);
  });

  it('a delegated admin past its end date reads as expired, and expires soon within 30 days', () => {
    expect(effectiveStatus({ status: 'active', endsAt: inDays(-1) }, now)).toBe('expired');
    expect(effectiveStatus({ status: 'active', endsAt: null }, now)).toBe('active');
    expect(expiresSoon({ status: 'active', endsAt: inDays(29) }, now)).toBe(true);
    expect(expiresSoon({ status: 'active', endsAt: inDays(31) }, now)).toBe(false);
    expect(expiresSoon({ status: 'ended', endsAt: inDays(3) }, now)).toBe(false);
  });

  it('the reminder due is the smallest threshold crossed', () => {
    expect(dueReminder(inDays(31), now)).toBeNull();
    expect(dueReminder(inDays(30), now)).toBe(30);
    expect(dueReminder(inDays(8), now)).toBe(30);
    expect(dueReminder(inDays(5), now)).toBe(7);
    expect(dueReminder(inDays(0.5), now)).toBe(1);
    expect(dueReminder(inDays(-1), now)).toBeNull();
  });
});

describe('the expiry job', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await t.db.execute(sql`update partner_relationships set ends_at = ${inDays(20).toISOString()} where id = ${t.fx.contosoDelegatedAdmin}`);
  });
  afterAll(() => t?.close());

  const reminders = () =>
    t.db
      .select({ dedupeKey: s.outbox.dedupeKey, toAddress: s.outbox.toAddress, subject: s.outbox.subject })
      .from(s.outbox)
      .where(like(s.outbox.dedupeKey, 'reminder:%'))
      .orderBy(s.outbox.id);

  it('reminds both sides 30, 7 and 1 day before, once per threshold, in the customer language', async () => {
    await runExpiryJob(t.db, now);
    await runExpiryJob(t.db, new Date(now.getTime() + 3600_000));
    let sent = await reminders();
    expect(sent.map((m) => [m.dedupeKey, m.toAddress])).toEqual([
      [`reminder:${t.fx.contosoDelegatedAdmin}:30:admin@contoso.example`, 'admin@contoso.example'],
      [`reminder:${t.fx.contosoDelegatedAdmin}:30:partner@northwind.example`, 'partner@northwind.example'],
    ]);
    expect(sent[0].subject).toBe('Relacja administratora delegowanego dla Contoso Sp. z o.o. kończy się za 30 dni');
    await runExpiryJob(t.db, inDays(14));
    await runExpiryJob(t.db, inDays(19.5));
    await runExpiryJob(t.db, inDays(19.6));
    sent = await reminders();
    expect(sent.map((m) => m.dedupeKey!.split(':')[2])).toEqual(['30', '30', '7', '7', '1', '1']);
  });

  it('ends delegated admin at its end date: status, audit row, e-mails to both sides, once', async () => {
    const result = await runExpiryJob(t.db, inDays(20.01));
    expect(result.expired).toBe(1);
    expect((await runExpiryJob(t.db, inDays(20.02))).expired).toBe(0);
    const [rel] = await rows<{ status: string }>(t.db, sql`select status from partner_relationships where id = ${t.fx.contosoDelegatedAdmin}`);
    expect(rel.status).toBe('expired');
    const audit = await t.db
      .select({ action: s.auditLog.action, orgId: s.auditLog.orgId })
      .from(s.auditLog)
      .where(eq(s.auditLog.targetId, t.fx.contosoDelegatedAdmin));
    expect(audit).toEqual([{ action: 'relationship.expired', orgId: t.fx.contoso }]);
    const mails = await t.db.select({ toAddress: s.outbox.toAddress }).from(s.outbox).where(like(s.outbox.dedupeKey, 'expired:%')).orderBy(s.outbox.toAddress);
    expect(mails.map((m) => m.toAddress)).toEqual(['admin@contoso.example', 'partner@northwind.example']);
    // Fabrikam's delegated admin (ending much later) is untouched.
    const [{ n }] = await rows<{ n: number }>(
      t.db,
      sql`select count(*)::int n from partner_relationships where org_id = ${t.fx.fabrikam} and type = 'delegated_admin' and status = 'active'`,
    );
    expect(n).toBe(1);
  });
});
