/** Partner relationships and the authorization links that create them. */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { products } from './catalog.ts';
import { createdAt, ts } from './columns.ts';
import { relationshipStatus, relationshipType } from './enums.ts';
import { organizations, users } from './organizations.ts';

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
    /** Delegated admin suspended by the customer (issue 24 §4): still active, but grant() refuses every partner request until resumed. */
    suspendedAt: ts(),
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

/**
 * Every admin role a delegated-admin partner grants, with who did it (issue 23): when the relationship
 * ends, the customer's global admins review what it left behind (accounts it created, roles it granted).
 */
export const roleGrants = pgTable(
  'role_grants',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** The customer organization. */
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    /** A base role (billing_admin) or a narrower admin role (users, passwords, licenses, domains). */
    role: text().notNull(),
    partnerOrgId: uuid()
      .notNull()
      .references(() => organizations.id),
    grantedByUserId: uuid()
      .notNull()
      .references(() => users.id),
    relationshipId: uuid()
      .notNull()
      .references(() => partnerRelationships.id),
    grantedAt: createdAt(),
  },
  (t) => [index('role_grants_relationship_idx').on(t.relationshipId, t.grantedAt, t.id)],
);
