import { sql, type Placeholder, type SQL } from 'drizzle-orm';

/**
 * The organization's distinct partners in (partner name, partner) order, from `after` on, as a recursive
 * CTE body to name in a `with recursive`: one probe of relationships_org_partner_name_idx per partner.
 * An organization may hold thousands of relationships with a handful of partners (an advisor relationship
 * ends and starts again each time its last subscription leaves and comes back): reading them all to find
 * the handful made Partner relationships and the activity log slower with every one.
 */
export function distinctPartners(self: string, orgId: Placeholder | SQL, after?: { name: Placeholder; id: Placeholder }): SQL {
  const d = sql.raw(self);
  return sql`(select r.partner_name, r.partner_org_id from partner_relationships r where r.org_id = ${orgId}
        ${after ? sql`and (r.partner_name, r.partner_org_id) > (${after.name}::text, ${after.id}::uuid)` : sql``}
        order by r.partner_name, r.partner_org_id limit 1)
      union all
      select n.partner_name, n.partner_org_id from ${d} cross join lateral (select r.partner_name, r.partner_org_id from partner_relationships r
        where r.org_id = ${orgId} and (r.partner_name, r.partner_org_id) > (${d}.partner_name, ${d}.partner_org_id)
        order by r.partner_name, r.partner_org_id limit 1) n`;
}
