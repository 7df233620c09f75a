import { sql } from 'drizzle-orm';
import { statement, statementPerShape, type Queryable } from '../db/client.ts';
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
  targetType: string | null;
  targetId: string | null;
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
  a.target_type as "targetType", a.target_id as "targetId", a.before as "before", a.after as "after",
  (select p.name from partners p where p.org_id = a.partner_org_id) as "partnerName",
  coalesce((select u.org_id = a.partner_org_id from users u where u.id = a.actor_user_id), false) as "onBehalf",
  (a.actor_user_id is null and a.actor_name = 'partnerdesk') as "system",
  sp.name as "productName", sp.id as "productId",
  (select u.name from users u where u.id = coalesce(case when a.target_type = 'user' then t.id end, ${uuidOf(sql`a.after->>'userId'`)})) as "userName",
  coalesce(a.before->>'type', a.after->>'type', (select r.type::text from partner_relationships r
    where r.id = case when a.target_type = 'partner_relationship' then t.id end)) as "relationshipType"`;

type BatchValues = { orgId: string; partner: string | null; action: string | null; before: number | null; limit: number };

/** The batch statement for each shape of filter (partner, category, older than): its SQL text built once. */
const batchStatement = statementPerShape((shape: { partner: boolean; category: boolean; before: boolean }) => {
  const [orgId, partner, action, before, limit] = (['orgId', 'partner', 'action', 'before', 'limit'] as const).map((n) => sql.placeholder(n));
  return statement<ActivityEntry, BatchValues>(
    () => sql`select ${entryColumns} from ${entryFrom} where a.org_id = ${orgId}
      ${shape.partner ? sql`and a.partner_org_id = ${partner}` : sql``}
      ${shape.category ? sql`and a.action like ${action}` : sql``}
      ${shape.before ? sql`and a.id < ${before}` : sql``}
      order by a.id desc limit ${limit}`,
  );
});

/** A batch of the organization's audit log, newest first (keyset on id, audit_org_idx), as rows. */
export function activityBatch(db: Queryable, orgId: string, f: ActivityFilter, before: number | null, limit: number): Promise<ActivityEntry[]> {
  return batchStatement({ partner: !!f.partner, category: !!f.category, before: !!before })(db, {
    orgId,
    partner: f.partner,
    action: f.category ? `${f.category}.%` : null,
    before,
    limit,
  });
}

/** The partners the log can be filtered by: those with a relationship to the organization, by name. */
const partnersStatement = statement<{ id: string; name: string }, { orgId: string }>(
  () => sql`with recursive d as (${distinctPartners('d', sql.placeholder('orgId'))})
    select p.org_id as id, p.name from partners p where p.org_id in (select partner_org_id from d) order by p.name`,
);

/**
 * The page: one batch (rows: as one JSON document it took PostgreSQL twice as long) and, for the whole
 * page (not the list alone, which htmx swaps), the partners to filter by, both sent at once.
 */
export async function activityPage(db: Queryable, orgId: string, f: ActivityFilter, before: number | null, limit: number, withPartners: boolean) {
  const [entries, partners] = await Promise.all([activityBatch(db, orgId, f, before, limit + 1), withPartners ? partnersStatement(db, { orgId }) : []]);
  return { entries: entries.slice(0, limit), more: entries.length > limit, partners };
}
