/**
 * Access reviews (issue 25 §1): the review page's read, the settings, and a global admin's answer. Each
 * is one statement, scoped to the signed-in organization: another organization's relationship reads as
 * nothing (404). The background job (reviews.job.ts) opens due reviews and applies the policy.
 */
import { sql, type SQL } from 'drizzle-orm';
import { auditInsert } from '../audit/audit.ts';
import { rows, type Queryable } from '../db/client.ts';
import { locales, type Locale } from '../i18n/locales.ts';
import { filledSql, localizedMailFrom, type MailTextsSql } from '../mail/outbox.ts';
import { effectiveStatusSql } from '../relationships/relationships.queries.ts';
import { actionsOfRole } from '../authorization/roles.rules.ts';
import type { UnansweredPolicy } from './reviews.rules.ts';

export interface LastUse {
  role: string;
  /** The latest action of the partner through this role, and the person at the partner who did it; null: never used. */
  at: string | null;
  by: string | null;
}

export interface ReviewPage {
  id: string;
  status: string;
  partnerOrgId: string;
  partnerName: string;
  customerName: string;
  roles: string[];
  startedAt: string;
  everyDays: number | null;
  unanswered: UnansweredPolicy;
  nextDueAt: string | null;
  lastReviewedAt: string | null;
  /** The open review, when one is due. */
  review: { id: string; dueAt: string; since: string } | null;
  lastUse: LastUse[];
}

/**
 * The latest audit row of the partner through role `role` (an SQL text expression) on relationship `r`:
 * for each of the role's actions, the newest row (audit_org_partner_action_idx), the newest of those.
 */
const ACTIONS_OF_ROLE = JSON.stringify(actionsOfRole);

export const lastUseSql = (
  role: SQL,
  r = sql`r`,
) => sql`(select u.created_at, u.actor_name from jsonb_array_elements_text(${ACTIONS_OF_ROLE}::jsonb -> ${role}) act (action)
  cross join lateral (select a.id, a.created_at, a.actor_name from audit_log a
    where a.org_id = ${r}.org_id and a.partner_org_id = ${r}.partner_org_id and a.action = act.action order by a.id desc limit 1) u
  order by u.id desc limit 1)`;

/** One delegated-admin relationship of the organization with its review settings, open review and each role's last use. */
export async function reviewPage(db: Queryable, orgId: string, id: string, now: Date): Promise<ReviewPage | null> {
  const [row] = await rows<ReviewPage>(
    db,
    sql`select r.id, ${effectiveStatusSql(now)} as status, r.partner_org_id as "partnerOrgId", p.name as "partnerName", o.name as "customerName",
        r.roles, r.started_at as "startedAt", pol.every_days as "everyDays", coalesce(pol.unanswered, 'remove_unused') as unanswered,
        pol.next_due_at as "nextDueAt", pol.last_reviewed_at as "lastReviewedAt",
        (select json_build_object('id', v.id, 'dueAt', v.due_at, 'since', v.since) from access_reviews v
          where v.relationship_id = r.id and v.status = 'open') as review,
        coalesce((select json_agg(json_build_object('role', x.role, 'at', lu.created_at, 'by', lu.actor_name) order by x.n)
          from unnest(r.roles) with ordinality x (role, n) left join lateral ${lastUseSql(sql`x.role`)} lu on true), '[]') as "lastUse"
      from partner_relationships r join partners p on p.org_id = r.partner_org_id join organizations o on o.id = r.org_id
        left join access_review_policies pol on pol.relationship_id = r.id
      where r.id = ${id} and r.org_id = ${orgId} and r.type = 'delegated_admin'`,
  );
  return row ?? null;
}

const daysSql = (days: SQL) => sql`make_interval(days => ${days})`;

/**
 * Sets the review period (null: off) and the unanswered policy of an active delegated-admin relationship
 * of the organization, with its audit row. The next review is due a period after the last one (or now);
 * while a review is open it stays the one due; turning reviews off closes it. False when there is no
 * such relationship.
 */
export async function saveSettings(
  db: Queryable,
  input: { orgId: string; id: string; everyDays: number | null; unanswered: UnansweredPolicy; actor: { id: string; name: string }; now: Date },
): Promise<boolean> {
  const at = input.now.toISOString();
  const every = input.everyDays;
  const [row] = await rows<{ saved: boolean }>(
    db,
    sql`with rel as (
        select r.id, r.org_id, r.partner_org_id from partner_relationships r
        where r.id = ${input.id} and r.org_id = ${input.orgId} and r.type = 'delegated_admin' and r.status = 'active'
          and (r.ends_at is null or r.ends_at > ${at}::timestamptz)),
      open as (select v.id from access_reviews v join rel on rel.id = v.relationship_id where v.status = 'open'),
      saved as (
        insert into access_review_policies as pol (relationship_id, org_id, every_days, unanswered, next_due_at)
        select rel.id, rel.org_id, ${every}::int, ${input.unanswered},
          case when ${every}::int is null or exists (select 1 from open) then null else ${at}::timestamptz + ${daysSql(sql`${every}::int`)} end
        from rel
        on conflict (relationship_id) do update set every_days = excluded.every_days, unanswered = excluded.unanswered,
          next_due_at = case when excluded.every_days is null or exists (select 1 from open) then null
            else coalesce(pol.last_reviewed_at, ${at}::timestamptz) + make_interval(days => excluded.every_days) end
        returning pol.relationship_id),
      closed as (update access_reviews v set status = 'cancelled', decided_at = ${at}::timestamptz, decided_by_user_id = ${input.actor.id}
        from open where v.id = open.id and ${every}::int is null),
      audited as (${auditInsert(
        {
          orgId: sql`rel.org_id`,
          partnerOrgId: sql`rel.partner_org_id`,
          actorUserId: input.actor.id,
          actorName: input.actor.name,
          action: 'relationship.review.settings_changed',
          targetType: 'partner_relationship',
          targetId: sql`rel.id::text`,
          after: sql`json_build_object('type', 'delegated_admin', 'days', ${every}::int, 'policy', ${input.unanswered}::text)`,
        },
        sql`rel`,
      )})
      select exists (select 1 from saved) as saved`,
  );
  return !!row?.saved;
}

/** The partner's mail per language: {partner}, {customer}, {kept} and {removed} are filled in by the database. */
export type OutcomeMail = Record<Locale, { subject: string; body: string; roleLabels: Record<string, string>; separator: string; none: string }>;

/** A list of roles (an SQL text[]) in one language: "Users, Passwords", or "none". */
const rolesTextSql = (m: OutcomeMail[Locale], list: SQL) =>
  sql`coalesce(nullif(array_to_string(array(select case x ${sql.join(
    Object.entries(m.roleLabels).map(([r, l]) => sql`when ${r}::text then ${l}::text`),
    sql` `,
  )} else x end from unnest(${list}) x), ${m.separator}::text), ''), ${m.none}::text)`;

export type AnswerResult = { outcome: 'answered' | 'notFound' | 'notOpen' } | { outcome: 'missing'; missing: string[] };

/**
 * A global admin's answer to the open review `reviewId` of a relationship of the organization, `decisions`
 * per role (`keepAll`: every role not decided is kept). Every role the relationship holds must be decided.
 * The removed roles leave the relationship, the review is closed with what was kept and removed, the
 * next one is scheduled, an audit row, and a mail to the partner's admins in their language. One statement.
 */
export async function answerReview(
  db: Queryable,
  input: {
    orgId: string;
    id: string;
    reviewId: string;
    decisions: Record<string, 'keep' | 'remove'>;
    keepAll: boolean;
    actor: { id: string; name: string };
    now: Date;
    mail: OutcomeMail;
  },
): Promise<AnswerResult> {
  const at = input.now.toISOString();
  const decisions = sql`${JSON.stringify(input.decisions)}::jsonb`;
  const fallback = input.keepAll ? 'keep' : null;
  const names = { partner: sql`n.partner_name`, customer: sql`n.customer_name` };
  const mailTexts = Object.fromEntries(
    locales.map((l) => {
      const m = input.mail[l];
      const all = { ...names, kept: rolesTextSql(m, sql`n.kept`), removed: rolesTextSql(m, sql`n.removed`) };
      return [l, { subject: filledSql(m.subject, all), body: filledSql(m.body, all) }];
    }),
  ) as MailTextsSql;
  const [row] = await rows<{ answered: boolean; open: boolean; known: boolean; missing: string[] | null }>(
    db,
    sql`with rv as (
        select v.id, v.relationship_id, v.org_id, v.partner_org_id, r.roles,
          array(select x from unnest(r.roles) x where coalesce(${decisions} ->> x, ${fallback}::text) = 'keep') as kept,
          array(select x from unnest(r.roles) x where coalesce(${decisions} ->> x, ${fallback}::text) = 'remove') as removed,
          array(select x from unnest(r.roles) x where coalesce(${decisions} ->> x, ${fallback}::text) is null) as missing
        from access_reviews v join partner_relationships r on r.id = v.relationship_id
        where v.id = ${input.reviewId} and v.relationship_id = ${input.id} and v.org_id = ${input.orgId} and v.status = 'open'
          and r.status = 'active' and (r.ends_at is null or r.ends_at > ${at}::timestamptz)
        for update of v, r),
      ok as (select * from rv where cardinality(rv.missing) = 0),
      done as (
        update access_reviews v set status = 'answered', decided_at = ${at}::timestamptz, decided_by_user_id = ${input.actor.id},
          outcome = json_build_object('kept', ok.kept, 'removed', ok.removed)
        from ok where v.id = ok.id returning v.id),
      narrowed as (
        update partner_relationships r set roles = ok.kept from ok where r.id = ok.relationship_id and cardinality(ok.removed) > 0),
      scheduled as (
        update access_review_policies pol set last_reviewed_at = ${at}::timestamptz,
          next_due_at = case when pol.every_days is null then null else ${at}::timestamptz + make_interval(days => pol.every_days) end
        from ok where pol.relationship_id = ok.relationship_id),
      audited as (${auditInsert(
        {
          orgId: sql`ok.org_id`,
          partnerOrgId: sql`ok.partner_org_id`,
          actorUserId: input.actor.id,
          actorName: input.actor.name,
          action: 'relationship.review.answered',
          targetType: 'partner_relationship',
          targetId: sql`ok.relationship_id::text`,
          after: sql`json_build_object('type', 'delegated_admin', 'kept', ok.kept, 'removed', ok.removed)`,
        },
        sql`ok`,
      )}),
      n as (select ok.partner_org_id, ok.kept, ok.removed, o.name as customer_name, p.name as partner_name
        from ok join organizations o on o.id = ok.org_id join partners p on p.org_id = ok.partner_org_id),
      mailed as (${localizedMailFrom({ to: sql`u.email`, texts: mailTexts, fallback: 'en' }, sql`n join users u on u.org_id = n.partner_org_id and u.role = 'partner_admin'`)})
      select exists (select 1 from ok) as answered, exists (select 1 from rv) as open, (select rv.missing from rv) as missing,
        exists (select 1 from partner_relationships r where r.id = ${input.id} and r.org_id = ${input.orgId} and r.type = 'delegated_admin') as known`,
  );
  if (row?.answered) return { outcome: 'answered' };
  if (row?.open) return { outcome: 'missing', missing: row.missing ?? [] };
  return { outcome: row?.known ? 'notOpen' : 'notFound' };
}
