/**
 * The whole product's schema, one file per area in `src/db/schema/` (drizzle-kit and every import read this
 * file). Naming rule: camelCase in TypeScript, snake_case in SQL (drizzle `casing: 'snake_case'`). Every
 * tenant-owned table carries `orgId`.
 */
import type { role } from './schema/enums.ts';
import type { domains, organizations, partners, users } from './schema/organizations.ts';
import type { sessions } from './schema/auth.ts';
import type { plans, products } from './schema/catalog.ts';
import type { subscriptions } from './schema/subscriptions.ts';
import type { elevations, invitations, partnerRelationships } from './schema/relationships.ts';

export * from './schema/enums.ts';
export * from './schema/organizations.ts';
export * from './schema/auth.ts';
export * from './schema/catalog.ts';
export * from './schema/subscriptions.ts';
export * from './schema/relationships.ts';
export * from './schema/records.ts';
export * from './schema/two-step.ts';
export * from './schema/alerts.ts';
export * from './schema/reviews.ts';

export type Organization = typeof organizations.$inferSelect;
export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type Partner = typeof partners.$inferSelect;
export type Product = typeof products.$inferSelect;
export type Plan = typeof plans.$inferSelect;
export type Subscription = typeof subscriptions.$inferSelect;
export type PartnerRelationship = typeof partnerRelationships.$inferSelect;
export type Elevation = typeof elevations.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
export type Domain = typeof domains.$inferSelect;
export type Role = (typeof role.enumValues)[number];
