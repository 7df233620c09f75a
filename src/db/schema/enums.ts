/** The enums every area of the schema shares. */
import { pgEnum } from 'drizzle-orm/pg-core';

export const orgKind = pgEnum('org_kind', ['customer', 'partner']);
export const role = pgEnum('role', ['global_admin', 'billing_admin', 'user', 'partner_admin', 'partner_agent']);
export const adminView = pgEnum('admin_view', ['simplified', 'dashboard']);
export const subscriptionStatus = pgEnum('subscription_status', ['trial', 'active', 'expired', 'cancelled']);
export const relationshipType = pgEnum('relationship_type', ['reseller', 'delegated_admin', 'advisor']);
export const relationshipStatus = pgEnum('relationship_status', ['active', 'ended', 'expired']);
export const billingFrequency = pgEnum('billing_frequency', ['monthly', 'yearly']);
