/**
 * Changing the partner of record: read the subscriptions under their row locks, decide with the pure
 * rules, then write the change, its audit rows, the partners' e-mails and the advisor relationship in the
 * same transaction. Two admins at once are serialized by the locks; each sees the other's result.
 */
import { sql, type Placeholder, type SQL } from 'drizzle-orm';
import { isUuid } from '../http/cursor.ts';
import { productName } from '../catalog/text.ts';
import type { Auth } from '../context.ts';
import { audit, type AuditEntry } from '../audit/audit.ts';
import { rows, type Queryable, type Tx } from '../db/client.ts';
import { enqueueLocalizedMail, localizedMail, type LocalizedMail } from '../mail/outbox.ts';
import type { Partner, PartnerRelationship, Subscription } from '../db/schema.ts';
import { planPartnerChange, type ChangeRefusal, type PartnerChange, type PartnerProfile, type SubscriptionState } from './partner-of-record.rules.ts';

export type PartnerRef = Pick<Partner, 'orgId' | 'partnerId' | 'name' | 'contactEmail'>;
export type PartnerRecord = PartnerProfile & PartnerRef;

/** A partner as JSON with the schema's own (camelCase) field names, so it parses straight into `PartnerRecord`. */
export const partnerJson = (alias: string) => {
  const p = sql.raw(alias);
  return sql`json_build_object('orgId', ${p}.org_id, 'partnerId', ${p}.partner_id, 'name', ${p}.name, 'countries', ${p}.countries,
    'productIds', ${p}.product_ids, 'capabilities', ${p}.capabilities, 'contactEmail', ${p}.contact_email)`;
};

/** A subscription as the change sees it under its row lock, with what its page shows. */
export interface LockedSubscription extends SubscriptionState {
  productName: string;
  partner: PartnerRecord | null;
  quantity: Subscription['quantity'];
  status: Subscription['status'];
  billingFrequency: Subscription['billingFrequency'];
  startedAt: Date | string;
  renewsAt: Date | string | null;
}

/** One statement: locks the organization's subscriptions among `ids`, with what the rules need, and looks up `partnerId`. */
async function lockSubscriptions(tx: Queryable, orgId: string, ids: string[], partnerId: string | null) {
  const list = sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const found = await rows<LockedSubscription & { country: string; newPartner: PartnerRecord | null }>(
    tx,
    sql`with locked as materialized (
        select id, version, product_id, partner_org_id, quantity, status, billing_frequency, started_at, renews_at from subscriptions
        where org_id = ${orgId} and id in (${list}) order by id for update)
      select l.id, l.version, l.product_id as "productId", pr.name as "productName", l.partner_org_id as "partnerOrgId",
        l.quantity, l.status, l.billing_frequency as "billingFrequency", l.started_at as "startedAt", l.renews_at as "renewsAt",
        (select ${partnerJson('p')} from partners p where p.org_id = l.partner_org_id) as partner,
        ${heldByResellerSql(orgId, sql`l.partner_org_id`)} as "heldByReseller",
        o.country,
        (select ${partnerJson('p')} from partners p where p.partner_id = ${partnerId}) as "newPartner"
      from locked l join products pr on pr.id = l.product_id join organizations o on o.id = ${orgId}`,
  );
  return {
    country: found[0]?.country ?? '',
    newPartner: found[0]?.newPartner ?? null,
    subscriptions: found.map(({ country: _c, newPartner: _n, ...s }): LockedSubscription => s),
  };
}

/** Whether `partnerOrg` is the organization's active reseller: the reseller rule's one SQL form. */
export const heldByResellerSql = (orgId: string | SQL | Placeholder, partnerOrg: SQL) =>
  sql`exists (select 1 from partner_relationships held where held.org_id = ${orgId} and held.partner_org_id = ${partnerOrg}
    and held.type = 'reseller' and held.status = 'active')`;

export interface AppliedChange {
  subscriptionId: string;
  productId: string;
  /** The stored (English) name; mails name the product in each recipient's language (catalog/text.ts). */
  productName: string;
  from: PartnerRef | null;
  to: PartnerRef | null;
  version: number;
}

export type ChangeResult =
  | { ok: true; changes: AppliedChange[]; subscriptions: LockedSubscription[] }
  | { ok: false; notFound: true }
  | { ok: false; notFound?: false; refusal: ChangeRefusal; subscriptions: LockedSubscription[]; partner: PartnerRecord | null; country: string };

/**
 * Adds (or changes to) the partner with `partnerId`, or removes the partner of record, on the
 * organization's subscriptions `ids`, all or nothing. A refusal rolls back and leaves the database as it was.
 */
export async function changePartnerOfRecord(
  db: Queryable,
  orgId: string,
  input: {
    ids: string[];
    change: { kind: 'add'; partnerId: string } | { kind: 'remove' };
    versions?: Map<string, number>;
    actor: Auth['user'];
    orgName: string;
    now: Date;
  },
): Promise<ChangeResult> {
  const ids = [...new Set(input.ids)];
  if (ids.length === 0 || !ids.every(isUuid)) return { ok: false, notFound: true };
  return db.transaction(async (tx) => {
    const locked = await lockSubscriptions(tx, orgId, ids, input.change.kind === 'add' ? input.change.partnerId : null);
    if (locked.subscriptions.length !== ids.length) return { ok: false, notFound: true } as const;
    const change: PartnerChange = input.change.kind === 'add' ? { kind: 'add', partner: locked.newPartner } : { kind: 'remove' };
    const plan = planPartnerChange(locked.subscriptions, change, locked.country, input.versions);
    if (!plan.ok)
      return { ok: false, refusal: plan.refusal, subscriptions: locked.subscriptions, partner: locked.newPartner, country: locked.country } as const;
    if (plan.changes.length === 0) return { ok: true, changes: [], subscriptions: locked.subscriptions } as const;
    const to = input.change.kind === 'add' ? locked.newPartner : null;
    const changedIds = plan.changes.map((c) => c.subscriptionId);
    const updated = await rows<{ id: string; version: number }>(
      tx,
      sql`update subscriptions set partner_org_id = ${to?.orgId ?? null}, version = version + 1
        where org_id = ${orgId} and id in (${sql.join(
          changedIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )}) returning id, version`,
    );
    const byId = new Map(locked.subscriptions.map((s) => [s.id, s]));
    const changes = updated.map((u): AppliedChange => {
      const s = byId.get(u.id)!;
      return { subscriptionId: u.id, productId: s.productId, productName: s.productName, from: s.partner, to, version: u.version };
    });
    await recordPartnerChanges(tx, { orgId, orgName: input.orgName, actor: input.actor, now: input.now, changes });
    const subscriptions = locked.subscriptions.map((s) => {
      const u = updated.find((x) => x.id === s.id);
      return u ? { ...s, version: u.version, partnerOrgId: to?.orgId ?? null, partner: to, heldByReseller: false } : s;
    });
    return { ok: true, changes, subscriptions } as const;
  });
}

const auditedPartner = (p: PartnerRef | null) => (p ? { partnerOrgId: p.orgId, partnerId: p.partnerId, name: p.name } : null);

/**
 * Everything that follows a change of partner of record, in the caller's transaction: the advisor
 * relationships (active while the partner is partner of record on at least one subscription), one audit
 * row per change (and per relationship started or ended), and an e-mail to each old and new partner.
 */
export async function recordPartnerChanges(
  tx: Tx,
  input: { orgId: string; orgName: string; actor: Pick<Auth['user'], 'id' | 'name'>; now: Date; changes: AppliedChange[]; extraAudit?: AuditEntry[] },
): Promise<void> {
  const { orgId, actor, now, changes } = input;
  const added = [...new Set(changes.flatMap((c) => (c.to ? [c.to.orgId] : [])))];
  const removed = [...new Set(changes.flatMap((c) => (c.from ? [c.from.orgId] : [])))];
  const relationships = await syncAdvisorRelationships(tx, { orgId, actor, now, added, removed });
  const auditEntries: AuditEntry[] = [
    ...(input.extraAudit ?? []),
    ...changes.map((c) => ({
      orgId,
      partnerOrgId: (c.to ?? c.from)?.orgId ?? null,
      actorUserId: actor.id,
      actorName: actor.name,
      action: `subscription.partner_of_record.${!c.from ? 'added' : !c.to ? 'removed' : 'changed'}`,
      targetType: 'subscription',
      targetId: c.subscriptionId,
      before: { partner: auditedPartner(c.from), version: c.version - 1 },
      after: { partner: auditedPartner(c.to), version: c.version },
    })),
    ...relationshipAudit(orgId, actor, relationships),
  ];
  await audit(tx, ...auditEntries);
  await enqueueLocalizedMail(tx, ...partnerMails(changes, input.orgName));
}

/** An advisor relationship that started or ended with a change of partner of record. */
export type AdvisorChange = Pick<PartnerRelationship, 'id' | 'partnerOrgId'> & { change: 'started' | 'ended' };

/**
 * The advisor relationships follow the partner of record: one starts for a partner that gained a
 * subscription, and ends for one that no longer holds any. One statement; returns what started or ended.
 */
export async function syncAdvisorRelationships(
  tx: Tx,
  input: { orgId: string; actor: Pick<Auth['user'], 'id'>; now: Date; added: string[]; removed: string[] },
): Promise<AdvisorChange[]> {
  const { orgId, actor, now } = input;
  // Two transactions changing different subscriptions of one organization each decide the advisor
  // relationship from what they see; under READ COMMITTED neither sees the other's uncommitted change, so
  // both could leave it active with no subscription left (or end it while the other gains one). A lock per
  // organization, held to commit, makes the second decide after the first committed (its next statement
  // sees that). Taken after the subscriptions' row locks, it waits only on transactions that hold none of ours.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`partner-of-record:${orgId}`}, 0))`);
  const uuids = (ids: string[]) =>
    ids.length
      ? sql`array[${sql.join(
          ids.map((id) => sql`${id}::uuid`),
          sql`, `,
        )}]`
      : sql`array[]::uuid[]`;
  return rows<AdvisorChange>(
    tx,
    sql`with ended as (
        update partner_relationships r set status = 'ended', ended_at = ${now.toISOString()}::timestamptz
        where r.org_id = ${orgId} and r.type = 'advisor' and r.status = 'active' and r.partner_org_id = any(${uuids(input.removed)})
          and not exists (select 1 from subscriptions s where s.org_id = ${orgId} and s.partner_org_id = r.partner_org_id)
        returning r.id, r.partner_org_id),
      started as (
        insert into partner_relationships (org_id, partner_org_id, type, started_at, authorized_by_user_id)
        select ${orgId}, p, 'advisor', ${now.toISOString()}::timestamptz, ${actor.id} from unnest(${uuids(input.added)}) p
        where not exists (select 1 from partner_relationships r where r.org_id = ${orgId} and r.partner_org_id = p and r.type = 'advisor' and r.status = 'active')
        on conflict (org_id, partner_org_id, type) where status = 'active' do nothing
        returning id, partner_org_id)
      select id, partner_org_id as "partnerOrgId", 'ended' as change from ended union all select id, partner_org_id, 'started' from started`,
  );
}

export const relationshipAudit = (orgId: string, actor: Pick<Auth['user'], 'id' | 'name'>, started: AdvisorChange[]): AuditEntry[] =>
  started.map((r) => ({
    orgId,
    partnerOrgId: r.partnerOrgId,
    actorUserId: actor.id,
    actorName: actor.name,
    action: `relationship.advisor.${r.change}`,
    targetType: 'partner_relationship',
    targetId: r.id,
  }));

/** One e-mail per partner that gained or lost subscriptions, listing them, in the partner's own language (mail/outbox.ts). */
function partnerMails(changes: AppliedChange[], org: string): LocalizedMail[] {
  type Product = Pick<AppliedChange, 'productId' | 'productName'>;
  const byPartner = new Map<string, { partner: PartnerRef; gained: Product[]; lost: Product[] }>();
  const entry = (p: PartnerRef) => byPartner.get(p.orgId) ?? byPartner.set(p.orgId, { partner: p, gained: [], lost: [] }).get(p.orgId)!;
  for (const c of changes) {
    if (c.from) entry(c.from).lost.push(c);
    if (c.to) entry(c.to).gained.push(c);
  }
  const mail = (partner: PartnerRef, kind: 'added' | 'removed', products: Product[]) =>
    localizedMail(
      partner.contactEmail,
      'en',
      (i) => {
        const names = products.map((p) => productName(i, p.productId, p.productName)).join(', ');
        return { subject: i.t(`subs.mail.${kind}.subject`, { org }), body: i.t(`subs.mail.${kind}.body`, { org, partner: partner.name, products: names }) };
      },
      { recipientOrgId: partner.orgId },
    );
  return [...byPartner.values()].flatMap(({ partner, gained, lost }) => [
    ...(gained.length ? [mail(partner, 'added', gained)] : []),
    ...(lost.length ? [mail(partner, 'removed', lost)] : []),
  ]);
}
