/**
 * The whole product's schema. Naming rule: camelCase in TypeScript, snake_case in SQL
 * (drizzle `casing: 'snake_case'`). Every tenant-owned table carries `orgId`.
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();
const ts = () => timestamp({ withTimezone: true });

export const orgKind = pgEnum('org_kind', ['customer', 'partner']);
export const role = pgEnum('role', ['global_admin', 'billing_admin', 'user', 'partner_admin', 'partner_agent']);
export const adminView = pgEnum('admin_view', ['simplified', 'dashboard']);
export const subscriptionStatus = pgEnum('subscription_status', ['trial', 'active', 'expired', 'cancelled']);
export const relationshipType = pgEnum('relationship_type', ['reseller', 'delegated_admin', 'advisor']);
export const relationshipStatus = pgEnum('relationship_status', ['active', 'ended', 'expired']);
export const billingFrequency = pgEnum('billing_frequency', ['monthly', 'yearly']);

/** Customer organizations (tenants) and partner organizations alike. */
export const organizations = pgTable('organizations', {
  id: uuid().primaryKey().defaultRandom(),
  kind: orgKind().notNull(),
  name: text().notNull(),
  /** ISO 3166-1 alpha-2, fixed at sign-up. */
  country: text().notNull(),
  createdAt: createdAt(),
});

/** A partner organization's public profile: the directory the finder searches. */
export const partners = pgTable(
  'partners',
  {
    orgId: uuid()
      .primaryKey()
      .references(() => organizations.id),
    /** The seed's "Partner Network ID": digits only, unique. */
    partnerId: text().notNull().unique(),
    name: text().notNull(),
    countries: text().array().notNull(),
    productIds: text().array().notNull(),
    /** advisor, reseller, delegated_admin */
    capabilities: text().array().notNull(),
    contactEmail: text().notNull(),
    website: text(),
    description: text().notNull().default(''),
  },
  (t) => [
    check('partner_id_digits', sql`${t.partnerId} ~ '^[0-9]{1,12}$'`),
    index('partners_name_idx').on(t.name, t.orgId),
    index('partners_countries_idx').using('gin', t.countries),
    index('partners_products_idx').using('gin', t.productIds),
  ],
);

export const users = pgTable(
  'users',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    email: text().notNull(),
    name: text().notNull(),
    passwordHash: text().notNull(),
    role: role().notNull(),
    isBillingOwner: boolean().notNull().default(false),
    /** The narrower admin roles on top of `role` (users, passwords, licenses, domains): see src/users/roles.rules.ts. */
    adminRoles: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    view: adminView().notNull().default('simplified'),
    /**
     * When the person proved the address is theirs. Null only after a self sign-up, until the link in
     * the verification mail is followed; every other way in (seed, invitation, admin) is verified.
     */
    emailVerifiedAt: ts().defaultNow(),
    /** The language of the pages and of every e-mail to this user ('en', 'pl', 'zh'); null: the organization's country decides. */
    locale: text(),
    /** IANA time zone for dates and times shown to this user; null: the organization's country decides. */
    timeZone: text(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_idx').on(sql`lower(${t.email})`), index('users_org_idx').on(t.orgId, t.name, t.id)],
);

/**
 * Names an organization proves it owns with a DNS TXT record. Stored as punycode (ASCII), shown in Unicode.
 * A verified name belongs to one organization only; each organization has one default.
 */
export const domains = pgTable(
  'domains',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    name: text().notNull(),
    /** The value of the TXT record that proves ownership. */
    txtToken: text().notNull(),
    verifiedAt: ts(),
    isDefault: boolean().notNull().default(false),
    /** The `<name>.partnerdesk.local` domain every organization gets at sign-up. */
    isInitial: boolean().notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('domains_org_name_idx').on(t.orgId, t.name),
    uniqueIndex('domains_verified_name_idx')
      .on(t.name)
      .where(sql`${t.verifiedAt} is not null`),
    uniqueIndex('domains_one_default_idx')
      .on(t.orgId)
      .where(sql`${t.isDefault}`),
  ],
);

/** Lucia-style sessions: the id is the SHA-256 of the cookie token, never the token itself. */
export const sessions = pgTable(
  'sessions',
  {
    id: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: ts().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** E-mail verification links: only the SHA-256 of the token; single use (deleted when followed). */
export const emailVerifications = pgTable(
  'email_verifications',
  {
    tokenHash: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: ts().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('email_verifications_user_idx').on(t.userId)],
);

/** Fixed-window counters shared by every server instance (sign-in, link redemption). */
export const rateLimits = pgTable('rate_limits', {
  key: text().primaryKey(),
  windowStart: ts().notNull(),
  count: integer().notNull(),
});

export const plans = pgTable('plans', {
  id: text().primaryKey(),
  name: text().notNull(),
  description: text().notNull(),
  sort: integer().notNull(),
});

export const products = pgTable(
  'products',
  {
    id: text().primaryKey(),
    planId: text()
      .notNull()
      .references(() => plans.id),
    name: text().notNull(),
    description: text().notNull(),
    /** Price per license per month, in the smallest unit of `currency`. */
    priceCents: integer().notNull(),
    currency: text().notNull().default('USD'),
    countries: text().array().notNull(),
    trialDays: integer(),
    sort: integer().notNull(),
  },
  (t) => [index('products_plan_idx').on(t.planId, t.sort)],
);

/** The catalog's own price list: one price per product per currency (src/catalog/currencies.ts), never a conversion. */
export const productPrices = pgTable(
  'product_prices',
  {
    productId: text()
      .notNull()
      .references(() => products.id),
    currency: text().notNull(),
    /** Per license per month, in the currency's smallest unit. */
    priceCents: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.productId, t.currency] }), check('price_not_negative', sql`${t.priceCents} >= 0`)],
);

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

export const partnerRelationships = pgTable(
  'partner_relationships',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** The customer organization. */
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    partnerOrgId: uuid()
      .notNull()
      .references(() => organizations.id),
    type: relationshipType().notNull(),
    status: relationshipStatus().notNull().default('active'),
    /** Admin roles granted, for delegated admin: users, passwords, licenses. */
    roles: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    startedAt: ts().notNull().defaultNow(),
    /** Planned end (delegated admin). */
    endsAt: ts(),
    endedAt: ts(),
    authorizedByUserId: uuid().references(() => users.id),
    invitationId: uuid(),
    /** The customer's name, copied by a trigger on insert: the partner portal pages its customers by name from one index. */
    customerName: text().notNull().default(''),
    /** The partner's name, copied by a trigger on insert: Partner relationships pages a customer's partners by name from one index. */
    partnerName: text().notNull().default(''),
  },
  (t) => [
    index('relationships_org_partner_name_idx').on(t.orgId, t.partnerName, t.partnerOrgId),
    index('relationships_org_partner_ended_idx')
      .on(t.orgId, t.partnerOrgId, t.startedAt.desc(), t.id.desc())
      .where(sql`${t.status} <> 'active'`),
    index('relationships_partner_name_idx').on(t.partnerOrgId, t.customerName, t.orgId),
    uniqueIndex('relationships_one_active_idx')
      .on(t.orgId, t.partnerOrgId, t.type)
      .where(sql`${t.status} = 'active'`),
    index('relationships_org_idx').on(t.orgId, t.startedAt.desc().nullsFirst(), t.id),
    index('relationships_partner_idx').on(t.partnerOrgId, t.orgId),
    index('relationships_ends_idx')
      .on(t.endsAt)
      .where(sql`${t.status} = 'active'`),
  ],
);

/** Authorization links. Only the SHA-256 of the token is stored. */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid().primaryKey().defaultRandom(),
    partnerOrgId: uuid()
      .notNull()
      .references(() => organizations.id),
    createdByUserId: uuid()
      .notNull()
      .references(() => users.id),
    tokenHash: text().notNull().unique(),
    email: text().notNull(),
    offersDelegatedAdmin: boolean().notNull(),
    roles: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    durationDays: integer(),
    offersReseller: boolean().notNull(),
    offerProductId: text().references(() => products.id),
    /** 'trial' or 'purchase', with offerProductId. */
    offerKind: text(),
    offerQuantity: integer(),
    terms: text().notNull(),
    expiresAt: ts().notNull(),
    acceptedAt: ts(),
    acceptedOrgId: uuid().references(() => organizations.id),
    revokedAt: ts(),
    createdAt: createdAt(),
  },
  (t) => [index('invitations_partner_idx').on(t.partnerOrgId, t.createdAt.desc().nullsFirst(), t.id)],
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

/** Append-only (a trigger refuses UPDATE and DELETE). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** The customer organization the change concerns, if any. */
    orgId: uuid().references(() => organizations.id),
    /** The partner organization involved (acting on behalf, or affected). */
    partnerOrgId: uuid().references(() => organizations.id),
    actorUserId: uuid().references(() => users.id),
    actorName: text().notNull(),
    action: text().notNull(),
    targetType: text(),
    targetId: text(),
    before: jsonb(),
    after: jsonb(),
    createdAt: createdAt(),
  },
  (t) => [
    index('audit_org_idx').on(t.orgId, t.id),
    index('audit_org_partner_idx').on(t.orgId, t.partnerOrgId, t.id),
    index('audit_partner_idx').on(t.partnerOrgId, t.id),
  ],
);

/** E-mails written in the same transaction as the change; a worker delivers them. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    toAddress: text().notNull(),
    subject: text().notNull(),
    body: text().notNull(),
    /** Makes a mail that must go once (an expiry reminder) idempotent. */
    dedupeKey: text().unique(),
    createdAt: createdAt(),
    sendAfter: ts().notNull().defaultNow(),
    attempts: integer().notNull().default(0),
    sentAt: ts(),
    lastError: text(),
    /** Set when delivery is given up after the last attempt; the mail stays here with its last error. */
    failedAt: ts(),
  },
  (t) => [
    index('outbox_pending_idx')
      .on(t.sendAfter)
      .where(sql`${t.sentAt} is null and ${t.failedAt} is null`),
  ],
);

export type Organization = typeof organizations.$inferSelect;
export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type Partner = typeof partners.$inferSelect;
export type Product = typeof products.$inferSelect;
export type Plan = typeof plans.$inferSelect;
export type Subscription = typeof subscriptions.$inferSelect;
export type PartnerRelationship = typeof partnerRelationships.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
export type Domain = typeof domains.$inferSelect;
export type Role = (typeof role.enumValues)[number];
