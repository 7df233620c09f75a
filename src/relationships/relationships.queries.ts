import { sql, type Placeholder, type SQL } from 'drizzle-orm';
import { auditInsertEach } from '../audit/audit.ts';
import { entryColumns, entryFrom, type ActivityEntry } from '../activity/activity.queries.ts';
import { sessionRead, type Read } from '../auth/session-read.ts';
import { pageLimit, rows, statementPerShape, type Queryable } from '../db/client.ts';
import { heldByResellerSql } from '../partner-of-record/partner-of-record.queries.ts';
import { locales, type Locale } from '../i18n/locales.ts';
import { filledSql, localizedMailFrom, type MailTextsSql } from '../mail/outbox.ts';
import type { Cursor } from '../http/cursor.ts';
import { distinctPartners } from './distinct-partners.ts';
import { leftBehindListSql, type LeftBehindMail } from './left-behind.queries.ts';
import type { RelationshipStatus, RelationshipType } from './relationships.rules.ts';

export interface RelationshipRow {
  id: string;
  type: RelationshipType;
  status: RelationshipStatus;
  roles: string[];
  /** Eligible roles ({role: hours}, issue 24): absent where a list does not read them. */
  eligible?: Record<string, number>;
  /** Strings when the row comes inside JSON, Dates when it comes as a row. */
  startedAt: string | Date;
  endsAt: string | Date | null;
  endedAt: string | Date | null;
  /** Delegated admin suspended by the customer (suspend.queries.ts); absent where a list does not read it. */
  suspendedAt?: string | Date | null;
}

/** A recent audit row of this partner, read as a sentence like the activity log's. */
export type RecentAction = ActivityEntry;

export interface PartnerWithRelationships {
  partnerOrgId: string;
  name: string;
  partnerId: string;
  /** The current relationships, one per type (at most one is active per type: relationships_one_active_idx). */
  relationships: RelationshipRow[];
  /** Ended and expired ones, listed on their own page: counted up to ENDED_COUNT_CAP. */
  endedCount: number;
  recent: RecentAction[];
}

/** `status` as the reader must see it: an active delegated admin past its end date is expired. */
export const effectiveStatusSql = (now: Date | Placeholder) =>
  sql`case when r.status = 'active' and r.ends_at is not null and r.ends_at <= ${now instanceof Date ? now.toISOString() : now}::timestamptz then 'expired' else r.status::text end`;

const relationshipJson = (now: Date | Placeholder) => sql`json_build_object('id', r.id, 'type', r.type, 'status', ${effectiveStatusSql(now)},
  'roles', r.roles, 'eligible', r.eligible, 'startedAt', r.started_at, 'endsAt', r.ends_at, 'endedAt', r.ended_at, 'suspendedAt', r.suspended_at)`;

export const PARTNERS_PER_PAGE = 10;
/** Ended relationships are counted up to this many ("Show ended (100+)"): a long history costs no more than that. */
export const ENDED_COUNT_CAP = 100;

export interface PartnersPage {
  partners: PartnerWithRelationships[];
  /** The cursor of the next page, or null on the last. */
  next: Cursor | null;
}

type PartnerValues = { now: string; afterName: string | null; afterId: string | null };
type PartnerRow = PartnerWithRelationships & { sortName: string };

/** The page read, from the first page or after a cursor, alone or with the session (auth/session-read.ts). */
const partnersRead = statementPerShape(({ after }: { after: boolean }) => {
  const [now, afterName, afterId] = (['now', 'afterName', 'afterId'] as const).map((n) => sql.placeholder(n));
  const limit = pageLimit(PARTNERS_PER_PAGE);
  return sessionRead<PartnerRow, PartnerValues>(
    (orgId) => sql`with recursive d as (${distinctPartners('d', orgId, after ? { name: afterName, id: afterId } : undefined)}),
      ps as (select * from d order by partner_name, partner_org_id limit ${limit})
      select p.org_id as "partnerOrgId", p.name, p.partner_id as "partnerId", ps.partner_name as "sortName",
        coalesce((select json_agg(${relationshipJson(now)} order by r.type)
           from partner_relationships r where r.org_id = ${orgId} and r.partner_org_id = ps.partner_org_id and r.status = 'active'), '[]') as relationships,
        (select count(*)::int from (select from partner_relationships r
           where r.org_id = ${orgId} and r.partner_org_id = ps.partner_org_id and r.status <> 'active' limit ${sql.raw(String(ENDED_COUNT_CAP))}) e) as "endedCount",
        coalesce((select json_agg(x order by x.id desc)
           from (select ${entryColumns} from ${entryFrom} where a.org_id = ${orgId} and a.partner_org_id = ps.partner_org_id order by a.id desc limit 3) x), '[]') as recent
      from ps join partners p on p.org_id = ps.partner_org_id
      order by ps.partner_name, ps.partner_org_id`,
  );
});

/**
 * Settings → Partner relationships: the read of one page of the organization's partners by name (keyset
 * on relationships_org_partner_name_idx), each with its current relationships, how many ended, and its
 * recent actions. One statement, the same on every page.
 */
export function partnersOfCustomerRead(now: Date, after: Cursor | null) {
  return {
    read: partnersRead({ after: !!after }),
    values: { now: now.toISOString(), afterName: after ? (after.key ?? '') : null, afterId: after?.id ?? null },
  };
}

/** The page `partnersOfCustomerRead` read. */
export function partnersPageOf({ rows: found }: Read<PartnerRow, never>): PartnersPage {
  const partners: PartnerWithRelationships[] = found.slice(0, PARTNERS_PER_PAGE);
  const last = found[PARTNERS_PER_PAGE - 1];
  return { partners, next: found.length > PARTNERS_PER_PAGE ? { key: last.sortName, id: last.partnerOrgId } : null };
}

/** The first page, read alone (the list a removal gives back). */
export async function listPartnersOfCustomer(db: Queryable, orgId: string, now: Date): Promise<PartnersPage> {
  const { read, values } = partnersOfCustomerRead(now, null);
  return partnersPageOf(await read.alone(db, orgId, values));
}

export const ENDED_PER_PAGE = 20;

export interface EndedPage {
  partner: { orgId: string; name: string; partnerId: string };
  relationships: (RelationshipRow & { cursorAt: string })[];
  next: Cursor | null;
}

/**
 * One partner's ended and expired relationships with the organization, newest first, keyset-paged on
 * relationships_org_partner_ended_idx. Null when the partner has no relationship with this organization.
 */
export async function endedRelationships(db: Queryable, orgId: string, partnerOrgId: string, now: Date, after: Cursor | null): Promise<EndedPage | null> {
  const keyset = after ? sql`and (r.started_at, r.id) < (${after.key ?? ''}::timestamptz, ${after.id}::uuid)` : sql``;
  const [row] = await rows<{ orgId: string; name: string; partnerId: string; relationships: EndedPage['relationships'] | null }>(
    db,
    sql`select p.org_id as "orgId", p.name, p.partner_id as "partnerId",
        (select json_agg(x) from (
          select r.id, r.type, ${effectiveStatusSql(now)} as status, r.roles, r.started_at as "startedAt", r.ends_at as "endsAt",
            r.ended_at as "endedAt", r.started_at::text as "cursorAt"
          from partner_relationships r
          where r.org_id = ${orgId} and r.partner_org_id = p.org_id and r.status <> 'active' ${keyset}
          order by r.started_at desc, r.id desc limit ${ENDED_PER_PAGE + 1}) x) as relationships
      from partners p
      where p.org_id = ${partnerOrgId} and exists (select 1 from partner_relationships r where r.org_id = ${orgId} and r.partner_org_id = p.org_id)`,
  );
  if (!row) return null;
  const all = row.relationships ?? [];
  const shown = all.slice(0, ENDED_PER_PAGE);
  const last = shown[shown.length - 1];
  return {
    partner: { orgId: row.orgId, name: row.name, partnerId: row.partnerId },
    relationships: shown,
    next: all.length > ENDED_PER_PAGE ? { key: last.cursorAt, id: last.id } : null,
  };
}

export interface RelationshipWithNames extends RelationshipRow {
  orgId: string;
  partnerOrgId: string;
  customerName: string;
  partnerName: string;
  /** The partner is also the customer's active reseller (the reseller rule decides who may end its advisor relationship). */
  heldByReseller: boolean;
}

/** One relationship, seen from the customer (`side.orgId`) or from the partner (`side.partnerOrgId`). */
export async function findRelationship(db: Queryable, side: Side, id: string, now: Date): Promise<RelationshipWithNames | null> {
  const [row] = await rows<RelationshipWithNames>(
    db,
    sql`select r.id, r.type, ${effectiveStatusSql(now)} as status, r.roles, r.started_at as "startedAt", r.ends_at as "endsAt",
        r.ended_at as "endedAt", r.org_id as "orgId", r.partner_org_id as "partnerOrgId", o.name as "customerName", p.name as "partnerName",
        ${heldByResellerSql(sql`r.org_id`, sql`r.partner_org_id`)} as "heldByReseller"
      from partner_relationships r join organizations o on o.id = r.org_id join partners p on p.org_id = r.partner_org_id
      where r.id = ${id} and ${sideFilter(side)}`,
  );
  return row ?? null;
}

/** Every query takes the side's own organization first: a customer sees its relationships, a partner its own. */
export type Side = { orgId: string } | { partnerOrgId: string };
const sideFilter = (side: Side): SQL => ('orgId' in side ? sql`r.org_id = ${side.orgId}` : sql`r.partner_org_id = ${side.partnerOrgId}`);

/** Per language, templates with {partner}, {customer} and {type} filled in by the database; each recipient gets their own language. */
export type EndMail = Record<Locale, { subject: string; body: string; typeLabels: Record<RelationshipType, string>; leftBehind: LeftBehindMail }>;

export type EndResult =
  | { outcome: 'ended'; relationship: RelationshipWithNames }
  | { outcome: 'notFound' }
  | { outcome: 'notAllowed' | 'notActive'; relationship: RelationshipWithNames };

/**
 * Ends one relationship in a single statement (so a single transaction): the status, for partner of record
 * the subscriptions it was on, the audit rows, and e-mails to the customer's global admins and the
 * partner's admins. Only `allowedTypes` are ended; anything else is reported and left untouched.
 */
export async function endRelationship(
  db: Queryable,
  input: {
    side: Side;
    id: string;
    allowedTypes: RelationshipType[];
    /** `id` null: partnerdesk itself (an unanswered access review's policy, src/reviews/). */
    actor: { id: string | null; name: string };
    by: 'customer' | 'partner';
    now: Date;
    mail: EndMail;
  },
): Promise<EndResult> {
  const now = input.now.toISOString();
  const types = sql`array[${sql.join(
    input.allowedTypes.map((t) => sql`${t}`),
    sql`, `,
  )}]::relationship_type[]`;
  const label = (m: EndMail[Locale]) =>
    sql`case n.type when 'reseller' then ${m.typeLabels.reseller}::text when 'delegated_admin' then ${m.typeLabels.delegated_admin}::text else ${m.typeLabels.advisor}::text end`;
  const names = (m: EndMail[Locale]) => ({ partner: sql`n.partner_name`, customer: sql`n.customer_name`, type: label(m) });
  // The customer's global admins also get what a delegated-admin partner left behind (issue 23).
  const leftBehind = (l: Locale) =>
    sql`case when u.org_id = n.org_id and n.type = 'delegated_admin' then ${leftBehindListSql(input.mail[l].leftBehind)} else '' end`;
  const texts = Object.fromEntries(
    locales.map((l) => [
      l,
      {
        subject: filledSql(input.mail[l].subject, names(input.mail[l])),
        body: sql`${filledSql(input.mail[l].body, names(input.mail[l]))} || ${leftBehind(l)}`,
      },
    ]),
  ) as MailTextsSql;
  const by = { orgId: sql`e.org_id`, partnerOrgId: sql`e.partner_org_id`, actorUserId: input.actor.id, actorName: input.actor.name };
  const [row] = await rows<RelationshipWithNames & { ended: boolean }>(
    db,
    sql`with target as (
        select r.*, ${effectiveStatusSql(input.now)} as effective, ${heldByResellerSql(sql`r.org_id`, sql`r.partner_org_id`)} as held
        from partner_relationships r where r.id = ${input.id} and ${sideFilter(input.side)}),
      ended as (
        update partner_relationships r set status = 'ended', ended_at = ${now}
        from target t where r.id = t.id and t.effective = 'active' and r.type = any(${types})
          -- the reseller rule: the customer cannot end the advisor relationship of the partner that is its reseller
          and not (r.type = 'advisor' and t.held and ${input.by}::text = 'customer')
        returning r.id, r.org_id, r.partner_org_id, r.type, r.roles),
      subs as (
        update subscriptions s set partner_org_id = null, version = s.version + 1
        from ended e where e.type = 'advisor' and s.org_id = e.org_id and s.partner_org_id = e.partner_org_id
        returning s.id, e.org_id, e.partner_org_id),
      audited as (${auditInsertEach(
        [
          {
            ...by,
            action: 'relationship.ended',
            targetType: 'partner_relationship',
            targetId: sql`e.id::text`,
            before: sql`json_build_object('type', e.type, 'status', 'active', 'roles', e.roles)`,
            after: sql`json_build_object('type', e.type, 'status', 'ended', 'endedBy', ${input.by}::text)`,
          },
          sql`ended e`,
        ],
        [
          {
            ...by,
            orgId: sql`s.org_id`,
            partnerOrgId: sql`s.partner_org_id`,
            action: 'subscription.partner_of_record.removed',
            targetType: 'subscription',
            targetId: sql`s.id::text`,
            before: sql`json_build_object('partnerOrgId', s.partner_org_id)`,
            after: sql`json_build_object('partnerOrgId', null)`,
          },
          sql`subs s`,
        ],
      )}),
      names as (
        select e.id, e.org_id, e.partner_org_id, e.type, o.name as customer_name, p.name as partner_name
        from ended e join organizations o on o.id = e.org_id join partners p on p.org_id = e.partner_org_id),
      mailed as (${localizedMailFrom(
        { to: sql`u.email`, texts, fallback: 'en' },
        sql`names n join users u on (u.org_id = n.org_id and u.role = 'global_admin') or (u.org_id = n.partner_org_id and u.role = 'partner_admin')`,
      )})
      select t.id, t.type, t.effective as status, t.roles, t.started_at as "startedAt", t.ends_at as "endsAt", t.ended_at as "endedAt",
        t.org_id as "orgId", t.partner_org_id as "partnerOrgId", o.name as "customerName", p.name as "partnerName",
        t.held as "heldByReseller", exists (select 1 from ended) as ended
      from target t join organizations o on o.id = t.org_id join partners p on p.org_id = t.partner_org_id`,
  );
  if (!row) return { outcome: 'notFound' };
  const { ended, ...relationship } = row;
  if (ended) return { outcome: 'ended', relationship: { ...relationship, status: 'ended', endedAt: now } };
  if (relationship.status !== 'active') return { outcome: 'notActive', relationship };
  return { outcome: 'notAllowed', relationship };
}

export interface RelationshipCsvRow extends RelationshipRow {
  partnerName: string;
  partnerId: string;
  /** started_at as exact text (a Date would lose the microseconds the keyset needs). */
  cursorAt: string;
}

/** A batch of the relationships list for the CSV export, in keyset order (newest first), via relationships_org_idx. */
export async function relationshipsBatch(
  db: Queryable,
  orgId: string,
  now: Date,
  after: { cursorAt: string; id: string } | null,
  limit: number,
): Promise<RelationshipCsvRow[]> {
  const cursor = after
    ? sql`and (r.started_at < ${after.cursorAt}::timestamptz or (r.started_at = ${after.cursorAt}::timestamptz and r.id > ${after.id}::uuid))`
    : sql``;
  return rows<RelationshipCsvRow>(
    db,
    sql`select r.id, r.type, ${effectiveStatusSql(now)} as status, r.roles, r.eligible, r.started_at as "startedAt", r.ends_at as "endsAt", r.ended_at as "endedAt",
        p.name as "partnerName", p.partner_id as "partnerId", r.started_at::text as "cursorAt"
      from partner_relationships r join partners p on p.org_id = r.partner_org_id
      where r.org_id = ${orgId} ${cursor}
      order by r.started_at desc, r.id limit ${limit}`,
  );
}
