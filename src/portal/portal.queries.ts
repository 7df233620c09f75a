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
    sql`select o.id as "orgId", o.name,
        json_agg(json_build_object('id', r.id, 'type', r.type, 'status', ${effectiveStatusSql(now)}, 'roles', r.roles,
          'startedAt', r.started_at, 'endsAt', r.ends_at, 'endedAt', r.ended_at) order by (r.status = 'active') desc, r.type, r.started_at desc) as relationships
      from partner_relationships r join organizations o on o.id = r.org_id
      where r.partner_org_id = ${partnerOrgId}
        ${opts.q ? sql`and o.name ilike ${likePattern(opts.q)}` : sql``}
        ${opts.after ? sql`and (o.name, o.id) > (${opts.after.name}, ${opts.after.id}::uuid)` : sql``}
      group by o.id, o.name order by o.name, o.id limit ${PAGE_SIZE + 1}`,
  );
  return { customers: found.slice(0, PAGE_SIZE), more: found.length > PAGE_SIZE };
}
