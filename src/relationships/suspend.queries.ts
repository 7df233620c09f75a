/**
 * Suspend and resume a partner's delegated admin (issue 24 §4, decision 111): one statement each, with its
 * audit row and the mails to both sides. The relationship stays active (same roles, same end date, no new
 * consent); `grant()` (authorization/scope.ts) refuses the partner while `suspended_at` is set.
 */
import { sql } from 'drizzle-orm';
import { auditInsert } from '../audit/audit.ts';
import { rows, type Queryable } from '../db/client.ts';
import { locales, type Locale } from '../i18n/locales.ts';
import { filledSql, localizedMailFrom, type MailTextsSql } from '../mail/outbox.ts';

/** Per language, templates with {partner} and {customer} the database fills in; each recipient gets their own language. */
export type SuspendMail = Record<Locale, { subject: string; body: string }>;

export type SuspendOutcome =
  /** Done: suspended (or resumed) now. */
  | 'done'
  /** Nothing between this customer and this partner: 404. */
  | 'notFound'
  /** No active, unexpired delegated admin with this partner (never, ended or expired). */
  | 'notActive'
  /** Already suspended (suspend), or not suspended (resume). */
  | 'unchanged';

export interface SuspendResult {
  outcome: SuspendOutcome;
  partnerName: string;
  customerName: string;
}

/**
 * Suspends (`suspend: true`) or resumes the customer's delegated admin with one partner. The update waits for
 * any partner statement holding the grant's share lock and re-reads the row, so of two suspends one wins and
 * the other answers `unchanged`.
 */
export async function setSuspended(
  db: Queryable,
  input: { orgId: string; partnerOrgId: string; suspend: boolean; actor: { id: string; name: string }; now: Date; mail: SuspendMail },
): Promise<SuspendResult> {
  const at = input.now.toISOString();
  const names = { partner: sql`n.partner_name`, customer: sql`n.customer_name` };
  const texts = Object.fromEntries(
    locales.map((l) => [l, { subject: filledSql(input.mail[l].subject, names), body: filledSql(input.mail[l].body, names) }]),
  ) as MailTextsSql;
  const [row] = await rows<{ partnerName: string; customerName: string; active: boolean; changed: boolean }>(
    db,
    sql`with known as (
        select p.org_id, p.name as partner_name, o.name as customer_name from partners p join organizations o on o.id = ${input.orgId}
        where p.org_id = ${input.partnerOrgId}
          and exists (select 1 from partner_relationships r where r.org_id = ${input.orgId} and r.partner_org_id = p.org_id)),
      target as (
        select r.id from partner_relationships r
        where r.org_id = ${input.orgId} and r.partner_org_id = ${input.partnerOrgId} and r.type = 'delegated_admin' and r.status = 'active'
          and (r.ends_at is null or r.ends_at > ${at}::timestamptz)),
      changed as (
        update partner_relationships r set suspended_at = ${input.suspend ? at : null}::timestamptz
        from target t where r.id = t.id and r.status = 'active' and (r.suspended_at is null) = ${input.suspend}
        returning r.id, r.org_id, r.partner_org_id, r.roles),
      audited as (${auditInsert(
        {
          orgId: sql`c.org_id`,
          partnerOrgId: sql`c.partner_org_id`,
          actorUserId: input.actor.id,
          actorName: input.actor.name,
          action: input.suspend ? 'relationship.suspended' : 'relationship.resumed',
          targetType: 'partner_relationship',
          targetId: sql`c.id::text`,
          before: sql`json_build_object('type', 'delegated_admin', 'suspended', ${!input.suspend}::boolean, 'roles', c.roles)`,
          after: sql`json_build_object('type', 'delegated_admin', 'suspended', ${input.suspend}::boolean)`,
        },
        sql`changed c`,
      )}),
      n as (select c.org_id, c.partner_org_id, k.partner_name, k.customer_name from changed c cross join known k),
      mailed as (${localizedMailFrom(
        { to: sql`u.email`, texts, fallback: 'en' },
        // The customer's global admins and the partner's people (admins and agents: their requests are the ones refused).
        sql`n join users u on (u.org_id = n.org_id and u.role = 'global_admin')
          or (u.org_id = n.partner_org_id and u.role in ('partner_admin', 'partner_agent') and u.disabled_at is null)`,
      )})
      select k.partner_name as "partnerName", k.customer_name as "customerName",
        exists (select 1 from target) as active, exists (select 1 from changed) as changed
      from known k`,
  );
  if (!row) return { outcome: 'notFound', partnerName: '', customerName: '' };
  const outcome: SuspendOutcome = row.changed ? 'done' : row.active ? 'unchanged' : 'notActive';
  return { outcome, partnerName: row.partnerName, customerName: row.customerName };
}

/** The suspend page: the partner, and whether its delegated admin with this customer is active and suspended. Null: no relationship. */
export async function suspendTarget(
  db: Queryable,
  orgId: string,
  partnerOrgId: string,
  now: Date,
): Promise<{ partnerName: string; customerName: string; roles: string[] | null; suspended: boolean } | null> {
  const [row] = await rows<{ partnerName: string; customerName: string; roles: string[] | null; suspended: boolean }>(
    db,
    sql`select p.name as "partnerName", o.name as "customerName", r.roles, r.suspended_at is not null as suspended
      from partners p join organizations o on o.id = ${orgId}
        left join partner_relationships r on r.org_id = o.id and r.partner_org_id = p.org_id and r.type = 'delegated_admin' and r.status = 'active'
          and (r.ends_at is null or r.ends_at > ${now.toISOString()}::timestamptz)
      where p.org_id = ${partnerOrgId}
        and exists (select 1 from partner_relationships x where x.org_id = ${orgId} and x.partner_org_id = p.org_id)`,
  );
  if (!row) return null;
  return { ...row, suspended: row.roles !== null && row.suspended };
}

/**
 * Why a partner's request for a customer found no grant, when the reason is a suspension: the two names for
 * the refusal page. Read only after a refusal (a 404), never on a request that was let through.
 */
export async function suspensionOf(db: Queryable, orgId: string, partnerOrgId: string): Promise<{ customerName: string; partnerName: string } | null> {
  const [row] = await rows<{ customerName: string; partnerName: string }>(
    db,
    sql`select o.name as "customerName", p.name as "partnerName"
      from partner_relationships r join organizations o on o.id = r.org_id join partners p on p.org_id = r.partner_org_id
      where r.org_id = ${orgId} and r.partner_org_id = ${partnerOrgId} and r.type = 'delegated_admin' and r.status = 'active'
        and r.suspended_at is not null`,
  );
  return row ?? null;
}
