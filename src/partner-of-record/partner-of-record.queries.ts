/**
 * Changing the partner of record: read the subscriptions under their row locks, decide with the pure
 * rules, then write the change, its audit rows, the partners' e-mails and the advisor relationship in the
 * same transaction. Two admins at once are serialized by the locks; each sees the other's result.
 */
import { sql, type Placeholder, type SQL } from 'drizzle-orm';
import { isUuid } from '../http/cursor.ts';
import { productName } from '../catalog/text.ts';
import type { Auth } from '../context.ts';
import { auditInsert, auditJson, auditRowsFrom, type AuditEntry } from '../audit/audit.ts';
import { statement, statementPerShape, type Queryable, type Tx } from '../db/client.ts';
import { localizedMail, localizedMailInsertFrom, localizedMailJson, type LocalizedMail } from '../mail/outbox.ts';
import type { Partner, Subscription } from '../db/schema.ts';
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

/**
 * `id in ($1, $2, …)`, one placeholder per id, for a statement made once per number of `slots`: PostgreSQL
 * then plans it by the primary key, as it does literal lists (an array parameter's length is unknown to a
 * generic plan, which then also scans the organization's index: a big organization's whole list).
 */
const idsIn = (count: number) =>
  sql.join(
    Array.from({ length: count }, (_, i) => sql`${sql.placeholder(`id${i}`)}::uuid`),
    sql`, `,
  );
/** The number of placeholders for `n` ids: a power of two, so a crafted form with any number of ids makes a dozen statements at most. */
const slots = (n: number) => (n <= 1 ? n : 2 ** Math.ceil(Math.log2(n)));
/** The ids as `idsIn(slots(ids.length))` takes them, the spare slots null (`id in (…, null)` matches nothing more). */
const idValues = (ids: string[]) => Object.fromEntries(Array.from({ length: slots(ids.length) }, (_, i) => [`id${i}`, ids[i] ?? null]));
/** The uuid array of a comma-separated parameter (partner organizations: a handful per organization); empty text, empty array. */
const idList = (name: string) => sql`string_to_array(${sql.placeholder(name)}::text, ',')::uuid[]`;

type Located = LockedSubscription & { country: string; newPartner: PartnerRecord | null };

/** One statement, made once per number of id slots: locks the organization's subscriptions among `ids`, with what the rules need, and looks up `partnerId`. */
const lockedSubscriptions = statementPerShape(({ count }: { count: string }) =>
  statement<Located, Record<string, string | null>>(
    () => sql`with locked as materialized (
        select id, version, product_id, partner_org_id, quantity, status, billing_frequency, started_at, renews_at from subscriptions
        where org_id = ${sql.placeholder('orgId')} and id in (${idsIn(Number(count))}) order by id for update)
      select l.id, l.version, l.product_id as "productId", pr.name as "productName", l.partner_org_id as "partnerOrgId",
        l.quantity, l.status, l.billing_frequency as "billingFrequency", l.started_at as "startedAt", l.renews_at as "renewsAt",
        (select ${partnerJson('p')} from partners p where p.org_id = l.partner_org_id) as partner,
        ${heldByResellerSql(sql.placeholder('orgId'), sql`l.partner_org_id`)} as "heldByReseller",
        o.country,
        (select ${partnerJson('p')} from partners p where p.partner_id = ${sql.placeholder('partnerId')}) as "newPartner"
      from locked l join products pr on pr.id = l.product_id join organizations o on o.id = ${sql.placeholder('orgId')}`,
  ),
);

async function lockSubscriptions(tx: Queryable, orgId: string, list: string[], partnerId: string | null) {
  const found = await lockedSubscriptions({ count: String(slots(list.length)) })(tx, { orgId, partnerId, ...idValues(list) });
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
    // The rows are locked: each changed one leaves at its version + 1, and the UPDATE rides in the statement
    // that writes the audit rows and mails (recordPartnerChanges), one round trip for all of them.
    const byId = new Map(locked.subscriptions.map((s) => [s.id, s]));
    const changes = plan.changes.map(({ subscriptionId }): AppliedChange => {
      const s = byId.get(subscriptionId)!;
      return { subscriptionId, productId: s.productId, productName: s.productName, from: s.partner, to, version: s.version + 1 };
    });
    await recordPartnerChanges(tx, { orgId, orgName: input.orgName, actor: input.actor, now: input.now, changes, update: true });
    const changed = new Map(changes.map((c) => [c.subscriptionId, c]));
    const subscriptions = locked.subscriptions.map((s) => {
      const c = changed.get(s.id);
      return c ? { ...s, version: c.version, partnerOrgId: to?.orgId ?? null, partner: to, heldByReseller: false } : s;
    });
    return { ok: true, changes, subscriptions } as const;
  });
}

const auditedPartner = (p: PartnerRef | null) => (p ? { partnerOrgId: p.orgId, partnerId: p.partnerId, name: p.name } : null);

/**
 * Everything that follows a change of partner of record, in the caller's transaction, in two statements:
 * first the change itself when the caller asks (`update`: each change's subscription gets its `to`, one
 * partner for all; a purchase has written it already), one audit row per change, an e-mail to each old and new partner, and the
 * organization's partner-of-record lock; then the advisor relationships (active while the partner is
 * partner of record on at least one subscription) with an audit row for each one started or ended. The
 * lock is held to commit, so the fewer round trips after it, the shorter the queue of changes to one
 * organization: the two statements go in one round trip. Both are built once (rows and mails travel as
 * JSON parameters).
 */
export async function recordPartnerChanges(
  tx: Tx,
  input: {
    orgId: string;
    orgName: string;
    actor: Pick<Auth['user'], 'id' | 'name'>;
    now: Date;
    changes: AppliedChange[];
    extraAudit?: AuditEntry[];
    update?: boolean;
  },
): Promise<void> {
  const { orgId, actor, changes } = input;
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
  ];
  const ids = input.update ? changes.map((c) => c.subscriptionId) : [];
  // Sent together, one round trip (the driver pipelines a transaction's statements that are not awaited):
  // the server still runs the sync after the first statement has taken the lock, in its own snapshot.
  await Promise.all([
    recorded({ count: String(slots(ids.length)) })(tx, {
      orgId,
      to: changes[0]?.to?.orgId ?? null,
      audit: auditJson(auditEntries),
      mails: localizedMailJson(partnerMails(changes, input.orgName)),
      ...idValues(ids),
    }),
    syncAdvisorRelationships(tx, {
      orgId,
      actor,
      now: input.now,
      added: [...new Set(changes.flatMap((c) => (c.to ? [c.to.orgId] : [])))],
      removed: [...new Set(changes.flatMap((c) => (c.from ? [c.from.orgId] : [])))],
    }),
  ]);
}

/** The change (when there are ids: `count` slots of them), its audit rows, its mails and the lock: one statement made once per number of slots. */
const recorded = statementPerShape(({ count }: { count: string }) =>
  statement<unknown, Record<string, string | null>>(
    () => sql`with ${
      count !== '0'
        ? sql`written as (update subscriptions set partner_org_id = ${sql.placeholder('to')}::uuid, version = version + 1
      where org_id = ${sql.placeholder('orgId')} and id in (${idsIn(Number(count))})), `
        : sql``
    }audited as (${auditRowsFrom(sql.placeholder('audit'))}),
      mailed as (${localizedMailInsertFrom(sql.placeholder('mails'))})
    ${lockPartnersOfRecord(sql.placeholder('orgId'))}`,
  ),
);

/**
 * Two transactions changing different subscriptions of one organization each decide the advisor
 * relationship from what they see; under READ COMMITTED neither sees the other's uncommitted change, so
 * both could leave it active with no subscription left (or end it while the other gains one). A lock per
 * organization, held to commit, makes the second decide after the first committed (its next statement
 * sees that). Taken after the subscriptions' row locks, it waits only on transactions that hold none of ours.
 */
export const lockPartnersOfRecord = (orgId: string | Placeholder) =>
  sql`select pg_advisory_xact_lock(hashtextextended('partner-of-record:' || ${orgId}::text, 0))`;

/**
 * The advisor relationships follow the partner of record: one starts for a partner that gained a
 * subscription, and ends for one that no longer holds any. One statement, with their audit rows; run it
 * after `lockPartnersOfRecord`, in a later statement than the lock (whose snapshot sees the changes it waited for).
 */
export async function syncAdvisorRelationships(
  tx: Tx,
  input: { orgId: string; actor: Pick<Auth['user'], 'id' | 'name'>; now: Date; added: string[]; removed: string[] },
): Promise<void> {
  await advisorsSynced(tx, {
    orgId: input.orgId,
    actorId: input.actor.id,
    actorName: input.actor.name,
    now: input.now.toISOString(),
    added: input.added.join(','),
    removed: input.removed.join(','),
  });
}

const advisorsSynced = statement<unknown, { orgId: string; actorId: string; actorName: string; now: string; added: string; removed: string }>(() => {
  const [orgId, now] = [sql.placeholder('orgId'), sql.placeholder('now')];
  return sql`with ended as (
        update partner_relationships r set status = 'ended', ended_at = ${now}::timestamptz
        where r.org_id = ${orgId} and r.type = 'advisor' and r.status = 'active' and r.partner_org_id = any(${idList('removed')})
          and not exists (select 1 from subscriptions s where s.org_id = ${orgId} and s.partner_org_id = r.partner_org_id)
        returning r.id, r.partner_org_id),
      started as (
        insert into partner_relationships (org_id, partner_org_id, type, started_at, authorized_by_user_id)
        select ${orgId}, p, 'advisor', ${now}::timestamptz, ${sql.placeholder('actorId')} from unnest(${idList('added')}) p
        where not exists (select 1 from partner_relationships r where r.org_id = ${orgId} and r.partner_org_id = p and r.type = 'advisor' and r.status = 'active')
        on conflict (org_id, partner_org_id, type) where status = 'active' do nothing
        returning id, partner_org_id),
      changed as (select id, partner_org_id, 'relationship.advisor.ended' as action from ended
        union all select id, partner_org_id, 'relationship.advisor.started' from started)
      ${auditInsert(
        {
          orgId: sql`${orgId}`,
          partnerOrgId: sql`c.partner_org_id`,
          actorUserId: sql`${sql.placeholder('actorId')}`,
          actorName: sql`${sql.placeholder('actorName')}`,
          action: sql`c.action`,
          targetType: 'partner_relationship',
          targetId: sql`c.id::text`,
        },
        sql`changed c`,
      )}`;
});

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
