import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../db/client.ts';
import { effectiveStatusSql, type RelationshipRow } from '../relationships/relationships.queries.ts';

export interface Customer {
  orgId: string;
  name: string;
  relationships: RelationshipRow[];
}

export const PAGE_SIZE = 25;

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/** The partner's customers by name (keyset on name, id), each with its relationships to this partner. */
export async function customersPage(db: Queryable, partnerOrgId: string, now: Date, opts: { q: string; after: { name: string; id: string } | null }) {
  const found = await rows<Customer>(
    db,
    // The page of customers comes from one index (partner, customer name, customer): no sort of all customers.
    sql`with page as (
        select distinct on (r.customer_name, r.org_id) r.org_id as id, r.customer_name as name
        from partner_relationships r
        where r.partner_org_id = ${partnerOrgId}
          ${opts.q ? sql`and r.customer_name ilike ${likePattern(opts.q)}` : sql``}
          ${opts.after ? sql`and (r.customer_name, r.org_id) > (${opts.after.name}, ${opts.after.id}::uuid)` : sql``}
        order by r.customer_name, r.org_id limit ${PAGE_SIZE + 1})
      select page.id as "orgId", page.name,
        (select json_agg(json_build_object('id', r.id, 'type', r.type, 'status', ${effectiveStatusSql(now)}, 'roles', r.roles,
            'startedAt', r.started_at, 'endsAt', r.ends_at, 'endedAt', r.ended_at) order by (r.status = 'active') desc, r.type, r.started_at desc)
          from partner_relationships r where r.partner_org_id = ${partnerOrgId} and r.org_id = page.id) as relationships
      from page order by page.name, page.id`,
  );
  return { customers: found.slice(0, PAGE_SIZE), more: found.length > PAGE_SIZE };
}
