/** What an organization bought: subscriptions, the checkout wizard, license assignments. */
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import { products } from './catalog.ts';
import { createdAt, ts } from './columns.ts';
import { billingFrequency, subscriptionStatus } from './enums.ts';
import { organizations, users } from './organizations.ts';

export const subscriptions = pgTable(
  'subscriptions',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    productId: text()
      .notNull()
      .references(() => products.id),
    quantity: integer().notNull(),
    status: subscriptionStatus().notNull(),
    billingFrequency: billingFrequency().notNull().default('monthly'),
    startedAt: ts().notNull().defaultNow(),
    renewsAt: ts(),
    endsAt: ts(),
    /** The partner of record (an advisor partner), at most one. */
    partnerOrgId: uuid().references(() => organizations.id),
    /** The price per license per month charged, and its currency, from the price list when bought (null for older rows). */
    currency: text(),
    priceCents: integer(),
    /** Bumped on every change: forms carry it so a stale form is refused. */
    version: integer().notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    check('quantity_range', sql`${t.quantity} between 1 and 100000`),
    index('subscriptions_org_created_idx').on(t.orgId, t.createdAt, t.id),
    index('subscriptions_org_renews_idx').on(t.orgId, t.renewsAt, t.id),
    index('subscriptions_org_product_idx').on(t.orgId, t.productId, t.id),
    index('subscriptions_partner_idx').on(t.partnerOrgId, t.orgId),
  ],
);

/**
 * How many subscriptions each organization has per partner of record, and how many changes they have
 * seen: kept by statement-level triggers on `subscriptions` (drizzle/0005), so the list's "Select all N"
 * count and version cost a few index rows to read however long the list is (docs/decisions/085).
 */
export const subscriptionTallies = pgTable(
  'subscription_tallies',
  {
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    /** Null: the subscriptions without a partner of record. */
    partnerOrgId: uuid(),
    n: integer().notNull().default(0),
    /** Rows inserted, updated or deleted in this group so far: with `n`, the list's version. */
    changes: bigint({ mode: 'number' }).notNull().default(0),
  },
  (t) => [unique('subscription_tallies_group').on(t.orgId, t.partnerOrgId).nullsNotDistinct()],
);

/** The checkout wizard's state lives on the server, so it survives reloads and works without JS. */
export const checkouts = pgTable(
  'checkouts',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    productId: text()
      .notNull()
      .references(() => products.id),
    step: integer().notNull().default(1),
    quantity: integer().notNull().default(1),
    billingFrequency: billingFrequency().notNull().default('monthly'),
    partnerOrgId: uuid().references(() => organizations.id),
    /** The price per license per month in the organization's currency, fixed when the checkout starts. */
    currency: text(),
    priceCents: integer(),
    /** Set once, in the transaction that buys: a second submit finds it and buys nothing. */
    subscriptionId: uuid().references(() => subscriptions.id),
    createdAt: createdAt(),
    completedAt: ts(),
  },
  (t) => [index('checkouts_org_idx').on(t.orgId, t.createdAt)],
);

/** Which user holds a license of which subscription. */
export const licenseAssignments = pgTable(
  'license_assignments',
  {
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    subscriptionId: uuid()
      .notNull()
      .references(() => subscriptions.id),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    assignedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.subscriptionId, t.userId] }), index('licenses_user_idx').on(t.orgId, t.userId)],
);
