/** Partner relationships and the authorization links that create them. */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
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
    /** Admin roles granted, for delegated admin: users, passwords, licenses. Standing: held for the whole relationship. */
    roles: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Eligible roles (issue 24, decision 110): role → the longest activation in hours (1–8), held only while an elevation is active. */
    eligible: jsonb().$type<Record<string, number>>().notNull().default({}),
    /** The customer's policy for activations: its global admins approve each one (true) or they are approved automatically. */
    approvalRequired: boolean().notNull().default(true),
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
    /** Eligible roles offered: role → the longest activation in hours (1–8). */
    eligible: jsonb().$type<Record<string, number>>().notNull().default({}),
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

/**
 * Just-in-time elevations (issue 24, decision 110): a partner person asks to hold an eligible role of a
 * delegated-admin relationship for a while. `pending` until a customer global admin decides (at most 24 h
 * after `requestedAt`); `approved` holds from `startsAt` until `endsAt` (moved to the moment it is ended
 * early); `denied`. The grant (authorization/scope.ts) reads it in the statement of every partner request.
 */
export const elevations = pgTable(
  'elevations',
  {
    id: uuid().primaryKey().defaultRandom(),
    relationshipId: uuid()
      .notNull()
      .references(() => partnerRelationships.id),
    /** The customer organization. */
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    partnerOrgId: uuid()
      .notNull()
      .references(() => organizations.id),
    /** The partner person who asked, and holds it. */
    userId: uuid()
      .notNull()
      .references(() => users.id),
    userName: text().notNull(),
    role: text().notNull(),
    minutes: integer().notNull(),
    reason: text().notNull(),
    ticket: text(),
    /** 'pending' | 'approved' | 'denied' */
    status: text().notNull(),
    requestedAt: ts().notNull(),
    decidedAt: ts(),
    /** Null with a decision: approved automatically by the customer's policy. */
    decidedByUserId: uuid().references(() => users.id),
    decidedByName: text(),
    startsAt: ts(),
    endsAt: ts(),
    /** Set when it was ended before its time, with who ended it. */
    endedEarlyByName: text(),
    /** The end is recorded (audit row, mails): at once when ended early, else by the background job. */
    endRecordedAt: ts(),
  },
  (t) => [
    index('elevations_grant_idx')
      .on(t.relationshipId, t.userId, t.endsAt)
      .where(sql`${t.status} = 'approved'`),
    index('elevations_org_idx').on(t.orgId, t.requestedAt.desc(), t.id.desc()),
    index('elevations_relationship_idx').on(t.relationshipId, t.requestedAt.desc(), t.id.desc()),
    index('elevations_unrecorded_idx')
      .on(t.endsAt)
      .where(sql`${t.status} = 'approved' and ${t.endRecordedAt} is null`),
  ],
);
