/**
 * Access reviews and the last two alert pieces (issue 25 §1, §2), on both databases with the injected
 * clock: the acceptance scenario as one test, then the overdue-review alert, the per-organization
 * reset limit, the review form's refusals and budgets, and two job runs at once (PostgreSQL).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAlerts } from '../../src/alerts/alerts.ts';
import { rows } from '../../src/db/client.ts';
import { runReviews } from '../../src/reviews/reviews.job.ts';
import { DAY } from '../../src/time.ts';
import { createTestApp, type Client, type TestApp } from '../support/app.ts';

const onPostgres = !!process.env.DATABASE_URL;
const URL = 'https://pd.example';
let t: TestApp;
let admin: Client;
let partner: Client;
let review: string;

beforeAll(async () => {
  t = await createTestApp();
  await t.db.execute(sql`update users set locale = 'en' where email in (${t.fx.emails.global}, ${t.fx.emails.partner})`);
  admin = await t.signedIn(t.fx.emails.global);
  partner = await t.signedIn(t.fx.emails.partner);
  review = `/settings/partner-relationships/${t.fx.contosoDelegatedAdmin}/review`;
});
afterAll(() => t?.close());

const mails = (to: string, like = '%') =>
  rows<{ subject: string; body: string }>(t.db, sql`select subject, body from outbox where to_address = ${to} and subject like ${like} order by id`);
const relationship = async () =>
  (
    await rows<{ status: string; roles: string[] }>(t.db, sql`select status::text, roles from partner_relationships where id = ${t.fx.contosoDelegatedAdmin}`)
  )[0];
const resetPassword = () => partner.post(`/portal/customers/${t.fx.contoso}/users/${t.fx.contosoUser}/password`, { password: '' });

describe('the customer keeps watch (acceptance scenario)', () => {
  it('review mail after 90 days, one role removed and one kept, the partner told, a second review unanswered ends it; ten resets one alert; Verify names a changed row', async () => {
    const start = new Date();
    t.clock.now = start;
    // The partner holds two roles: Passwords, which it uses, and Domains, which it never used (for a year from now).
    await t.db.execute(
      sql`update partner_relationships set roles = '{passwords,domains}', ends_at = now() + interval '365 days' where id = ${t.fx.contosoDelegatedAdmin}`,
    );
    const set = await admin.post(`${review}/settings`, { period: '90', unanswered: 'end' });
    expect(set.status).toBe(303);

    // Ten password resets by the partner within 5 minutes: one alert mail, however often the job runs.
    for (let i = 0; i < 10; i++) expect((await resetPassword()).status).toBe(200);
    await runAlerts(t.db, new Date(Date.now() + 20_000), URL);
    await runAlerts(t.db, new Date(Date.now() + 40_000), URL);
    const alerts = await mails(t.fx.emails.global, '%reset many passwords%');
    expect(alerts).toHaveLength(1);
    expect(alerts[0].body).toContain('reset 10 passwords in Contoso Sp. z o.o. within 10 minutes (more than 5)');

    // 89 days: nothing due. 90 days: the review mail arrives, linking to the review page.
    await runReviews(t.db, new Date(start.getTime() + 89 * DAY), URL);
    expect(await mails(t.fx.emails.global, 'Review the delegated admin%')).toHaveLength(0);
    t.clock.now = new Date(start.getTime() + 90 * DAY + 60_000);
    await runReviews(t.db, t.clock.now, URL);
    await runReviews(t.db, t.clock.now, URL);
    const due = await mails(t.fx.emails.global, 'Review the delegated admin%');
    expect(due).toHaveLength(1);
    expect(due[0].subject).toBe('Review the delegated admin access of Northwind Traders to Contoso Sp. z o.o.');
    expect(due[0].body).toContain(`${URL}${review}`);
    expect(due[0].body).toContain('the chosen policy applies: end the relationship');

    // The page: each role with its last use (when, by whom), Keep / Remove, Keep all (sessions do not last 90 days: signed in again).
    admin = await t.signedIn(t.fx.emails.global);
    const page = await admin.get(review);
    expect(page.status).toBe(200);
    expect(page.queries).toBeLessThanOrEqual(3);
    expect(page.text).toMatch(/<legend>Passwords<\/legend>\s*<p class="muted">Last used [^<]+ by Nadia Partner<\/p>/);
    expect(page.text).toMatch(/<legend>Domains<\/legend>\s*<p class="muted">Not used since the relationship started<\/p>/);
    expect(page.text).toContain('Keep all');
    const reviewId = /name="reviewId" value="([^"]+)"/.exec(page.text)![1];

    // The admin removes the unused role and keeps the used one.
    const answered = await admin.post(review, { reviewId, role_passwords: 'keep', role_domains: 'remove' });
    expect(answered.status).toBe(303);
    expect(answered.queries).toBeLessThanOrEqual(3);
    expect((await relationship()).roles).toEqual(['passwords']);
    // The partner is told.
    const told = await mails(t.fx.emails.partner, '%reviewed your delegated admin access');
    expect(told).toHaveLength(1);
    expect(told[0].body).toContain('Kept: Passwords\nRemoved: Domains');
    // The form is gone; answering again is refused without a change.
    expect((await admin.post(review, { reviewId, role_passwords: 'remove' })).status).toBe(303);
    expect((await relationship()).roles).toEqual(['passwords']);

    // The second review (90 days after the answer) is left unanswered: 7 days after it is due the relationship ends by policy.
    t.clock.now = new Date(start.getTime() + 180 * DAY + 2 * 60_000);
    await runReviews(t.db, t.clock.now, URL);
    expect(await mails(t.fx.emails.global, 'Review the delegated admin%')).toHaveLength(2);
    await runReviews(t.db, new Date(t.clock.now.getTime() + 6 * DAY), URL);
    expect((await relationship()).status).toBe('active');
    await Promise.all([runReviews(t.db, new Date(t.clock.now.getTime() + 7 * DAY), URL), runReviews(t.db, new Date(t.clock.now.getTime() + 7 * DAY + 1), URL)]);
    expect((await relationship()).status).toBe('ended');
    // Both sides are mailed once, through the end path (the customer's mail lists what the partner left behind).
    const ended = '%Unanswered access review: the delegated admin relationship%';
    expect(await mails(t.fx.emails.global, ended)).toHaveLength(1);
    expect(await mails(t.fx.emails.partner, ended)).toHaveLength(1);
    expect((await mails(t.fx.emails.global, ended))[0].body).toContain('As Contoso Sp. z o.o. chose, the relationship has been ended.');

    // The activity log tells the story.
    t.clock.now = new Date();
    admin = await t.signedIn(t.fx.emails.global);
    const log = await admin.get(`/activity?partner=${t.fx.northwind}&action=relationship`);
    expect(log.text).toContain(
      'Alex Admin set the access reviews of the delegated admin of Northwind Traders: Every 90 days; if unanswered, end the relationship.',
    );
    expect(log.text).toContain('An access review of the delegated admin of Northwind Traders is due.');
    expect(log.text).toContain('Alex Admin reviewed the delegated admin of Northwind Traders: kept Passwords; removed Domains.');
    expect(log.text).toContain('The access review of the delegated admin of Northwind Traders was not answered within 7 days: the relationship was ended.');
    expect(log.text).toContain('partnerdesk ended the delegated admin relationship with Northwind Traders.');

    // A row changed in SQL: Verify names it.
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
      await tx.execute(sql`update audit_log set actor_name = 'Someone else' where org_id = ${t.fx.contoso} and chain_seq = 3`);
      await tx.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
    });
    let verify = await admin.get('/activity/verify');
    for (let i = 0; i < 20 && /href="(\/activity\/verify\?from=\d+)"/.test(verify.text); i++) {
      verify = await admin.get(/href="(\/activity\/verify\?from=\d+)"/.exec(verify.text)![1]);
    }
    expect(verify.text).toMatch(/Changed at entry 3 \(/);
  }, 60_000);
});

describe('Settings → Alerts: the password-reset limit per organization', () => {
  it('refuses what is not 1–100 with a clear message, keeping what was typed; a saved limit is what the alert uses', async () => {
    t.clock.now = new Date();
    const fabrikam = await t.signedIn(t.fx.emails.otherOrg);
    const page = await fabrikam.get('/settings/alerts');
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="resetLimit"');
    expect(page.text).toMatch(/value="5"/);
    for (const typed of ['abc', '0', '101', '2.5']) {
      const refused = await fabrikam.post('/settings/alerts', { resetLimit: typed });
      expect(refused.status).toBe(422);
      expect(refused.text).toContain('Enter a whole number from 1 to 100.');
      expect(refused.text).toContain(`value="${typed}"`);
    }
    expect((await fabrikam.post('/settings/alerts', { resetLimit: ' 3 ' })).status).toBe(303);
    expect((await fabrikam.get('/settings/alerts')).text).toMatch(/value="3"/);
    const fabrikamUser = (await rows<{ id: string }>(t.db, sql`select id from users where email = 'user@fabrikam.example'`))[0].id;
    for (let i = 0; i < 4; i++) {
      expect((await partner.post(`/portal/customers/${t.fx.fabrikam}/users/${fabrikamUser}/password`, { password: '' })).status).toBe(200);
    }
    await runAlerts(t.db, new Date(Date.now() + 20_000), URL);
    const sent = await mails(t.fx.emails.otherOrg, '%重置了大量密码');
    expect(sent).toHaveLength(1);
    expect(sent[0].body).toContain('（超过 3 个）');
    // Contoso's limit is still its own (the default).
    expect((await admin.get('/settings/alerts')).text).toMatch(/value="5"/);
  });
});

describe('an overdue review', () => {
  it('alerts when the partner acts meanwhile; the form refuses half an answer and other organizations; unanswered, unused roles go', async () => {
    const real = Date.now();
    t.clock.now = new Date(real);
    const fabrikam = await t.signedIn(t.fx.emails.otherOrg);
    const [rel] = await rows<{ id: string }>(
      t.db,
      sql`select id from partner_relationships where org_id = ${t.fx.fabrikam} and partner_org_id = ${t.fx.northwind} and type = 'delegated_admin'`,
    );
    const page = `/settings/partner-relationships/${rel.id}/review`;
    const set = await fabrikam.post(`${page}/settings`, { period: '30', unanswered: 'remove_unused' });
    expect(set.location).toBe(page);
    // Two instances open the review due after 30 days once.
    const due = real + 30 * DAY + 60_000;
    await Promise.all([runReviews(t.db, new Date(due), URL), runReviews(t.db, new Date(due), URL)]);
    expect(await mails(t.fx.emails.otherOrg, '请审查%')).toHaveLength(1);

    // The partner acts while the review is overdue (a row dated then, as the alerts test writes them): one alert, linking to the review.
    await t.db.execute(sql`insert into audit_log (org_id, partner_org_id, actor_user_id, actor_name, action, target_type, target_id, created_at)
      select ${t.fx.fabrikam}, ${t.fx.northwind}, u.id, u.name, 'user.updated', 'user', gen_random_uuid()::text, ${new Date(due + DAY).toISOString()}::timestamptz
      from users u where u.email = ${t.fx.emails.partner}`);
    await runAlerts(t.db, new Date(due + DAY + 20_000), URL);
    await runAlerts(t.db, new Date(due + DAY + 40_000), URL);
    const overdue = await mails(t.fx.emails.otherOrg, '%在访问审查逾期期间%');
    expect(overdue).toHaveLength(1);
    expect(overdue[0].body).toContain(`${URL}${page}`);

    // In Chinese: half an answer is refused with which roles still need a choice, the choices made kept; nothing changes.
    await fabrikam.post('/language', { locale: 'zh', back: '/' });
    const form = await fabrikam.get(page);
    expect(form.text).toContain('访问审查：Northwind Traders');
    expect(form.queries).toBeLessThanOrEqual(3);
    const reviewId = /name="reviewId" value="([^"]+)"/.exec(form.text)![1];
    const half = await fabrikam.post(page, { reviewId, role_users: 'remove' });
    expect(half.status).toBe(422);
    expect(half.queries).toBeLessThanOrEqual(3);
    expect(half.text).toContain('请为以下角色选择“保留”或“删除”：密码、许可证、域、管理员角色。');
    expect(half.text).toMatch(/name="role_users" value="remove" checked/);
    // With htmx the section alone comes back.
    const part = await fabrikam.post(page, { reviewId, role_users: 'remove' }, { 'hx-request': 'true' });
    expect(part.status).toBe(422);
    expect(part.queries).toBeLessThanOrEqual(3);
    expect(part.text).not.toContain('<html');
    expect(part.text).toContain('<section id="review">');
    // Malformed answers never break the page, and leave the review open.
    for (const bad of ['', 'x'.repeat(200), '<pd-x>', '\u0000', 'KEEP', '00000000-0000-0000-0000-000000000000', "'; drop table users; --"]) {
      const forms: Record<string, string | string[]>[] = [
        { reviewId: bad, role_users: 'keep' },
        { reviewId, role_users: bad, [`role_${bad}`]: 'keep' },
        { reviewId: [reviewId, bad] },
      ];
      for (const form of forms) {
        const res = await fabrikam.post(page, form);
        expect(res.status, JSON.stringify(form)).toBeLessThan(500);
        expect(res.text).not.toContain('<pd-x>');
      }
    }
    // Another organization's relationship is not found, and its review is untouched.
    expect((await admin.get(page)).status).toBe(404);
    expect((await admin.post(page, { reviewId, role_users: 'keep', role_passwords: 'keep' })).status).toBe(404);
    expect((await admin.post(`${page}/settings`, { period: 'off', unanswered: 'end' })).status).toBe(404);
    expect(
      (await rows<{ n: number }>(t.db, sql`select count(*)::int as n from access_reviews where relationship_id = ${rel.id} and status = 'open'`))[0].n,
    ).toBe(1);

    // Unanswered for 7 days: the roles not used since the relationship started go (Users and Passwords were used); both sides are told.
    await runReviews(t.db, new Date(due + 6 * DAY), URL);
    await runReviews(t.db, new Date(due + 7 * DAY), URL);
    const [narrowed] = await rows<{ roles: string[]; status: string }>(t.db, sql`select roles, status::text from partner_relationships where id = ${rel.id}`);
    expect(narrowed).toEqual({ roles: ['users', 'passwords'], status: 'active' });
    const told = await mails(t.fx.emails.partner, 'Unanswered access review: unused roles removed%');
    expect(told).toHaveLength(1);
    expect(told[0].body).toContain('Removed: Licenses, Domains, Admin roles\nKept: Users, Passwords');
    expect(await mails(t.fx.emails.otherOrg, '审查未答复：已删除%')).toHaveLength(1);
  }, 60_000);
});

describe.skipIf(!onPostgres)('two instances', () => {
  it('open a due review once and apply its policy once, however the runs overlap', async () => {
    const [rel] = await rows<{ id: string }>(
      t.db,
      sql`insert into partner_relationships (org_id, partner_org_id, type, roles, ends_at, started_at)
        values (${t.fx.contoso}, ${t.fx.adatum}, 'delegated_admin', '{domains}', now() + interval '1 year', now() - interval '1 year') returning id`,
    );
    await t.db.execute(sql`insert into access_review_policies (relationship_id, org_id, every_days, unanswered, next_due_at)
      values (${rel.id}, ${t.fx.contoso}, 30, 'end', now() - interval '1 day')`);
    const at = new Date(Date.now() + 60_000);
    await Promise.all([1, 2, 3, 4].map(() => runReviews(t.db, at, URL)));
    const opened = await rows<{ n: number }>(t.db, sql`select count(*)::int as n from access_reviews where relationship_id = ${rel.id}`);
    expect(opened[0].n).toBe(1);
    expect(await mails(t.fx.emails.global, 'Review the delegated admin access of Adatum%')).toHaveLength(1);
    const later = new Date(Date.now() + 8 * DAY);
    await Promise.all([1, 2, 3, 4].map(() => runReviews(t.db, later, URL)));
    const ended = await rows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from audit_log where target_id = ${rel.id} and action in ('relationship.ended', 'relationship.review.policy_applied')`,
    );
    expect(ended[0].n).toBe(2);
    expect(await mails(t.fx.emails.global, 'Unanswered access review: the delegated admin relationship between Adatum%')).toHaveLength(1);
  });
});
