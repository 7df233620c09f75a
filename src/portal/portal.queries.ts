import { sql } from 'drizzle-orm';
import { sessionRead, type Read } from '../auth/session-read.ts';
import { containsPattern, pageLimit, statementPerShape, type Queryable } from '../db/client.ts';
import { effectiveStatusSql, type RelationshipRow } from '../relationships/relationships.queries.ts';

export interface Customer {
  orgId: string;
  name: string;
  relationships: RelationshipRow[];
}

export const PAGE_SIZE = 25;

type PageValues = { now: string; pattern: string | null; afterName: string | null; afterId: string | null };
/** One relationship of one customer of the page: the rows come grouped by customer, in the page's order. */
type Row = RelationshipRow & { orgId: string; name: string };

/**
 * The page read for each shape (searched or not, first page or after a cursor), alone or with the
 * session (auth/session-read.ts): the partner is the signed-in organization.
 */
const pageRead = statementPerShape(({ searched, after }: { searched: boolean; after: boolean }) => {
  const [now, pattern, afterName, afterId] = (['now', 'pattern', 'afterName', 'afterId'] as const).map((n) => sql.placeholder(n));
  const limit = pageLimit(PAGE_SIZE);
  // The page of customers comes from one index (partner, customer name, customer): no sort of all
  // customers. Their relationships come as plain rows (a few per customer), not one JSON document per
  // customer: building JSON took PostgreSQL five times as long as the rows.
  return sessionRead<Row, PageValues>(
    (partnerOrgId) => sql`with page as (
        select distinct on (r.customer_name, r.org_id) r.org_id as id, r.customer_name as name
        from partner_relationships r
        where r.partner_org_id = ${partnerOrgId}
          ${searched ? sql`and r.customer_name ilike ${pattern}` : sql``}
          ${after ? sql`and (r.customer_name, r.org_id) > (${afterName}, ${afterId}::uuid)` : sql``}
        order by r.customer_name, r.org_id limit ${limit})
      select page.id as "orgId", page.name, r.id, r.type, ${effectiveStatusSql(now)} as status, r.roles, r.eligible,
        r.started_at as "startedAt", r.ends_at as "endsAt", r.ended_at as "endedAt", r.suspended_at as "suspendedAt"
      from page join partner_relationships r on r.partner_org_id = ${partnerOrgId} and r.org_id = page.id
      order by page.name, page.id, (r.status = 'active') desc, r.type, r.started_at desc`,
  );
});

/** The read of the partner's customers by name (keyset on name, id), each with its relationships to this partner. */
export function customersRead(now: Date, opts: { q: string; after: { name: string; id: string } | null }) {
  return {
    read: pageRead({ searched: !!opts.q, after: !!opts.after }),
    values: {
      now: now.toISOString(),
      pattern: opts.q ? containsPattern(opts.q) : null,
      afterName: opts.after?.name ?? null,
      afterId: opts.after?.id ?? null,
    },
  };
}

/** The page `customersRead` read: customers with their relationships. */
export function customersOf({ rows: found }: Read<Row, never>) {
  const customers: Customer[] = [];
  let customer: Customer | undefined;
  // Each row is its relationship as it is (its customer's two fields ride along unread): no copy per row.
  for (const row of found) {
    if (customer?.orgId !== row.orgId) customers.push((customer = { orgId: row.orgId, name: row.name, relationships: [] }));
    customer.relationships.push(row);
  }
  return { customers: customers.slice(0, PAGE_SIZE), more: customers.length > PAGE_SIZE };
}

/** The partner's customers, read alone (the list a removal gives back). */
export async function customersPage(db: Queryable, partnerOrgId: string, now: Date, opts: { q: string; after: { name: string; id: string } | null }) {
  const { read, values } = customersRead(now, opts);
  return customersOf(await read.alone(db, partnerOrgId, values));
}
