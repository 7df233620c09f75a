import { sql, type Placeholder, type SQL } from 'drizzle-orm';
import { sessionRead, type Read } from '../auth/session-read.ts';
import { pageLimit, statement, statementPerShape, type Queryable } from '../db/client.ts';
import { distinctPartners } from '../relationships/distinct-partners.ts';

export const categories = ['relationship', 'subscription', 'user', 'license', 'invitation', 'organization', 'domain'] as const;
export type Category = (typeof categories)[number];

export interface ActivityFilter {
  partner: string | null;
  category: Category | null;
}

/** One audit row with what its sentence names: who, for whom, what, and the names of its targets. */
export interface ActivityEntry {
  id: number;
  createdAt: Date | string;
  actorName: string;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** The partner organization involved (acting, or affected). */
  partnerName: string | null;
  /** The actor is a person of that partner, acting on the customer's behalf. */
  onBehalf: boolean;
  /** No person: partnerdesk itself (e.g. delegated admin expiring). */
  system: boolean;
  /** The product of the subscription the row is about: its id (for the name in the reader's language) and stored English name. */
  productId: string | null;
  productName: string | null;
  /** The person the row is about (a user target, or the holder of a license). */
  userName: string | null;
  /** The type of the partner relationship the row is about. */
  relationshipType: string | null;
}

/** An audit row as the CSV exports it: its sentence's parts, and the codes a machine reads. */
export interface ActivityExportRow extends ActivityEntry {
  targetType: string | null;
  targetId: string | null;
  /** The row's hash in its organization's chain (decision 108). */
  hash: string | null;
}

/** A uuid from text only when it looks like one, so a foreign id never breaks the cast. */
const uuidOf = (text: ReturnType<typeof sql>) => sql`(case when ${text} ~ '^[0-9a-fA-F-]{36}$' then (${text})::uuid end)`;

/**
 * The audit rows with their target id read as a uuid once (`t.id`, null when it is not one) and the
 * product of the subscription each is about (one primary-key look-up, only for subscription rows).
 */
export const entryFrom = sql`audit_log a cross join lateral (select ${uuidOf(sql`a.target_id`)} as id) t
  left join lateral (select pr.id, pr.name from subscriptions s join products pr on pr.id = s.product_id
    where s.id = case when a.target_type = 'subscription' then t.id end) sp on true`;

/**
 * The columns of an ActivityEntry for an `entryFrom` row. Names come from the rows they point at
 * (primary-key look-ups, a few per row), so a sentence can say "Anna Nowak" and "Business Standard".
 */
export const entryColumns = sql`a.id::int as "id", a.created_at as "createdAt", a.actor_name as "actorName", a.action as "action",
  a.before as "before", a.after as "after",
  (select p.name from partners p where p.org_id = a.partner_org_id) as "partnerName",
  coalesce((select u.org_id = a.partner_org_id from users u where u.id = a.actor_user_id), false) as "onBehalf",
  (a.actor_user_id is null and a.actor_name = 'partnerdesk') as "system",
  sp.name as "productName", sp.id as "productId",
  (select u.name from users u where u.id = coalesce(case when a.target_type = 'user' then t.id end, ${uuidOf(sql`a.after->>'userId'`)})) as "userName",
  coalesce(a.before->>'type', a.after->>'type', (select r.type::text from partner_relationships r
    where r.id = case when a.target_type = 'partner_relationship' then t.id end)) as "relationshipType"`;

/** `entryColumns` and what only the CSV shows: the target's type and id, and the row's hash. */
const exportColumns = sql`${entryColumns}, a.target_type as "targetType", a.target_id as "targetId", a.hash as "hash"`;

type BatchValues = { partner: string | null; action: string | null; before: number | null };
type BatchShape = { partner: boolean; category: boolean; before: boolean };

/**
 * A batch of the organization's audit log for a shape of filter (partner, category, older than), newest
 * first (keyset on id, audit_org_idx): the page reads what its sentences name, the CSV `exportColumns`.
 */
function batchSql(shape: BatchShape, orgId: SQL | Placeholder, limit: SQL | Placeholder, columns = entryColumns) {
  const [partner, action, before] = (['partner', 'action', 'before'] as const).map((n) => sql.placeholder(n));
  return sql`select ${columns} from ${entryFrom} where a.org_id = ${orgId}
    ${shape.partner ? sql`and a.partner_org_id = ${partner}` : sql``}
    ${shape.category ? sql`and a.action like ${action}` : sql``}
    ${shape.before ? sql`and a.id < ${before}` : sql``}
    order by a.id desc limit ${limit}`;
}

const batchStatement = statementPerShape((shape: BatchShape) =>
  statement<ActivityExportRow, BatchValues & { orgId: string; limit: number }>(() =>
    batchSql(shape, sql.placeholder('orgId'), sql.placeholder('limit'), exportColumns),
  ),
);

const batchValues = (f: ActivityFilter, before: number | null): BatchValues => ({
  partner: f.partner,
  action: f.category ? `${f.category}.%` : null,
  before,
});
const batchShape = (f: ActivityFilter, before: number | null): BatchShape => ({ partner: !!f.partner, category: !!f.category, before: !!before });

/** A batch of the organization's audit log, newest first, as rows (the CSV export reads the log in these). */
export function activityBatch(db: Queryable, orgId: string, f: ActivityFilter, before: number | null, limit: number): Promise<ActivityExportRow[]> {
  return batchStatement(batchShape(f, before))(db, { orgId, limit, ...batchValues(f, before) });
}

export type PartnerOption = { id: string; name: string };

/** The partners the log can be filtered by, as JSON: those with a relationship to the organization, by name. */
const partnersJson = (orgId: SQL) =>
  sql`(with recursive d as (${distinctPartners('d', orgId)})
    select coalesce(json_agg(json_build_object('id', p.org_id, 'name', p.name) order by p.name), '[]')
    from partners p where p.org_id in (select partner_org_id from d))`;

export const ACTIVITY_PAGE_SIZE = 50;

/**
 * The page's read (auth/session-read.ts): one batch (rows: as one JSON document it took PostgreSQL
 * twice as long) and, for the whole page (not the list alone, which htmx swaps), the partners to filter
 * by, once, in the same statement.
 */
const pageStatement = statementPerShape((shape: BatchShape & { withPartners: boolean }) =>
  sessionRead<ActivityEntry, BatchValues, PartnerOption[]>(
    (orgId) => batchSql(shape, orgId, pageLimit(ACTIVITY_PAGE_SIZE)),
    shape.withPartners ? partnersJson : undefined,
  ),
);

/** The read of one page of the log. */
export function activityRead(f: ActivityFilter, before: number | null, withPartners: boolean) {
  return { read: pageStatement({ ...batchShape(f, before), withPartners }), values: batchValues(f, before) };
}

/** The page `activityRead` read. */
export function activityPage({ rows, first }: Read<ActivityEntry, PartnerOption[]>) {
  return { entries: rows.slice(0, ACTIVITY_PAGE_SIZE), more: rows.length > ACTIVITY_PAGE_SIZE, partners: first ?? [] };
}
