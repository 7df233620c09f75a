/**
 * The access-review job (issue 25 §1), beside the expiry and alerts jobs in src/server.ts. Each run, in
 * one transaction under an advisory lock (a second instance skips the run):
 *   1. opens the reviews that are due and mails the customer's global admins a link to the review page;
 *   2. applies the chosen policy to reviews still unanswered 7 days after they were due: removes the
 *      roles not used since the last review, or ends the relationship through the one end path
 *      (relationships.queries.ts `endRelationship`, so the left-behind list of decision 105 comes with it),
 *      and mails both sides.
 * Idempotent: a review opens once per due date (one open review per relationship), a policy applies once
 * (the review leaves 'open' in the same transaction), and mails carry dedupe keys.
 */
import { sql } from 'drizzle-orm';
import { auditInsert } from '../audit/audit.ts';
import { rows, type Db, type Queryable } from '../db/client.ts';
import { i18n, type I18n, type MessageKey } from '../i18n/index.ts';
import { isLocale, locales, type Locale } from '../i18n/locales.ts';
import { enqueueMail, type Mail } from '../mail/outbox.ts';
import type { PeriodicJob } from '../mail/worker.ts';
import { relationshipRecipientsSql } from '../relationships/expiry.ts';
import { leftBehindMailTexts } from '../relationships/left-behind.queries.ts';
import { endRelationship, type EndMail } from '../relationships/relationships.queries.ts';
import { lastUseSql } from './reviews.queries.ts';
import { GRACE_MS, reviewHref } from './reviews.rules.ts';

type Recipient = { email: string; locale: Locale; customer: boolean };

export const rolesText = (i: I18n, roles: readonly string[]) =>
  roles.length === 0 ? i.t('reviews.none') : roles.map((r) => i.t(`rel.role.${r}` as MessageKey)).join(i.t('common.listSeparator'));

const localeOf = (l: string) => i18n(isLocale(l) ? l : 'en');

interface Opened {
  id: string;
  relationshipId: string;
  dueAt: string;
  policy: string;
  customerName: string;
  partnerName: string;
  recipients: Recipient[];
}

async function openDue(tx: Queryable, now: Date, publicUrl: string): Promise<number> {
  const at = now.toISOString();
  const opened = await rows<Opened>(
    tx,
    sql`with due as (
        select pol.relationship_id, pol.next_due_at, pol.last_reviewed_at, pol.unanswered from access_review_policies pol
        where pol.next_due_at <= ${at}::timestamptz and pol.every_days is not null
        for update of pol skip locked),
      opened as (
        insert into access_reviews (relationship_id, org_id, partner_org_id, due_at, since)
        select d.relationship_id, r.org_id, r.partner_org_id, d.next_due_at, coalesce(d.last_reviewed_at, r.started_at)
        from due d join partner_relationships r on r.id = d.relationship_id
        where r.status = 'active' and r.type = 'delegated_admin' and (r.ends_at is null or r.ends_at > ${at}::timestamptz)
        on conflict (relationship_id) where status = 'open' do nothing
        returning id, relationship_id, org_id, partner_org_id, due_at),
      cleared as (update access_review_policies pol set next_due_at = null from due d where pol.relationship_id = d.relationship_id),
      audited as (${auditInsert(
        {
          orgId: sql`o.org_id`,
          partnerOrgId: sql`o.partner_org_id`,
          actorName: 'partnerdesk',
          action: 'relationship.review.due',
          targetType: 'partner_relationship',
          targetId: sql`o.relationship_id::text`,
          after: sql`json_build_object('type', 'delegated_admin', 'dueAt', o.due_at)`,
        },
        sql`opened o`,
      )})
      select o.id, o.relationship_id as "relationshipId", o.due_at as "dueAt", d.unanswered as policy,
        c.name as "customerName", p.name as "partnerName", ${relationshipRecipientsSql(false)} as recipients
      from opened o join due d on d.relationship_id = o.relationship_id join partner_relationships r on r.id = o.relationship_id
        join organizations c on c.id = o.org_id join partners p on p.org_id = o.partner_org_id`,
  );
  const mails: Mail[] = opened.flatMap((o) =>
    o.recipients.map(({ email, locale }) => {
      const i = localeOf(locale);
      const params = {
        partner: o.partnerName,
        customer: o.customerName,
        link: `${publicUrl}${reviewHref(o.relationshipId)}`,
        date: i.date(new Date(new Date(o.dueAt).getTime() + GRACE_MS)),
        policy: i.t(o.policy === 'end' ? 'reviews.policy.end' : 'reviews.policy.remove_unused'),
      };
      return {
        to: email,
        subject: i.t('reviews.mail.due.subject', params),
        body: i.t('reviews.mail.due.body', params),
        dedupeKey: `review-due:${o.id}:${email}`,
      };
    }),
  );
  await enqueueMail(tx, ...mails);
  return opened.length;
}

interface Overdue {
  id: string;
  relationshipId: string;
  orgId: string;
  policy: string;
  active: boolean;
}

/** The end mail when an unanswered review ends the relationship: the reason, and (for the customer) what the partner left behind. */
function reviewEndMail(): EndMail {
  const one = (i: I18n) => ({
    subject: i.t('reviews.mail.ended.subject'),
    body: i.t('reviews.mail.ended.body'),
    typeLabels: { reseller: i.t('rel.type.reseller'), delegated_admin: i.t('rel.type.delegated_admin'), advisor: i.t('rel.type.advisor') },
    leftBehind: leftBehindMailTexts(i),
  });
  return Object.fromEntries(locales.map((l) => [l, one(i18n(l))])) as EndMail;
}

const SYSTEM = { id: null, name: 'partnerdesk' };

async function applyPolicies(tx: Queryable, now: Date): Promise<number> {
  const at = now.toISOString();
  // The review and its relationship stay locked to the end of the run: nobody ends or narrows it meanwhile.
  const overdue = await rows<Overdue>(
    tx,
    sql`select v.id, v.relationship_id as "relationshipId", v.org_id as "orgId", pol.unanswered as policy,
        (r.status = 'active' and (r.ends_at is null or r.ends_at > ${at}::timestamptz)) as active
      from access_reviews v join access_review_policies pol on pol.relationship_id = v.relationship_id
        join partner_relationships r on r.id = v.relationship_id
      where v.status = 'open' and v.due_at <= ${new Date(now.getTime() - GRACE_MS).toISOString()}::timestamptz
      order by v.due_at, v.id
      for update of v, r skip locked`,
  );
  for (const v of overdue) {
    if (!v.active) {
      // The relationship ended or expired meanwhile: nothing left to review.
      await tx.execute(sql`update access_reviews set status = 'cancelled', decided_at = ${at}::timestamptz where id = ${v.id}`);
    } else if (v.policy === 'end') {
      await closeApplied(tx, v, at, sql`json_build_object('type', 'delegated_admin', 'policy', 'end')`);
      await endRelationship(tx, {
        side: { orgId: v.orgId },
        id: v.relationshipId,
        allowedTypes: ['delegated_admin'],
        actor: SYSTEM,
        by: 'customer',
        now,
        mail: reviewEndMail(),
      });
    } else {
      await removeUnused(tx, v, at);
    }
  }
  return overdue.length;
}

/** Closes the review as applied, with its audit row (`after`: what was applied). */
async function closeApplied(tx: Queryable, v: Overdue, at: string, after: ReturnType<typeof sql>) {
  await tx.execute(sql`with done as (
      update access_reviews v set status = 'applied', decided_at = ${at}::timestamptz, outcome = ${after}
      where v.id = ${v.id} returning v.relationship_id, v.org_id, v.partner_org_id),
    scheduled as (update access_review_policies pol set last_reviewed_at = ${at}::timestamptz,
        next_due_at = case when pol.every_days is null then null else ${at}::timestamptz + make_interval(days => pol.every_days) end
      from done where pol.relationship_id = done.relationship_id)
    ${auditInsert(
      {
        orgId: sql`d.org_id`,
        partnerOrgId: sql`d.partner_org_id`,
        actorName: 'partnerdesk',
        action: 'relationship.review.policy_applied',
        targetType: 'partner_relationship',
        targetId: sql`d.relationship_id::text`,
        after,
      },
      sql`done d`,
    )}`);
}

interface Narrowed {
  kept: string[];
  removed: string[];
  customerName: string;
  partnerName: string;
  recipients: Recipient[];
}

/** The roles of the relationship not used since the review's `since` leave it; both sides are mailed. */
async function removeUnused(tx: Queryable, v: Overdue, at: string) {
  const [n] = await rows<Narrowed>(
    tx,
    sql`with r as (select r.* from partner_relationships r where r.id = ${v.relationshipId} for update),
      used as (select x.role, coalesce(lu.created_at >= v.since, false) as used
        from r cross join access_reviews v cross join unnest(r.roles) x (role) left join lateral ${lastUseSql(sql`x.role`)} lu on true
        where v.id = ${v.id}),
      narrowed as (update partner_relationships pr set roles = array(select u.role from used u where u.used)
        from r where pr.id = r.id and exists (select 1 from used u where not u.used))
      select coalesce(array(select u.role from used u where u.used), '{}') as kept, coalesce(array(select u.role from used u where not u.used), '{}') as removed,
        c.name as "customerName", p.name as "partnerName", ${relationshipRecipientsSql(true)} as recipients
      from r join organizations c on c.id = r.org_id join partners p on p.org_id = r.partner_org_id`,
  );
  await closeApplied(
    tx,
    v,
    at,
    sql`json_build_object('type', 'delegated_admin', 'policy', 'remove_unused', 'kept', ${`{${n.kept.join(',')}}`}::text[], 'removed', ${`{${n.removed.join(',')}}`}::text[])`,
  );
  const mails: Mail[] = n.recipients.map(({ email, locale }) => {
    const i = localeOf(locale);
    const params = { partner: n.partnerName, customer: n.customerName, kept: rolesText(i, n.kept), removed: rolesText(i, n.removed) };
    return {
      to: email,
      subject: i.t('reviews.mail.removed.subject', params),
      body: i.t('reviews.mail.removed.body', params),
      dedupeKey: `review-applied:${v.id}:${email}`,
    };
  });
  await enqueueMail(tx, ...mails);
}

/** One run: opens what is due, applies what is overdue. */
export async function runReviews(db: Db, now: Date, publicUrl: string): Promise<{ opened: number; applied: number }> {
  return db.transaction(async (tx) => {
    const [lock] = await rows<{ ok: boolean }>(tx, sql`select pg_try_advisory_xact_lock(25251) as ok`);
    if (!lock?.ok) return { opened: 0, applied: 0 };
    const applied = await applyPolicies(tx, now);
    const opened = await openDue(tx, now, publicUrl);
    return { opened, applied };
  });
}

export const accessReviewsJob = (publicUrl: string): PeriodicJob => ({
  name: 'access-reviews',
  everyMs: 5 * 60 * 1000,
  run: (db, now) => runReviews(db, now, publicUrl).then(() => undefined),
});
