import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../db/client.ts';

export interface OwnLicense {
  product: string;
  status: string;
  renewsAt: string | null;
}

/** The licenses assigned to one user of the organization. */
export function licensesOfUser(db: Queryable, orgId: string, userId: string): Promise<OwnLicense[]> {
  return rows<OwnLicense>(
    db,
    sql`select p.name as product, s.status, s.renews_at as "renewsAt"
        from license_assignments la
        join subscriptions s on s.id = la.subscription_id and s.org_id = la.org_id
        join products p on p.id = s.product_id
        where la.org_id = ${orgId} and la.user_id = ${userId}
        order by p.name`,
  );
}
