import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../db/client.ts';

export const categories = ['relationship', 'subscription', 'user', 'license', 'invitation', 'organization', 'domain'] as const;
export type Category = (typeof categories)[number];

export interface ActivityFilter {
  partner: string | null;
  category: Category | null;
}

export interface ActivityEntry {
  id: number;
  createdAt: string;
  actorName: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  partnerName: string | null;
}

const where = (orgId: string, f: ActivityFilter, before: number | null) => sql`a.org_id = ${orgId}
  ${f.partner ? sql`and a.partner_org_id = ${f.partner}` : sql``}
  ${f.category ? sql`and a.action like ${f.category + '.%'}` : sql``}
  ${before ? sql`and a.id < ${before}` : sql``}`;

/** A batch of the organization's audit log, newest first (keyset on id, audit_org_idx). */
export async function activityBatch(db: Queryable, orgId: string, f: ActivityFilter, before: number | null, limit: number): Promise<ActivityEntry[]> {
  return rows<ActivityEntry>(
    db,
    sql`select a.id::int as id, a.created_at as "createdAt", a.actor_name as "actorName", a.action, a.target_type as "targetType", a.target_id as "targetId", p.name as "partnerName"
      from audit_log a left join partners p on p.org_id = a.partner_org_id
      where ${where(orgId, f, before)} order by a.id desc limit ${limit}`,
  );
}

/** The page: one batch and the partners to filter by, in one statement. */
export async function activityPage(db: Queryable, orgId: string, f: ActivityFilter, before: number | null, limit: number) {
  const [row] = await rows<{ entries: ActivityEntry[] | null; partners: { id: string; name: string }[] | null }>(
    db,
    sql`with e as (
        select a.id, a.created_at, a.actor_name, a.action, a.target_type, a.target_id, p.name as partner_name
        from audit_log a left join partners p on p.org_id = a.partner_org_id
        where ${where(orgId, f, before)} order by a.id desc limit ${limit + 1})
      select (select json_agg(json_build_object('id', e.id, 'createdAt', e.created_at, 'actorName', e.actor_name, 'action', e.action,
                'targetType', e.target_type, 'targetId', e.target_id, 'partnerName', e.partner_name) order by e.id desc) from e) as entries,
        (select json_agg(json_build_object('id', p.org_id, 'name', p.name) order by p.name) from partners p
          where p.org_id in (select r.partner_org_id from partner_relationships r where r.org_id = ${orgId})) as partners`,
  );
  const entries = row.entries ?? [];
  return { entries: entries.slice(0, limit), more: entries.length > limit, partners: row.partners ?? [] };
}
