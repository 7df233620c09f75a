import { sql } from 'drizzle-orm';
import { rows, statement, statementPerShape, type Queryable } from '../db/client.ts';

export const categories = ['relationship', 'subscription', 'user', 'license', 'invitation', 'organization', 'domain'] as const;
export type Category = (typeof categories)[number];

export interface ActivityFilter {
  partner: string | null;
  category: Category | null;
}

/** One audit row with what its sentence names: who, for whom, what, and the names of its targets. */
export interface ActivityEntry {
  id: number;
  createdAt: string;
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

/** The audit rows with the product of the subscription each is about (one primary-key look-up each). */
export const entryFrom = sql`audit_log a left join lateral (select pr.id, pr.name from subscriptions s join products pr on pr.id = s.product_id
    where a.target_type = 'subscription' and s.id = ${uuidOf(sql`a.target_id`)}) sp on true`;

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
  (select u.name from users u where u.id = coalesce(case when a.target_type = 'user' then ${uuidOf(sql`a.target_id`)} end, ${uuidOf(sql`a.after->>'userId'`)})) as "userName",
  coalesce(a.before->>'type', a.after->>'type', (select r.type::text from partner_relationships r
    where a.target_type = 'partner_relationship' and r.id = ${uuidOf(sql`a.target_id`)})) as "relationshipType"`;

const where = (orgId: string, f: ActivityFilter, before: number | null) => sql`a.org_id = ${orgId}
  ${f.partner ? sql`and a.partner_org_id = ${f.partner}` : sql``}
  ${f.category ? sql`and a.action like ${f.category + '.%'}` : sql``}
  ${before ? sql`and a.id < ${before}` : sql``}`;

/** A batch of the organization's audit log, newest first (keyset on id, audit_org_idx). */
export async function activityBatch(db: Queryable, orgId: string, f: ActivityFilter, before: number | null, limit: number): Promise<ActivityEntry[]> {
  return rows<ActivityEntry>(db, sql`select ${entryColumns} from ${entryFrom} where ${where(orgId, f, before)} order by a.id desc limit ${limit}`);
}

type PageRow = { entries: ActivityEntry[] | null; partners: { id: string; name: string }[] | null };
type PageValues = { orgId: string; partner: string | null; action: string | null; before: number | null; limit: number };

/** The page statement for each shape of filter (partner, category, older than): its SQL text built once. */
const pageStatement = statementPerShape((shape: { partner: boolean; category: boolean; before: boolean }) => {
  const [orgId, partner, action, before, limit] = (['orgId', 'partner', 'action', 'before', 'limit'] as const).map((n) => sql.placeholder(n));
  const where = sql`a.org_id = ${orgId}
    ${shape.partner ? sql`and a.partner_org_id = ${partner}` : sql``}
    ${shape.category ? sql`and a.action like ${action}` : sql``}
    ${shape.before ? sql`and a.id < ${before}` : sql``}`;
  return statement<PageRow, PageValues>(
    () => sql`with e as (select ${entryColumns} from ${entryFrom} where ${where} order by a.id desc limit ${limit})
      select (select json_agg(e order by e.id desc) from e) as entries,
        (select json_agg(json_build_object('id', p.org_id, 'name', p.name) order by p.name) from partners p
          where p.org_id in (select r.partner_org_id from partner_relationships r where r.org_id = ${orgId})) as partners`,
  );
});

/** The page: one batch and the partners to filter by, in one statement. */
export async function activityPage(db: Queryable, orgId: string, f: ActivityFilter, before: number | null, limit: number) {
  const page = pageStatement({ partner: !!f.partner, category: !!f.category, before: !!before });
  const [row] = await page(db, { orgId, partner: f.partner, action: f.category ? `${f.category}.%` : null, before, limit: limit + 1 });
  const entries = row.entries ?? [];
  return { entries: entries.slice(0, limit), more: entries.length > limit, partners: row.partners ?? [] };
}
