/** Organizations, their people, their partner profile and the domains they prove. */
import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns.ts';
import { adminView, orgKind, role } from './enums.ts';

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
    /** The narrower admin roles on top of `role` (users, passwords, licenses, domains): see src/authorization/roles.rules.ts. */
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
    /** Set when an admin disables the account: it cannot sign in (its password hash is replaced) and its sessions are gone. */
    disabledAt: ts(),
    /** Who made the account, when a delegated-admin partner did (issue 23): the partner, its person and the relationship. */
    createdByPartnerOrgId: uuid(),
    createdByUserId: uuid(),
    createdInRelationshipId: uuid(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('users_email_idx').on(sql`lower(${t.email})`),
    index('users_org_idx').on(t.orgId, t.name, t.id),
    index('users_created_in_relationship_idx')
      .on(t.createdInRelationshipId)
      .where(sql`${t.createdInRelationshipId} is not null`),
  ],
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
