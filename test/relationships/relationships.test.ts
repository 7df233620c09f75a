import { eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import * as s from '../../src/db/schema.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { signUpAndVerify } from '../support/verification.ts';
import { DAY } from '../../src/time.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const statusOf = async (id: string) => (await rows<{ status: string }>(t.db, sql`select status from partner_relationships where id = ${id}`))[0].status;
const count = async (q: ReturnType<typeof sql>) => Number((await rows<{ n: number }>(t.db, q))[0].n);

describe('Settings → Partner relationships', () => {
  it('lists every partner with its relationship types, roles, status and recent activity, with the session in one statement', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const res = await admin.get('/settings/partner-relationships');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Northwind Traders');
    expect(res.text).toContain('Adatum Consulting');
    expect(res.text).toContain('Reseller');
    expect(res.text).toContain('Delegated admin');
    expect(res.text).toContain('Partner of record');
    expect(res.text).toContain('Users, Passwords, Licenses');
    // With the session, in one statement (auth/session-read.ts).
    expect(res.queries).toBe(1);
  });

  it('shows the reseller Remove disabled with the reason', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const res = await admin.get('/settings/partner-relationships');
    expect(res.text).toMatch(
      /<button type="button" class="danger" disabled="" aria-label="Remove Reseller of Northwind Traders" aria-describedby="why-[^"]+">Remove<\/button>/,
    );
    expect(res.text).toContain('Only the reseller can end this relationship. Ask Northwind Traders to remove it.');
    expect(res.text).not.toContain(`/settings/partner-relationships/${t.fx.contosoReseller}/remove`);
  });

  it('refuses a forced request to remove the reseller and changes nothing', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const outbox = await count(sql`select count(*) n from outbox`);
    const res = await admin.post(`/settings/partner-relationships/${t.fx.contosoReseller}/remove`);
    expect(res.status).toBe(403);
    expect(res.text).toContain('Only the reseller can end a reseller relationship');
    expect(await statusOf(t.fx.contosoReseller)).toBe('active');
    expect(await count(sql`select count(*) n from outbox`)).toBe(outbox);
    const partial = await admin.post(
      `/settings/partner-relationships/${t.fx.contosoReseller}/remove`,
      {},
      { 'hx-request': 'true', 'hx-request-type': 'partial' },
    );
    expect(partial.status).toBe(403);
    expect(partial.text).toContain('<section id="partner-relationships">');
  });

  it('a billing admin may not end delegated admin', async () => {
    const billing = await t.signedIn(t.fx.emails.billing);
    const page = await billing.get('/settings/partner-relationships');
    expect(page.text).toContain('Only a global admin can end delegated admin.');
    const res = await billing.post(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/remove`);
    expect(res.status).toBe(403);
    expect(await statusOf(t.fx.contosoDelegatedAdmin)).toBe('active');
  });

  it('the removal warning names the roles that were granted, joined as each language joins a list', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const url = `/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/remove`;
    expect((await admin.get(url)).text).toContain('delegated admin access (Users, Passwords, Licenses, Domains, Admin roles) to Contoso');
    const [before] = await t.db.select({ locale: s.users.locale }).from(s.users).where(eq(s.users.email, t.fx.emails.global));
    await admin.post('/language', { locale: 'zh', back: url });
    expect((await admin.get(url)).text).toContain('（用户、密码、许可证、域、管理员角色）');
    await t.db.update(s.users).set({ locale: before.locale }).where(eq(s.users.email, t.fx.emails.global));
  });

  it("shows a relationship's dates in the reader's time zone, the instant and the full date and time beside", async () => {
    const [rel] = await t.db.select().from(s.partnerRelationships).where(eq(s.partnerRelationships.id, t.fx.contosoDelegatedAdmin));
    const [user] = await t.db.select({ timeZone: s.users.timeZone }).from(s.users).where(eq(s.users.email, t.fx.emails.global));
    await t.db.update(s.users).set({ timeZone: 'Pacific/Kiritimati' }).where(eq(s.users.email, t.fx.emails.global));
    const page = await (await t.signedIn(t.fx.emails.global)).get('/settings/partner-relationships');
    await t.db.update(s.users).set({ timeZone: user.timeZone }).where(eq(s.users.email, t.fx.emails.global));
    const started = new Date(rel.startedAt);
    const day = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'Pacific/Kiritimati' }).format(started);
    expect(page.text).toContain(`<time datetime="${started.toISOString()}"`);
    expect(page.text).toMatch(new RegExp(`<time datetime="${started.toISOString()}" data-full="[^"]+ GMT\\+14">${day}</time>`));
  });

  it('another organization gets 404 for Contoso relationships', async () => {
    const other = await t.signedIn(t.fx.emails.otherOrg);
    expect((await other.get(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/remove`)).status).toBe(404);
    expect((await other.post(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/remove`)).status).toBe(404);
    expect(await statusOf(t.fx.contosoDelegatedAdmin)).toBe('active');
  });

  it('exports the relationships as streamed CSV', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const res = await admin.get('/settings/partner-relationships.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('Partner,Partner ID,Relationship,Roles,Status,Started (UTC),Ends (UTC),Ended (UTC)');
    expect(lines).toHaveLength(5);
    // One date format in every export: ISO 8601 in UTC, never the driver's text form.
    const dates = lines.slice(1).flatMap((l) => l.split(',').slice(-3).filter(Boolean));
    expect(dates.length).toBeGreaterThan(0);
    for (const d of dates) expect(d).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(lines.some((l) => l.startsWith('Northwind Traders,1000001,Delegated admin,Users; Passwords; Licenses; Domains; Admin roles,Active'))).toBe(true);
  });

  it('shows "expires soon" for delegated admin ending within 30 days, and expired after the end date', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const endsIn = (days: number) =>
      t.db.execute(
        sql`update partner_relationships set ends_at = ${new Date(t.clock.now.getTime() + days * DAY).toISOString()} where id = ${t.fx.contosoDelegatedAdmin}`,
      );
    try {
      await endsIn(10);
      expect((await admin.get('/settings/partner-relationships')).text).toContain('Expires soon');
      await endsIn(-1);
      const after = await admin.get('/settings/partner-relationships');
      expect(after.text).not.toContain('Expires soon');
      expect(after.text).toContain('Expired');
      expect(after.text).not.toContain(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/remove`);
    } finally {
      await endsIn(165);
    }
  });

  it('a global admin removes delegated admin after confirming: audited and both sides e-mailed', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const confirm = await admin.get(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/remove`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Remove Delegated admin for Northwind Traders?');
    const res = await admin.post(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/remove`);
    expect(res.status).toBe(303);
    expect(res.location).toBe('/settings/partner-relationships');
    expect(await statusOf(t.fx.contosoDelegatedAdmin)).toBe('ended');
    const audit = await t.db
      .select({ action: s.auditLog.action, partnerOrgId: s.auditLog.partnerOrgId })
      .from(s.auditLog)
      .where(eq(s.auditLog.targetId, t.fx.contosoDelegatedAdmin));
    expect(audit).toEqual([{ action: 'relationship.ended', partnerOrgId: t.fx.northwind }]);
    // Each side reads its own language: Contoso is in Poland, Northwind in China (neither admin has chosen one).
    const mails = await t.db
      .select({ toAddress: s.outbox.toAddress, subject: s.outbox.subject })
      .from(s.outbox)
      .where(like(s.outbox.subject, '%Northwind Traders%Contoso Sp. z o.o.%'))
      .orderBy(s.outbox.toAddress);
    expect(mails.map((m) => m.toAddress)).toEqual(['admin@contoso.example', 'partner@northwind.example']);
    expect(mails[0].subject).toMatch(/^Administrator delegowany: relacja między Northwind Traders a Contoso Sp\. z o\.o\. została zakończona$/);
    expect(mails[1].subject).toMatch(/^委派管理员：Northwind Traders 与 Contoso Sp\. z o\.o\. 之间的关系已结束$/);
    const page = await admin.get('/settings/partner-relationships');
    expect(page.text).toContain('The relationship has been ended.');
    // Ending it twice changes nothing more.
    await admin.post(`/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/remove`);
    expect(await count(sql`select count(*) n from audit_log where target_id = ${t.fx.contosoDelegatedAdmin}`)).toBe(1);
  });

  it('a billing admin may not end the advisor relationship of the partner that is the reseller: not offered, refused when forced, nothing changed', async () => {
    const billing = await t.signedIn(t.fx.emails.billing);
    const page = await billing.get('/settings/partner-relationships');
    expect(page.text).toMatch(
      new RegExp(
        `<tr id="rel-${t.fx.contosoAdvisor}">[\\s\\S]*?<button type="button" class="danger" disabled=""[\\s\\S]*?Only the reseller can end this relationship. Ask Northwind Traders to remove it.`,
      ),
    );
    expect((await billing.get(`/settings/partner-relationships/${t.fx.contosoAdvisor}/remove`)).location).toBe('/settings/partner-relationships');
    const res = await billing.post(`/settings/partner-relationships/${t.fx.contosoAdvisor}/remove`, {}, { 'hx-request': 'true', 'hx-request-type': 'partial' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Only the reseller can end this relationship. Ask Northwind Traders to remove it.');
    expect(await statusOf(t.fx.contosoAdvisor)).toBe('active');
    const [sub] = await t.db
      .select({ partnerOrgId: s.subscriptions.partnerOrgId, version: s.subscriptions.version })
      .from(s.subscriptions)
      .where(eq(s.subscriptions.id, t.fx.contosoResoldSub));
    expect(sub).toEqual({ partnerOrgId: t.fx.northwind, version: 1 });
    expect(await count(sql`select count(*) n from audit_log where target_id in (${t.fx.contosoResoldSub}, ${t.fx.contosoAdvisor})`)).toBe(0);
  });

  it('a new organization sees "You don\'t have a partner yet."', async () => {
    const c = t.client();
    await signUpAndVerify(t.db, c, { orgName: 'Lonely Co', country: 'PL', name: 'Lo Nely', email: 'lo@lonely.example', password: 'a-long-enough-password' });
    const res = await c.get('/settings/partner-relationships');
    expect(res.text).toContain('You don&#39;t have a partner yet.');
  });
});

describe('Partner relationships stays short however long the history', () => {
  const articles = (html: string) =>
    [...html.matchAll(/<article class="pane" id="partner-([0-9a-f-]{36})">([\s\S]*?)<\/article>/g)].map((m) => ({ id: m[1], html: m[2] }));
  const nextLink = (html: string) => /href="([^"]*\?after=[^"]+)"/.exec(html)?.[1].replace(/&amp;/g, '&');

  it('after many start/end cycles each partner shows one current row per type and "Show ended (N)", the ended ones paged', async () => {
    const start = t.clock.now.getTime() - 400 * DAY;
    // 25 earlier cycles with Adatum: 15 of partner of record, 10 of delegated admin, each started and ended.
    await t.db.execute(sql`
      insert into partner_relationships (org_id, partner_org_id, type, status, started_at, ended_at)
      select ${t.fx.contoso}::uuid, ${t.fx.adatum}::uuid, (case when g <= 15 then 'advisor' else 'delegated_admin' end)::relationship_type, 'ended',
        to_timestamp(${Math.floor(start / 1000)}::bigint + g * 86400), to_timestamp(${Math.floor(start / 1000)}::bigint + g * 86400 + 3600)
      from generate_series(1, 25) g`);
    const admin = await t.signedIn(t.fx.emails.global);
    const page = await admin.get('/settings/partner-relationships');
    expect(page.queries).toBeLessThanOrEqual(3);
    const adatum = articles(page.text).find((a) => a.id === t.fx.adatum)!;
    expect(adatum.html.match(/<tr id="rel-/g)).toHaveLength(1);
    expect(adatum.html).toContain('Partner of record');
    expect(adatum.html).toContain('Show ended (25)');
    expect(adatum.html).not.toContain('>Ended<');

    const first = await admin.get(`/settings/partner-relationships/partners/${t.fx.adatum}/ended`);
    expect(first.status).toBe(200);
    expect(first.text).toContain('Ended relationships with Adatum Consulting');
    expect(first.text.match(/<tr>\s*<td data-label="Relationship">/g)).toHaveLength(20);
    expect(first.queries).toBeLessThanOrEqual(3);
    const later = await admin.get(nextLink(first.text)!);
    expect(later.text.match(/<tr>\s*<td data-label="Relationship">/g)).toHaveLength(5);
    expect(later.queries).toBe(first.queries);
    expect(nextLink(later.text)).toBeUndefined();
  });

  it('past 100 ended relationships the link says "Show ended (100+)" rather than counting them all', async () => {
    await t.db.execute(sql`
      insert into partner_relationships (org_id, partner_org_id, type, status, started_at, ended_at)
      select ${t.fx.contoso}::uuid, ${t.fx.adatum}::uuid, 'advisor', 'ended', now() - g * interval '1 day', now() - g * interval '1 day' + interval '1 hour'
      from generate_series(1, 130) g`);
    const admin = await t.signedIn(t.fx.emails.global);
    const adatum = articles((await admin.get('/settings/partner-relationships')).text).find((a) => a.id === t.fx.adatum)!;
    expect(adatum.html).toContain('Show ended (100+)');
  });

  it('a partner of another customer only shows that customer its own ended relationships; an unrelated partner is 404', async () => {
    const other = await t.signedIn(t.fx.emails.otherOrg);
    const res = await other.get(`/settings/partner-relationships/partners/${t.fx.adatum}/ended`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('No relationship with this partner has ended.');
    const [{ id: stranger }] = await rows<{ id: string }>(t.db, sql`select org_id as id from partners where name = 'Litware Cloud'`);
    expect((await other.get(`/settings/partner-relationships/partners/${stranger}/ended`)).status).toBe(404);
  });

  it('a customer with many partners gets them by name, a page at a time, in the same statements on every page', async () => {
    await t.db.execute(sql`
      insert into partner_relationships (org_id, partner_org_id, type, status)
      select ${t.fx.contoso}::uuid, p.org_id, 'advisor', 'active' from partners p
      where not exists (select 1 from partner_relationships r where r.org_id = ${t.fx.contoso} and r.partner_org_id = p.org_id)`);
    const [{ n }] = await rows<{ n: number }>(t.db, sql`select count(*)::int as n from partners`);
    const admin = await t.signedIn(t.fx.emails.global);
    const seen: string[] = [];
    const statements = new Set<number>();
    let url: string | undefined = '/settings/partner-relationships';
    while (url) {
      const res = await admin.get(url);
      expect(res.status).toBe(200);
      statements.add(res.queries);
      const shown = articles(res.text);
      expect(shown.length).toBeLessThanOrEqual(10);
      seen.push(...shown.map((a) => /<h2>([^<]*)<\/h2>/.exec(a.html)![1]));
      url = nextLink(res.text);
    }
    expect(seen).toHaveLength(n);
    expect(seen).toEqual([...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect([...statements]).toHaveLength(1);
    expect([...statements][0]).toBeLessThanOrEqual(3);
  });
});

describe('partner relationships: a cursor the page did not make', () => {
  it('starts the list again', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const res = await admin.get('/settings/partner-relationships?after=not-a-cursor');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/settings/partner-relationships');
  });

  it('a query no link sends (the cursor twice, or far too long) answers the 400 page', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    for (const query of ['after=a&after=b', `after=${'a'.repeat(401)}`]) {
      const res = await admin.get(`/settings/partner-relationships?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.text).toContain('<h1>This request could not be understood</h1>');
    }
  });
});
