import { and, asc, eq, sql } from 'drizzle-orm';
import { rows, type Queryable } from '../db/client.ts';
import { licenseAssignments, products, subscriptions } from '../db/schema.ts';

/** The licenses assigned to one user of the organization. */
export function licensesOfUser(db: Queryable, orgId: string, userId: string) {
  return (
    db
      // `product` is the stored (English) name; the page shows productName(i18n, productId, product).
      .select({ product: products.name, productId: products.id, status: subscriptions.status, renewsAt: subscriptions.renewsAt })
      .from(licenseAssignments)
      .innerJoin(subscriptions, and(eq(subscriptions.id, licenseAssignments.subscriptionId), eq(subscriptions.orgId, licenseAssignments.orgId)))
      .innerJoin(products, eq(products.id, subscriptions.productId))
      .where(and(eq(licenseAssignments.orgId, orgId), eq(licenseAssignments.userId, userId)))
      // By the stored name: the list is a user's few licenses, the order matters little.
      .orderBy(asc(products.name))
  );
}

export type OwnLicense = Awaited<ReturnType<typeof licensesOfUser>>[number];

/** What a new organization has not done yet: each is a next step on the home page. */
export interface Progress {
  bought: boolean;
  hasPartner: boolean;
  hasUsers: boolean;
  hasDomain: boolean;
}

/** One statement: does the organization have a subscription, an active partner, a second person, a domain of its own? */
export async function progressOf(db: Queryable, orgId: string): Promise<Progress> {
  const [r] = await rows<Progress>(
    db,
    sql`select exists (select 1 from subscriptions where org_id = ${orgId}) as bought,
      exists (select 1 from partner_relationships where org_id = ${orgId} and status = 'active') as "hasPartner",
      (select count(*) from (select 1 from users where org_id = ${orgId} limit 2) u) > 1 as "hasUsers",
      exists (select 1 from domains where org_id = ${orgId} and not is_initial) as "hasDomain"`,
  );
  return r;
}
