import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../src/db/client.ts';

/** Everything a partner-of-record change may touch, to prove a refused one changed nothing. */
export async function snapshot(db: Db) {
  const [r] = await rows<Record<string, unknown>>(
    db,
    sql`select (select json_agg(s order by s.id) from subscriptions s) as subscriptions,
      (select json_agg(r order by r.id) from partner_relationships r) as relationships,
      (select json_agg(c order by c.id) from checkouts c) as checkouts,
      (select count(*) from audit_log where action not like 'user.%') as audit,
      (select count(*) from outbox) as outbox`,
  );
  return JSON.stringify(r);
}

/** Audit rows whose action matches the LIKE pattern `action`, oldest first. */
export async function auditRows(db: Db, action: string) {
  return rows<{
    target_id: string;
    before: { partner: { name: string } | null; version: number };
    after: { partner: { name: string } | null; version: number };
  }>(db, sql`select target_id, before, after from audit_log where action like ${action} order by id`);
}

export async function mails(db: Db) {
  return rows<{ to_address: string; subject: string; body: string }>(db, sql`select to_address, subject, body from outbox order by id`);
}

export async function advisor(db: Db, orgId: string, partnerOrgId: string) {
  return rows<{ status: string; ended_at: unknown }>(
    db,
    sql`select status, ended_at from partner_relationships where org_id = ${orgId} and partner_org_id = ${partnerOrgId} and type = 'advisor' order by started_at`,
  );
}
