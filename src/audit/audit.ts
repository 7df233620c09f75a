/**
 * The one writer of audit rows: no other file names the audit_log columns. Two forms, one table:
 * `audit(tx, …entries)` for rows whose values the code knows, and `auditInsert(columns, from)` for rows
 * computed from a set inside the statement that makes the change (a CTE), so the change and its audit
 * rows commit together in one round trip. See docs/decisions/075-one-writer-of-audit-and-outbox-rows.md.
 */
import { sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';

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
export async function audit(db: Queryable, ...entries: AuditEntry[]): Promise<void> {
  if (entries.length > 0) await db.execute(auditRows(entries));
}

/** `audit` as SQL to embed as a CTE of the statement that makes the change (no entries: it inserts nothing). */
export function auditRows(entries: AuditEntry[]): SQL {
  return auditRowsFrom(sql`${auditJson(entries)}`);
}

/** Entries as the one parameter `auditRowsFrom` reads. */
export const auditJson = (entries: AuditEntry[]) =>
  JSON.stringify(
    entries.map((e) => ({
      org_id: e.orgId,
      partner_org_id: e.partnerOrgId ?? null,
      actor_user_id: e.actorUserId,
      actor_name: e.actorName,
      action: e.action,
      target_type: e.targetType ?? null,
      target_id: e.targetId ?? null,
      before: e.before ?? null,
      after: e.after ?? null,
    })),
  );

/**
 * Audit rows from a JSON array of entries (`auditJson`): one statement text however many rows, so a
 * statement built once (db/client.ts `statement`) can carry them as a single parameter.
 */
export function auditRowsFrom(json: SQL | Placeholder): SQL {
  const names = 'org_id, partner_org_id, actor_user_id, actor_name, action, target_type, target_id, before, after';
  return sql`insert into audit_log (${sql.raw(names)}) select ${sql.raw(names)} from jsonb_to_recordset(${json}::jsonb)
    as e (org_id uuid, partner_org_id uuid, actor_user_id uuid, actor_name text, action text, target_type text, target_id text, before jsonb, after jsonb)`;
}

/** A column's value in the set form: an SQL expression over `from`, or a value the code knows. */
type Expr = SQL | string | null;

export interface AuditColumns {
  orgId?: Expr;
  partnerOrgId?: Expr;
  actorUserId?: Expr;
  actorName: Expr;
  action: Expr;
  targetType?: Expr;
  targetId?: Expr;
  /** json (e.g. json_build_object(…)) */
  before?: SQL | null;
  after?: SQL | null;
  /** Only for generated data (the bench seed); real rows take the time of the transaction. */
  createdAt?: SQL;
}

const columns = {
  orgId: ['org_id', 'uuid'],
  partnerOrgId: ['partner_org_id', 'uuid'],
  actorUserId: ['actor_user_id', 'uuid'],
  actorName: ['actor_name', 'text'],
  action: ['action', 'text'],
  targetType: ['target_type', 'text'],
  targetId: ['target_id', 'text'],
  before: ['before', 'jsonb'],
  after: ['after', 'jsonb'],
  createdAt: ['created_at', 'timestamptz'],
} as const satisfies Record<keyof AuditColumns, readonly [string, string]>;

const keys = Object.keys(columns) as (keyof AuditColumns)[];

function value(e: Expr | undefined, type: string): SQL {
  // Typed casts: a bare parameter in a SELECT list would otherwise be text, whatever the column.
  if (e == null) return sql.raw(type === 'timestamptz' ? 'now()' : `null::${type}`);
  return sql`(${e})::${sql.raw(type)}`;
}

/**
 * Audit rows from a set: one INSERT … SELECT for each `[columns, from]`, joined by UNION ALL, to embed as a
 * CTE of the statement that makes the change (`audited as (${auditInsert({...}, sql`ended e`)})`).
 * Without `from`, one row of known values. Columns left out are null (created_at: now()).
 */
export function auditInsert(columnsOf: AuditColumns, from?: SQL): SQL {
  return auditInsertEach([columnsOf, from]);
}

/** Several selects into audit_log in one INSERT (for a change that writes rows of different kinds). */
export function auditInsertEach(...selects: [AuditColumns, SQL?][]): SQL {
  const used = keys.filter((k) => k !== 'createdAt' || selects.some(([c]) => c.createdAt));
  const names = sql.raw(used.map((k) => columns[k][0]).join(', '));
  const parts = selects.map(([c, from]) => {
    const list = sql.join(
      used.map((k) => value(c[k], columns[k][1])),
      sql`, `,
    );
    return from ? sql`select ${list} from ${from}` : sql`select ${list}`;
  });
  return sql`insert into audit_log (${names}) ${sql.join(parts, sql` union all `)}`;
}
