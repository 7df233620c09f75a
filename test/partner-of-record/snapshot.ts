import { and, asc, eq, like, sql } from 'drizzle-orm';
import { rows, type Db } from '../../src/db/client.ts';
import { auditLog, outbox, partnerRelationships } from '../../src/db/schema.ts';

/** Everything a partner-of-record change may touch, to prove a refused one changed nothing. */
export async function snapshot(db: Db) {
  // Whole rows as JSON, compared as text: one statement over four tables is what a snapshot needs.
  const [r] = await rows<{ subscriptions: unknown[] | null; relationships: unknown[] | null; checkouts: unknown[] | null; audit: unknown; outbox: unknown }>(
    db,
    sql`select (select json_agg(s order by s.id) from subscriptions s) as subscriptions,
      (select json_agg(r order by r.id) from partner_relationships r) as relationships,
      (select json_agg(c order by c.id) from checkouts c) as checkouts,
      (select count(*) from audit_log where action not like 'user.%') as audit,
      (select count(*) from outbox) as outbox`,
  );
  return JSON.stringify(r);
}

/** What a partner-of-record audit row records before and after. */
type PartnerOfRecordState = { partner: { name: string } | null; version: number };

/** Audit rows whose action matches the LIKE pattern `action`, oldest first. */
export async function auditRows(db: Db, action: string) {
  return db
    .select({
      targetId: auditLog.targetId,
      before: sql<PartnerOfRecordState>`${auditLog.before}`,
      after: sql<PartnerOfRecordState>`${auditLog.after}`,
    })
    .from(auditLog)
    .where(like(auditLog.action, action))
    .orderBy(asc(auditLog.id));
}

export async function mails(db: Db) {
  return db.select({ toAddress: outbox.toAddress, subject: outbox.subject, body: outbox.body }).from(outbox).orderBy(asc(outbox.id));
}

export async function advisor(db: Db, orgId: string, partnerOrgId: string) {
  return (
    db
      .select({ status: partnerRelationships.status, endedAt: partnerRelationships.endedAt })
      .from(partnerRelationships)
      .where(and(eq(partnerRelationships.orgId, orgId), eq(partnerRelationships.partnerOrgId, partnerOrgId), eq(partnerRelationships.type, 'advisor')))
      // Oldest first; rows started at the same instant (the tests' clock stands still) put the open one last.
      .orderBy(asc(partnerRelationships.startedAt), sql`${partnerRelationships.endedAt} is null`)
  );
}
