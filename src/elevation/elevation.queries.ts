/**
 * Eligible roles and just-in-time elevation (issue 24 §1–3, decision 110). Each change is one statement
 * with its audit rows and its mails (in each recipient's language, names filled in by the database). The
 * grant itself reads elevations in src/authorization/scope.ts; nothing here gives power.
 *
 * Races: an approval takes a share lock on the relationship row, so it waits for a removal that holds it
 * and then sees it ended (and a removal waits for the approval); two approvals meet on the elevation's
 * row lock and the second finds it no longer pending.
 */
import { sql, type SQL } from 'drizzle-orm';
import { auditInsertEach, type AuditColumns } from '../audit/audit.ts';
import { permissions } from '../authorization/roles.rules.ts';
import { rows, type Queryable } from '../db/client.ts';
import { i18n, type MessageKey } from '../i18n/index.ts';
import { locales } from '../i18n/locales.ts';
import { filledSql, localizedMailFrom, type MailTextsSql } from '../mail/outbox.ts';
import type { PeriodicJob } from '../mail/worker.ts';
import type { ElevationRow } from './elevation.rules.ts';

const iso = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** An active, unexpired, not suspended (issue 24 §4) delegated-admin relationship `r`. */
export const activeDelegatedAdmin = (now: Date) =>
  sql`r.type = 'delegated_admin' and r.status = 'active' and (r.ends_at is null or r.ends_at > ${iso(now)}) and r.suspended_at is null`;

// ---- Mails: catalog texts whose names the statement fills in, per language ----

const roleLabelSql = (l: (typeof locales)[number], role: SQL) =>
  sql`(case ${role} ${sql.join(
    permissions.map((p) => sql`when ${p}::text then ${i18n(l).t(`rel.role.${p}` as MessageKey)}::text`),
    sql` `,
  )} else ${role} end)`;

type Names = 'customer' | 'partner' | 'person' | 'reason' | 'ticket' | 'duration' | 'url' | 'name' | 'role';
const placeholders = Object.fromEntries(
  (['customer', 'partner', 'person', 'reason', 'ticket', 'duration', 'url', 'name', 'role'] as Names[]).map((n) => [n, `{${n}}`]),
);

/** The mail `subject`/`body` over the set `n` (named elevations): names from the row, the role and duration in each language. */
function texts(subject: MessageKey, body: MessageKey, publicUrl: string): MailTextsSql {
  return Object.fromEntries(
    locales.map((l) => {
      const t = i18n(l).t;
      // Filled in this order: the names people typed last, so none of them is read as a placeholder again.
      const values: Record<Names, SQL> = {
        role: roleLabelSql(l, sql`n.role`),
        duration: filledSql(t('elev.hours', { hours: '{h}' }), { h: sql`(n.minutes / 60)::text` }),
        url: sql`${`${publicUrl}/elevations/`}::text || n.id::text`,
        customer: sql`n.customer_name`,
        partner: sql`n.partner_name`,
        name: sql`coalesce(n.decided_by_name, '')`,
        person: sql`n.user_name`,
        ticket: sql`coalesce(n.ticket, ${t('elev.mail.noTicket')}::text)`,
        reason: sql`n.reason`,
      };
      const fill = (key: MessageKey) => filledSql(t(key, placeholders), values);
      return [l, { subject: fill(subject), body: fill(body) }];
    }),
  ) as MailTextsSql;
}

/** Who a mail goes to: the customer's global admins, the partner person, or both. */
const recipients = (who: 'customer' | 'person' | 'both') => {
  const customer = sql`(u.org_id = n.org_id and u.role = 'global_admin')`;
  const person = sql`u.id = n.user_id`;
  const which = who === 'customer' ? customer : who === 'person' ? person : sql`(${customer} or ${person})`;
  return sql`named n cross join lateral (select u.email from users u where u.disabled_at is null and ${which}) rc`;
};

const mail = (
  kind: 'request' | 'active' | 'denied' | 'ended',
  who: 'customer' | 'person' | 'both',
  publicUrl: string,
  onlyIf: SQL = sql`true`,
  dedupe?: string,
) =>
  localizedMailFrom(
    {
      to: sql`rc.email`,
      texts: texts(`elev.mail.${kind}.subject`, `elev.mail.${kind}.body`, publicUrl),
      fallback: 'en',
      dedupeKey: dedupe ? sql`${dedupe}::text || n.id::text || ':' || rc.email` : undefined,
    },
    recipients(who),
    onlyIf,
  );

/** The changed elevations `from` with the names a mail or an audit row needs. */
const named = (from: string) => sql`named as (select x.*, o.name as customer_name, p.name as partner_name
  from ${sql.raw(from)} x join organizations o on o.id = x.org_id join organizations p on p.id = x.partner_org_id)`;

const about = (n: string) =>
  ({
    orgId: sql.raw(`${n}.org_id`),
    partnerOrgId: sql.raw(`${n}.partner_org_id`),
    targetType: 'elevation',
    targetId: sql.raw(`${n}.id::text`),
  }) satisfies Partial<AuditColumns>;
const elevationJson = (n: string) =>
  sql.raw(
    `json_build_object('role', ${n}.role, 'person', ${n}.user_name, 'minutes', ${n}.minutes, 'reason', ${n}.reason, 'ticket', ${n}.ticket, 'until', ${n}.ends_at, 'relationship', ${n}.relationship_id)`,
  );

const columns = sql`x.id, x.user_name as "userName", x.role, x.minutes, x.reason, x.ticket, x.status, x.requested_at as "requestedAt",
  x.decided_by_name as "decidedByName", x.decided_by_user_id as "decidedByUserId", x.ends_at as "endsAt"`;

// ---- The partner side ----

export interface PartnerAccess {
  relationshipId: string;
  customerName: string;
  eligible: Record<string, number>;
  /** The standing roles: with any of them, the admin center opens without an activation. */
  standing: string[];
  approvalRequired: boolean;
  mine: ElevationRow[];
}

/** The partner's active delegated admin for this customer, with this person's recent activations. Null: none (404). */
export async function partnerAccess(db: Queryable, partnerOrgId: string, customerId: string, userId: string, now: Date): Promise<PartnerAccess | null> {
  const [row] = await rows<PartnerAccess>(
    db,
    sql`select r.id as "relationshipId", r.customer_name as "customerName", r.eligible, r.roles as standing, r.approval_required as "approvalRequired",
        coalesce((select json_agg(y) from (select ${columns} from elevations x where x.relationship_id = r.id and x.user_id = ${userId}
          order by x.requested_at desc, x.id desc limit 20) y), '[]') as mine
      from partner_relationships r where r.org_id = ${customerId} and r.partner_org_id = ${partnerOrgId} and ${activeDelegatedAdmin(now)}`,
  );
  return row ?? null;
}

export type ActivationOutcome = 'noRelationship' | 'notEligible' | 'duplicate' | 'pending' | 'active';

/**
 * A partner person asks for an eligible role: pending (the customer's global admins are mailed a link
 * to decide) or, under the automatic policy, active at once (both sides mailed). One statement.
 */
export async function requestElevation(
  db: Queryable,
  input: {
    id: string;
    customerId: string;
    partnerOrgId: string;
    user: { id: string; name: string };
    role: string;
    minutes: number;
    reason: string;
    ticket: string | null;
    now: Date;
    publicUrl: string;
  },
): Promise<{ outcome: ActivationOutcome; endsAt: string | null }> {
  const at = iso(input.now);
  const [row] = await rows<{ found: boolean; duplicate: boolean; status: string | null; endsAt: string | null }>(
    db,
    sql`with rel as (select r.id, r.org_id, r.partner_org_id, r.approval_required, (r.eligible->>${input.role}::text)::int as max_hours
        from partner_relationships r where r.org_id = ${input.customerId} and r.partner_org_id = ${input.partnerOrgId} and ${activeDelegatedAdmin(input.now)}
        for share of r),
      dup as (select 1 from elevations e join rel on e.relationship_id = rel.id where e.user_id = ${input.user.id} and e.role = ${input.role}
        and ((e.status = 'pending' and e.requested_at > ${at} - interval '24 hours') or (e.status = 'approved' and e.ends_at > ${at}))),
      made as (insert into elevations (id, relationship_id, org_id, partner_org_id, user_id, user_name, role, minutes, reason, ticket, status,
          requested_at, decided_at, starts_at, ends_at)
        select ${input.id}::uuid, rel.id, rel.org_id, rel.partner_org_id, ${input.user.id}, ${input.user.name}, ${input.role}, ${input.minutes}, ${input.reason}, ${input.ticket},
          case when rel.approval_required then 'pending' else 'approved' end, ${at},
          case when not rel.approval_required then ${at} end, case when not rel.approval_required then ${at} end,
          case when not rel.approval_required then ${at} + make_interval(mins => ${input.minutes}) end
        from rel where rel.max_hours is not null and ${input.minutes} <= rel.max_hours * 60 and not exists (select 1 from dup)
        returning *),
      ${named('made')},
      a as (${auditInsertEach(
        [
          {
            ...about('n'),
            actorUserId: sql`n.user_id`,
            actorName: sql`n.user_name`,
            action: 'relationship.elevation.requested',
            after: elevationJson('n'),
          },
          sql`named n`,
        ],
        [
          { ...about('n'), actorName: 'partnerdesk', action: 'relationship.elevation.auto_approved', after: elevationJson('n') },
          sql`named n where n.status = 'approved'`,
        ],
      )}),
      m1 as (${mail('request', 'customer', input.publicUrl, sql`n.status = 'pending'`)}),
      m2 as (${mail('active', 'both', input.publicUrl, sql`n.status = 'approved'`)})
      select exists (select 1 from rel) as found, exists (select 1 from dup) as duplicate, (select status from made) as status, (select ends_at from made) as "endsAt"`,
  );
  const outcome: ActivationOutcome = !row.found
    ? 'noRelationship'
    : row.duplicate
      ? 'duplicate'
      : row.status === 'pending'
        ? 'pending'
        : row.status === 'approved'
          ? 'active'
          : 'notEligible';
  return { outcome, endsAt: row.endsAt };
}

// ---- The customer side ----

export interface Decision {
  elevation: ElevationRow & { partnerName: string; customerName: string; relationshipActive: boolean };
}

/** One elevation of this customer, to decide on. Null: not this organization's (404). */
export async function elevationOf(db: Queryable, orgId: string, id: string, now: Date): Promise<Decision['elevation'] | null> {
  const [row] = await rows<Decision['elevation']>(
    db,
    sql`select ${columns}, p.name as "partnerName", o.name as "customerName",
        exists (select 1 from partner_relationships r where r.id = x.relationship_id and ${activeDelegatedAdmin(now)}) as "relationshipActive"
      from elevations x join organizations o on o.id = x.org_id join organizations p on p.id = x.partner_org_id
      where x.id = ${id} and x.org_id = ${orgId}`,
  );
  return row ?? null;
}

export type DecideOutcome = 'done' | 'notFound' | 'relationshipGone' | 'lapsed' | 'decided';

/**
 * The first decision wins: the update holds only while the request is pending, younger than 24 h and its
 * relationship active (share-locked, so a removal at the same moment goes wholly before or after).
 */
export async function decideElevation(
  db: Queryable,
  input: { id: string; orgId: string; approve: boolean; actor: { id: string; name: string }; now: Date; publicUrl: string },
): Promise<{ outcome: DecideOutcome; endsAt: string | null }> {
  const at = iso(input.now);
  const [row] = await rows<{
    found: boolean;
    relationshipActive: boolean;
    status: string | null;
    requestedAt: string | null;
    done: boolean;
    endsAt: string | null;
  }>(
    db,
    sql`with target as (select e.id from elevations e join partner_relationships r on r.id = e.relationship_id
          where e.id = ${input.id} and e.org_id = ${input.orgId} and ${activeDelegatedAdmin(input.now)} for share of r),
      decided as (update elevations e set status = ${input.approve ? 'approved' : 'denied'}, decided_at = ${at},
          decided_by_user_id = ${input.actor.id}, decided_by_name = ${input.actor.name},
          starts_at = ${input.approve ? at : sql`null`}, ends_at = ${input.approve ? sql`${at} + make_interval(mins => e.minutes)` : sql`null`}
        from target where e.id = target.id and e.status = 'pending' and e.requested_at > ${at} - interval '24 hours'
        returning e.*),
      ${named('decided')},
      a as (${auditInsertEach([
        {
          ...about('n'),
          actorUserId: input.actor.id,
          actorName: input.actor.name,
          action: input.approve ? 'relationship.elevation.approved' : 'relationship.elevation.denied',
          after: elevationJson('n'),
        },
        sql`named n`,
      ])}),
      m as (${input.approve ? mail('active', 'both', input.publicUrl) : mail('denied', 'person', input.publicUrl)})
      select exists (select 1 from elevations e where e.id = ${input.id} and e.org_id = ${input.orgId}) as found,
        exists (select 1 from target) as "relationshipActive",
        (select e.status from elevations e where e.id = ${input.id} and e.org_id = ${input.orgId}) as status,
        (select e.requested_at from elevations e where e.id = ${input.id} and e.org_id = ${input.orgId}) as "requestedAt",
        exists (select 1 from decided) as done, (select ends_at from decided) as "endsAt"`,
  );
  if (!row.found) return { outcome: 'notFound', endsAt: null };
  if (row.done) return { outcome: 'done', endsAt: row.endsAt };
  if (row.status !== 'pending') return { outcome: 'decided', endsAt: null };
  if (!row.relationshipActive) return { outcome: 'relationshipGone', endsAt: null };
  // Pending in this statement's snapshot but not updated: another decision came first, or it is too old.
  return { outcome: new Date(row.requestedAt!).getTime() + 24 * 3600_000 <= input.now.getTime() ? 'lapsed' : 'decided', endsAt: null };
}

/**
 * Ends an active elevation before its time: by the partner person who holds it, or by any admin of the
 * customer. Its end is recorded (audit row, both sides mailed) in the same statement.
 */
export async function endElevation(
  db: Queryable,
  input: { id: string; side: { orgId: string } | { partnerOrgId: string; userId: string }; actor: { id: string; name: string }; now: Date; publicUrl: string },
): Promise<{ found: boolean; done: boolean; customerId: string | null; relationshipId: string | null }> {
  const at = iso(input.now);
  const side =
    'orgId' in input.side ? sql`e.org_id = ${input.side.orgId}` : sql`e.partner_org_id = ${input.side.partnerOrgId} and e.user_id = ${input.side.userId}`;
  const [row] = await rows<{ found: boolean; done: boolean; customerId: string | null; relationshipId: string | null }>(
    db,
    sql`with ended as (update elevations e set ends_at = ${at}, ended_early_by_name = ${input.actor.name}, end_recorded_at = ${at}
          where e.id = ${input.id} and ${side} and e.status = 'approved' and e.ends_at > ${at} and e.end_recorded_at is null
          returning e.*),
      ${named('ended')},
      a as (${auditInsertEach([
        { ...about('n'), actorUserId: input.actor.id, actorName: input.actor.name, action: 'relationship.elevation.ended', after: elevationJson('n') },
        sql`named n`,
      ])}),
      m as (${mail('ended', 'both', input.publicUrl)})
      select exists (select 1 from elevations e where e.id = ${input.id} and ${side}) as found, exists (select 1 from ended) as done,
        (select e.org_id from elevations e where e.id = ${input.id} and ${side}) as "customerId",
        (select e.relationship_id from elevations e where e.id = ${input.id} and ${side}) as "relationshipId"`,
  );
  return row;
}

/**
 * The background job's part (src/server.ts): elevations past their time whose end is not yet recorded get
 * their audit row and both sides' mails. Power already ended at the time (the grant reads `ends_at`);
 * this only tells. Idempotent and safe with two instances (skip locked; mails keyed once per recipient).
 */
export async function recordEndedElevations(db: Queryable, now: Date, publicUrl: string): Promise<number> {
  const at = iso(now);
  const [row] = await rows<{ count: number }>(
    db,
    sql`with due as (select e.id from elevations e where e.status = 'approved' and e.end_recorded_at is null and e.ends_at <= ${at}
          order by e.ends_at limit 500 for update skip locked),
      ended as (update elevations e set end_recorded_at = ${at} from due where e.id = due.id returning e.*),
      ${named('ended')},
      a as (${auditInsertEach([{ ...about('n'), actorName: 'partnerdesk', action: 'relationship.elevation.expired', after: elevationJson('n') }, sql`named n`])}),
      m as (${mail('ended', 'both', publicUrl, sql`true`, 'elevation-end:')})
      select count(*)::int as count from ended`,
  );
  return row.count;
}

// ---- A relationship's access page (customer) ----

export interface RelationshipAccess {
  id: string;
  partnerOrgId: string;
  partnerName: string;
  status: string;
  active: boolean;
  roles: string[];
  eligible: Record<string, number>;
  approvalRequired: boolean;
  elevations: ElevationRow[];
}

/** A delegated-admin relationship of this customer with its eligible roles, policy and recent activations. Null: not its own (404). */
export async function relationshipAccess(db: Queryable, orgId: string, id: string, now: Date): Promise<RelationshipAccess | null> {
  const [row] = await rows<RelationshipAccess>(
    db,
    sql`select r.id, r.partner_org_id as "partnerOrgId", r.partner_name as "partnerName", r.status, ${activeDelegatedAdmin(now)} as active, r.roles, r.eligible,
        r.approval_required as "approvalRequired",
        coalesce((select json_agg(y) from (select ${columns} from elevations x where x.relationship_id = r.id
          order by x.requested_at desc, x.id desc limit 20) y), '[]') as elevations
      from partner_relationships r where r.id = ${id} and r.org_id = ${orgId} and r.type = 'delegated_admin'`,
  );
  return row ?? null;
}

/** The customer's approval policy for a relationship's activations, with its audit row. False: not an active one of its own. */
export async function setApprovalPolicy(
  db: Queryable,
  input: { orgId: string; id: string; required: boolean; actor: { id: string; name: string }; now: Date },
) {
  const [row] = await rows<{ done: boolean }>(
    db,
    sql`with changed as (update partner_relationships r set approval_required = ${input.required}
          where r.id = ${input.id} and r.org_id = ${input.orgId} and ${activeDelegatedAdmin(input.now)} returning r.id, r.org_id, r.partner_org_id),
      a as (${auditInsertEach([
        {
          orgId: sql`c.org_id`,
          partnerOrgId: sql`c.partner_org_id`,
          actorUserId: input.actor.id,
          actorName: input.actor.name,
          action: 'relationship.elevation_policy.changed',
          targetType: 'partner_relationship',
          targetId: sql`c.id::text`,
          after: sql`json_build_object('type', 'delegated_admin', 'approvalRequired', ${input.required}::boolean)`,
        },
        sql`changed c`,
      ])})
      select exists (select 1 from changed) as done`,
  );
  return row.done;
}

/**
 * The customer narrows a relationship at once: standing roles made eligible (with a maximum), roles removed.
 * Only narrowing: the statement refuses to add a role or make an eligible one standing (that takes the
 * partner's request). False: not an active one of its own, or not a narrowing.
 */
export async function narrowRoles(
  db: Queryable,
  input: { orgId: string; id: string; roles: string[]; eligible: Record<string, number>; actor: { id: string; name: string }; now: Date },
) {
  const roles = `{${input.roles.join(',')}}`;
  const eligible = JSON.stringify(input.eligible);
  const [row] = await rows<{ done: boolean }>(
    db,
    sql`with changed as (update partner_relationships r set roles = ${roles}::text[], eligible = ${eligible}::jsonb
          where r.id = ${input.id} and r.org_id = ${input.orgId} and ${activeDelegatedAdmin(input.now)}
            and ${roles}::text[] <@ r.roles
            -- an eligible role stays eligible with no longer a maximum, or comes from a standing one
            and not exists (select 1 from jsonb_each_text(${eligible}::jsonb) n
              where not (n.key = any(r.roles) or (r.eligible ? n.key and n.value::int <= (r.eligible->>n.key)::int)))
          returning r.id, r.org_id, r.partner_org_id, r.roles, r.eligible),
      a as (${auditInsertEach([
        {
          orgId: sql`c.org_id`,
          partnerOrgId: sql`c.partner_org_id`,
          actorUserId: input.actor.id,
          actorName: input.actor.name,
          action: 'relationship.roles.changed',
          targetType: 'partner_relationship',
          targetId: sql`c.id::text`,
          after: sql`json_build_object('type', 'delegated_admin', 'roles', c.roles, 'eligible', c.eligible)`,
        },
        sql`changed c`,
      ])})
      select exists (select 1 from changed) as done`,
  );
  return row.done;
}

/** Records ended elevations every minute (src/server.ts): the mails "has ended" go out within a minute of the end. */
export const elevationEndJob = (publicUrl: string): PeriodicJob => ({
  name: 'elevation-end',
  everyMs: 60 * 1000,
  run: (db, now) => recordEndedElevations(db, now, publicUrl).then(() => undefined),
});
