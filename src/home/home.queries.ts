import { and, asc, eq } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
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
