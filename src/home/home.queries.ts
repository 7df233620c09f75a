import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../db/client.ts';

export interface OwnLicense {
  /** The stored (English) name; the page shows productName(i18n, productId, product). */
  product: string;
  productId: string;
  status: string;
  renewsAt: string | null;
}

/** The licenses assigned to one user of the organization. */
export function licensesOfUser(db: Queryable, orgId: string, userId: string): Promise<OwnLicense[]> {
  return rows<OwnLicense>(
    db,
    sql`select p.name as product, p.id as "productId", s.status, s.renews_at as "renewsAt"
        from license_assignments la
        join subscriptions s on s.id = la.subscription_id and s.org_id = la.org_id
        join products p on p.id = s.product_id
        where la.org_id = ${orgId} and la.user_id = ${userId}
        -- By the stored name: the list is a user's few licenses, the order matters little.
        order by p.name`,
  );
}
