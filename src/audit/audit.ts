import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import { auditLog } from '../db/schema.ts';

export interface AuditEntry {
  /** The customer organization the change concerns. */
  orgId: string | null;
  /** The partner organization involved: acting on behalf of the customer, or affected by the change. */
  partnerOrgId?: string | null;
  actorUserId: string | null;
  /** The person only ("Nadia Partner"); the activity log adds the partner from partnerOrgId in the reader's language. */
  actorName: string;
  /** dotted verb, e.g. 'subscription.partner_of_record.changed' */
  action: string;
  targetType?: string;
  targetId?: string;
  before?: unknown;
  after?: unknown;
}

/** Appends audit rows; call it inside the transaction that makes the change. */
export async function writeAudit(db: Queryable, ...entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(auditLog).values(
    entries.map((e) => ({
      orgId: e.orgId,
      partnerOrgId: e.partnerOrgId ?? null,
      actorUserId: e.actorUserId,
      actorName: e.actorName,
      action: e.action,
      targetType: e.targetType ?? null,
      targetId: e.targetId ?? null,
      before: e.before ?? null,
      after: e.after ?? null,
    })),
  );
}

/**
 * Audit rows from a set, for set-based changes (thousands of rows in one INSERT … SELECT): `select` yields
 * org_id, partner_org_id, actor_user_id, actor_name, action, target_type, target_id, before, after.
 * Use it as a CTE of the statement that makes the change, so the rows and their audit commit together.
 */
export function auditFromSelect(select: SQL): SQL {
  return sql`insert into audit_log (org_id, partner_org_id, actor_user_id, actor_name, action, target_type, target_id, before, after) ${select}`;
}
