/** Settings → Alerts: the organization's limit for the password-reset alert (issue 25 §2), read and saved with its audit row. */
import { sql } from 'drizzle-orm';
import { auditInsert } from '../audit/audit.ts';
import { rows, type Queryable } from '../db/client.ts';

/** The default: more than 5 password resets by one partner within 10 minutes is one alert. */
export const DEFAULT_RESET_LIMIT = 5;

/** The organization's limit as SQL over its id (no row: the default), for the alerts job. */
export const resetLimitSql = (orgId: ReturnType<typeof sql>) =>
  sql`coalesce((select x.reset_limit from alert_settings x where x.org_id = ${orgId}), ${DEFAULT_RESET_LIMIT})`;

export async function resetLimit(db: Queryable, orgId: string): Promise<number> {
  const [row] = await rows<{ limit: number }>(db, sql`select ${resetLimitSql(sql`${orgId}::uuid`)}::int as "limit"`);
  return row?.limit ?? DEFAULT_RESET_LIMIT;
}

/** Saves the limit and its audit row in one statement. */
export async function saveResetLimit(db: Queryable, input: { orgId: string; limit: number; actor: { id: string; name: string } }): Promise<void> {
  await db.execute(sql`with saved as (
      insert into alert_settings (org_id, reset_limit) values (${input.orgId}, ${input.limit})
      on conflict (org_id) do update set reset_limit = excluded.reset_limit returning org_id)
    ${auditInsert(
      {
        orgId: sql`s.org_id`,
        actorUserId: input.actor.id,
        actorName: input.actor.name,
        action: 'organization.alerts.reset_limit_changed',
        targetType: 'organization',
        targetId: sql`s.org_id::text`,
        after: sql`json_build_object('limit', ${input.limit}::int)`,
      },
      sql`saved s`,
    )}`);
}

/** The limit as typed: a whole number from 1 to 100, else null. */
export function parseResetLimit(typed: string): number | null {
  const s = typed.trim();
  if (!/^\d{1,3}$/.test(s)) return null;
  const n = Number(s);
  return n >= 1 && n <= 100 ? n : null;
}
