/** The append-only audit log and the outbox of e-mails, both written in the change's transaction. */
import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns.ts';
import { organizations, users } from './organizations.ts';

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
    /**
     * The row's place in its organization's hash chain (1, 2, …) and its hash: SHA-256 (hex) of the previous
     * row's hash and this row's content. Both set by the trigger `audit_log_chain` (decision 108), never by code.
     */
    chainSeq: bigint({ mode: 'number' }),
    hash: text(),
  },
  (t) => [
    index('audit_org_idx').on(t.orgId, t.id),
    uniqueIndex('audit_chain_idx').on(t.orgId, t.chainSeq),
    index('audit_org_partner_idx').on(t.orgId, t.partnerOrgId, t.id),
    index('audit_partner_idx').on(t.partnerOrgId, t.id),
    // A delegated role's last use by a partner (access reviews, src/reviews/): the latest row of each action.
    index('audit_org_partner_action_idx').on(t.orgId, t.partnerOrgId, t.action, t.id),
  ],
);

/**
 * The head of each organization's audit hash chain: its last entry's place and hash, advanced by the
 * trigger in the same statement as the insert (the row lock serializes writers of one organization).
 * `orgId` is the nil uuid for rows that concern no organization.
 */
export const auditChainHeads = pgTable('audit_chain_heads', {
  orgId: uuid().primaryKey(),
  seq: bigint({ mode: 'number' }).notNull(),
  hash: text().notNull(),
  at: ts().notNull(),
});

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
