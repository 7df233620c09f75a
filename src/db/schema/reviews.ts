/**
 * Access reviews of delegated admin (issue 25 §1): per relationship the customer's review period and what
 * happens to an unanswered review, and each review with its answer or the policy applied.
 */
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns.ts';
import { organizations, users } from './organizations.ts';
import { partnerRelationships } from './relationships.ts';

/** One per delegated-admin relationship that has ever had reviews set; `everyDays` null: reviews off. */
export const accessReviewPolicies = pgTable(
  'access_review_policies',
  {
    relationshipId: uuid()
      .primaryKey()
      .references(() => partnerRelationships.id),
    /** The customer organization. */
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    /** 30, 90 or 180; null: off. */
    everyDays: integer(),
    /** What an unanswered review leads to: 'remove_unused' (roles not used since the last review) or 'end'. */
    unanswered: text().notNull().default('remove_unused'),
    /** When the next review opens (null while one is open, or when off). */
    nextDueAt: ts(),
    /** The last review answered or applied: "not used since the last review" counts from here (else the relationship's start). */
    lastReviewedAt: ts(),
  },
  (t) => [
    index('access_review_policies_due_idx')
      .on(t.nextDueAt)
      .where(sql`${t.nextDueAt} is not null`),
  ],
);

/** A review: opened when due, answered by a global admin, or the policy applied 7 days after it was due. */
export const accessReviews = pgTable(
  'access_reviews',
  {
    id: uuid().primaryKey().defaultRandom(),
    relationshipId: uuid()
      .notNull()
      .references(() => partnerRelationships.id),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    partnerOrgId: uuid()
      .notNull()
      .references(() => organizations.id),
    dueAt: ts().notNull(),
    /** Uses of a role before this count as "not used since the last review". */
    since: ts().notNull(),
    /** 'open', 'answered' (by a global admin) or 'applied' (the policy, unanswered). */
    status: text().notNull().default('open'),
    decidedAt: ts(),
    decidedByUserId: uuid().references(() => users.id),
    /** { kept: [...], removed: [...] } and, when applied, { policy }. */
    outcome: jsonb(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('access_reviews_one_open_idx')
      .on(t.relationshipId)
      .where(sql`${t.status} = 'open'`),
    index('access_reviews_open_due_idx')
      .on(t.dueAt)
      .where(sql`${t.status} = 'open'`),
    index('access_reviews_org_partner_idx')
      .on(t.orgId, t.partnerOrgId)
      .where(sql`${t.status} = 'open'`),
  ],
);
