/**
 * Changing the partner of record: read the subscriptions under their row locks, decide with the pure
 * rules, then write the change, its audit rows, the partners' e-mails and the advisor relationship in the
 * same transaction. Two admins at once are serialized by the locks; each sees the other's result.
 */
import { sql } from 'drizzle-orm';
import { isUuid } from '../http/cursor.ts';
import type { Auth } from '../context.ts';
import { writeAudit, type AuditEntry } from '../audit/audit.ts';
import { rows, type Queryable, type Tx } from '../db/client.ts';
import { i18n } from '../i18n/index.ts';
import { enqueueMail, type Mail } from '../mail/outbox.ts';
import { planPartnerChange, type ChangeRefusal, type PartnerProfile, type PartnerChange } from '../partners/partner.rules.ts';

export interface PartnerRef {
  orgId: string;
  partnerId: string;
  name: string;
  contactEmail: string;
}

export interface LockedSubscription {
  id: string;
  version: number;
  productId: string;
  productName: string;
  partnerOrgId: string | null;
  partner: PartnerRef | null;
  heldByReseller: boolean;
}


type PartnerRow = { org_id: string; partner_id: string; name: string; countries: string[]; product_ids: string[]; capabilities: string[]; contact_email: string };
export const toProfile = (p: PartnerRow): PartnerProfile & PartnerRef => ({
  orgId: p.org_id,
  partnerId: p.partner_id,
  name: p.name,
  countries: p.countries,
  productIds: p.product_ids,
  capabilities: p.capabilities,
  contactEmail: p.contact_email,
});

/** One statement: locks the organization's subscriptions among `ids`, with what the rules need, and looks up `partnerId`. */
async function lockSubscriptions(tx: Queryable, orgId: string, ids: string[], partnerId: string | null) {
  const list = sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);
  const found = await rows<{
    id: string;
    version: number;
    product_id: string;
    product_name: string;
    partner_org_id: string | null;
    partner: PartnerRow | null;
    held_by_reseller: boolean;
    country: string;
    new_partner: PartnerRow | null;
  }>(
    tx,
    sql`with locked as materialized (
        select id, version, product_id, partner_org_id from subscriptions
        where org_id = ${orgId} and id in (${list}) order by id for update)
      select l.id, l.version, l.product_id, pr.name as product_name, l.partner_org_id,
        (select row_to_json(p) from partners p where p.org_id = l.partner_org_id) as partner,
        exists (select 1 from partner_relationships r where r.org_id = ${orgId} and r.partner_org_id = l.partner_org_id
          and r.type = 'reseller' and r.status = 'active') as held_by_reseller,
        o.country,
        (select row_to_json(p) from partners p where p.partner_id = ${partnerId}) as new_partner
      from locked l join products pr on pr.id = l.product_id join organizations o on o.id = ${orgId}`,
  );
  return {
    country: found[0]?.country ?? '',
    newPartner: found[0]?.new_partner ? toProfile(found[0].new_partner) : null,
    subscriptions: found.map(
      (r): LockedSubscription => ({
        id: r.id,
        version: r.version,
        productId: r.product_id,
        productName: r.product_name,
        partnerOrgId: r.partner_org_id,
        partner: r.partner ? toProfile(r.partner) : null,
        heldByReseller: r.held_by_reseller,
      }),
    ),
  };
}

export interface AppliedChange {
  subscriptionId: string;
  productName: string;
  from: PartnerRef | null;
  to: PartnerRef | null;
  version: number;
}

export type ChangeResult =
  | { ok: true; changes: AppliedChange[]; subscriptions: LockedSubscription[] }
  | { ok: false; notFound: true }
  | { ok: false; notFound?: false; refusal: ChangeRefusal; subscriptions: LockedSubscription[]; partner: PartnerRef | null; country: string };

/**
 * Adds (or changes to) the partner with `partnerId`, or removes the partner of record, on the
 * organization's subscriptions `ids`, all or nothing. A refusal rolls back and leaves the database as it was.
 */
export async function changePartnerOfRecord(
  db: Queryable,
  orgId: string,
  input: { ids: string[]; change: { kind: 'add'; partnerId: string } | { kind: 'remove' }; versions?: Map<string, number>; actor: Auth['user']; orgName: string; now: Date },
): Promise<ChangeResult> {
  const ids = [...new Set(input.ids)];
  if (ids.length === 0 || !ids.every(isUuid)) return { ok: false, notFound: true };
  return db.transaction(async (tx) => {
    const locked = await lockSubscriptions(tx, orgId, ids, input.change.kind === 'add' ? input.change.partnerId : null);
    if (locked.subscriptions.length !== ids.length) return { ok: false, notFound: true } as const;
    const change: PartnerChange = input.change.kind === 'add' ? { kind: 'add', partner: locked.newPartner } : { kind: 'remove' };
    const plan = planPartnerChange(locked.subscriptions, change, locked.country, input.versions);
    if (!plan.ok) return { ok: false, refusal: plan.refusal, subscriptions: locked.subscriptions, partner: locked.newPartner, country: locked.country } as const;
    if (plan.changes.length === 0) return { ok: true, changes: [], subscriptions: locked.subscriptions } as const;
    const to = input.change.kind === 'add' ? locked.newPartner : null;
    const changedIds = plan.changes.map((c) => c.subscriptionId);
    const updated = await rows<{ id: string; version: number }>(
      tx,
      sql`update subscriptions set partner_org_id = ${to?.orgId ?? null}, version = version + 1
        where org_id = ${orgId} and id in (${sql.join(changedIds.map((id) => sql`${id}::uuid`), sql`, `)}) returning id, version`,
    );
    const byId = new Map(locked.subscriptions.map((s) => [s.id, s]));
    const changes = updated.map((u): AppliedChange => {
      const s = byId.get(u.id)!;
      return { subscriptionId: u.id, productName: s.productName, from: s.partner, to, version: u.version };
    });
    await recordPartnerChanges(tx, { orgId, orgName: input.orgName, actor: input.actor, now: input.now, changes });
    const subscriptions = locked.subscriptions.map((s) => {
      const u = updated.find((x) => x.id === s.id);
      return u ? { ...s, version: u.version, partnerOrgId: to?.orgId ?? null, partner: to, heldByReseller: false } : s;
    });
    return { ok: true, changes, subscriptions } as const;
  });
}

const partnerJson = (p: PartnerRef | null) => (p ? { partnerOrgId: p.orgId, partnerId: p.partnerId, name: p.name } : null);

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
  const uuids = (ids: string[]) => (ids.length ? sql`array[${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)}]` : sql`array[]::uuid[]`);
  // Two transactions changing different subscriptions of one organization each decide the advisor
  // relationship from what they see; under READ COMMITTED neither sees the other's uncommitted change, so
  // both could leave it active with no subscription left (or end it while the other gains one). A lock per
  // organization, held to commit, makes the second decide after the first committed (its next statement
  // sees that). Taken after the subscriptions' row locks, it waits only on transactions that hold none of ours.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`partner-of-record:${orgId}`}, 0))`);
  const relationships = await rows<{ partner_org_id: string; change: 'started' | 'ended'; id: string }>(
    tx,
    sql`with ended as (
        update partner_relationships r set status = 'ended', ended_at = ${now.toISOString()}::timestamptz
        where r.org_id = ${orgId} and r.type = 'advisor' and r.status = 'active' and r.partner_org_id = any(${uuids(removed)})
          and not exists (select 1 from subscriptions s where s.org_id = ${orgId} and s.partner_org_id = r.partner_org_id)
        returning r.id, r.partner_org_id),
      started as (
        insert into partner_relationships (org_id, partner_org_id, type, started_at, authorized_by_user_id)
        select ${orgId}, p, 'advisor', ${now.toISOString()}::timestamptz, ${actor.id} from unnest(${uuids(added)}) p
        where not exists (select 1 from partner_relationships r where r.org_id = ${orgId} and r.partner_org_id = p and r.type = 'advisor' and r.status = 'active')
        on conflict (org_id, partner_org_id, type) where status = 'active' do nothing
        returning id, partner_org_id)
      select id, partner_org_id, 'ended' as change from ended union all select id, partner_org_id, 'started' from started`,
  );
  const audit: AuditEntry[] = [
    ...(input.extraAudit ?? []),
    ...changes.map((c) => ({
      orgId,
      partnerOrgId: (c.to ?? c.from)?.orgId ?? null,
      actorUserId: actor.id,
      actorName: actor.name,
      action: `subscription.partner_of_record.${!c.from ? 'added' : !c.to ? 'removed' : 'changed'}`,
      targetType: 'subscription',
      targetId: c.subscriptionId,
      before: { partner: partnerJson(c.from), version: c.version - 1 },
      after: { partner: partnerJson(c.to), version: c.version },
    })),
    ...relationships.map((r) => ({
      orgId,
      partnerOrgId: r.partner_org_id,
      actorUserId: actor.id,
      actorName: actor.name,
      action: `relationship.advisor.${r.change}`,
      targetType: 'partner_relationship',
      targetId: r.id,
    })),
  ];
  await writeAudit(tx, ...audit);
  await enqueueMail(tx, ...partnerMails(changes, input.orgName));
}

/** One e-mail per partner that gained or lost subscriptions, listing them. Partners read English mail. */
function partnerMails(changes: AppliedChange[], org: string): Mail[] {
  const { t } = i18n('en');
  const byPartner = new Map<string, { partner: PartnerRef; gained: string[]; lost: string[] }>();
  const entry = (p: PartnerRef) => byPartner.get(p.orgId) ?? byPartner.set(p.orgId, { partner: p, gained: [], lost: [] }).get(p.orgId)!;
  for (const c of changes) {
    if (c.from) entry(c.from).lost.push(c.productName);
    if (c.to) entry(c.to).gained.push(c.productName);
  }
  return [...byPartner.values()].flatMap(({ partner, gained, lost }) => [
    ...(gained.length
      ? [{ to: partner.contactEmail, subject: t('subs.mail.added.subject', { org }), body: t('subs.mail.added.body', { org, partner: partner.name, products: gained.join(', ') }) }]
      : []),
    ...(lost.length
      ? [{ to: partner.contactEmail, subject: t('subs.mail.removed.subject', { org }), body: t('subs.mail.removed.body', { org, partner: partner.name, products: lost.join(', ') }) }]
      : []),
  ]);
}
