/** The append-only audit log and the outbox of e-mails, both written in the change's transaction. */
import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
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
