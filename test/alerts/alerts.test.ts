import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAlerts } from '../../src/alerts/alerts.ts';
import { rows } from '../../src/db/client.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await t.db.execute(sql`update users set locale = 'en' where email = ${t.fx.emails.global}`);
});
afterAll(() => t?.close());

const URL = 'https://pd.example';
const MIN = 60_000;

/** Northwind's partner admin acting for Contoso, as the app records it (partner on the row, the person of the partner). */
async function partnerActs(action: string, times: number, at = new Date()) {
  await t.db.execute(sql`insert into audit_log (org_id, partner_org_id, actor_user_id, actor_name, action, target_type, target_id, created_at)
    select ${t.fx.contoso}, ${t.fx.northwind}, u.id, u.name, ${action}, 'user', gen_random_uuid()::text, ${at.toISOString()}::timestamptz
    from users u, generate_series(1, ${times}::int) where u.email = ${t.fx.emails.partner}`);
}

const alerts = () =>
  rows<{ to: string; subject: string; body: string }>(
    t.db,
    sql`select to_address as "to", subject, body from outbox where subject like '%Northwind%' order by id`,
  );

describe('alerts to the customer', () => {
  it('mails the customer’s global admins when a partner creates an account, then at most one summary per 10 minutes', async () => {
    const start = new Date();
    // Nothing a partner did yet: nothing sent.
    await runAlerts(t.db, start, URL);
    expect(await alerts()).toHaveLength(0);

    await partnerActs('user.created', 1);
    await partnerActs('user.signed_in', 3);
    await runAlerts(t.db, new Date(start.getTime() + 20_000), URL);
    const first = await alerts();
    expect(first.length).toBeGreaterThan(0);
    expect(first.every((m) => m.to.endsWith('@contoso.example'))).toBe(true);
    const mail = first.find((m) => m.to === t.fx.emails.global)!;
    expect(mail.subject).toBe('Northwind Traders created accounts or granted admin roles in Contoso Sp. z o.o.');
    expect(mail.body).toContain('Northwind Traders created an account or granted an admin role in Contoso');
    expect(mail.body).toContain(`${URL}/activity?partner=${t.fx.northwind}&action=user`);
    // Suspend for that partner: a page with one POST button (issue 24 §4).
    expect(mail.body).toContain(`${URL}/settings/partner-relationships/partners/${t.fx.northwind}/suspend`);

    // Three more grants within the 10 minutes: nothing now, one summary once they have passed.
    await partnerActs('user.role_granted', 3);
    await runAlerts(t.db, new Date(start.getTime() + 2 * MIN), URL);
    await runAlerts(t.db, new Date(start.getTime() + 5 * MIN), URL);
    expect(await alerts()).toHaveLength(first.length);
    await runAlerts(t.db, new Date(start.getTime() + 11 * MIN), URL);
    const all = await alerts();
    expect(all).toHaveLength(first.length * 2);
    expect(all.find((m, i) => i >= first.length && m.to === t.fx.emails.global)!.body).toContain('granted admin roles 3 times');
    // Nothing new: a further run (or a second instance) sends nothing.
    await runAlerts(t.db, new Date(start.getTime() + 30 * MIN), URL);
    expect(await alerts()).toHaveLength(all.length);
  });

  it('writes each admin’s mail in their language (none chosen: their organization country’s, Polish here)', async () => {
    const latest = async () => (await alerts()).filter((m) => m.to === t.fx.emails.global).pop()!;
    await t.db.execute(sql`update users set locale = null where email = ${t.fx.emails.global}`);
    await partnerActs('user.created', 1);
    await runAlerts(t.db, new Date(Date.now() + 60 * MIN), URL);
    expect((await latest()).subject).toBe('Partner Northwind Traders: nowe konta lub role administratora w organizacji Contoso Sp. z o.o.');
    await t.db.execute(sql`update users set locale = 'zh' where email = ${t.fx.emails.global}`);
    await partnerActs('user.role_granted', 1);
    await runAlerts(t.db, new Date(Date.now() + 80 * MIN), URL);
    expect((await latest()).subject).toBe('Northwind Traders 在 Contoso Sp. z o.o. 中创建了账户或授予了管理员角色');
  });

  it('mails once when a partner resets more than 5 passwords within 10 minutes, and not for 5', async () => {
    const resets = async () => (await alerts()).filter((m) => m.to === t.fx.emails.global && m.subject.includes('passwords'));
    await t.db.execute(sql`update users set locale = 'en' where email = ${t.fx.emails.global}`);
    const start = Date.now() + 120 * MIN;
    await partnerActs('user.password_reset', 5, new Date(start - 2 * MIN));
    await runAlerts(t.db, new Date(start), URL);
    expect(await resets()).toHaveLength(0);
    // Ten in five minutes (the acceptance scenario): one alert mail, however often the job runs.
    await partnerActs('user.password_reset', 5, new Date(start + 2 * MIN));
    await runAlerts(t.db, new Date(start + 2 * MIN + 20_000), URL);
    await runAlerts(t.db, new Date(start + 2 * MIN + 40_000), URL);
    const sent = await resets();
    expect(sent).toHaveLength(1);
    expect(sent[0].subject).toBe('Northwind Traders reset many passwords in Contoso Sp. z o.o.');
    expect(sent[0].body).toContain('reset 10 passwords in Contoso Sp. z o.o. within 10 minutes (more than 5)');
  });
});
