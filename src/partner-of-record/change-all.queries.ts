/**
 * "Select all N subscriptions": the partner of record of the organization's whole list changed in one
 * all-or-nothing transaction, set-based so 100,000 subscriptions take one UPDATE, one INSERT … SELECT of
 * audit rows and one e-mail per affected partner. The pure plan runs on the list's distinct
 * (product, partner) groups, so every rule is the same one a single change follows.
 */
import { sql, type Placeholder, type SQL } from 'drizzle-orm';
import { auditInsert } from '../audit/audit.ts';
import type { Auth } from '../context.ts';
import { rows, type Queryable } from '../db/client.ts';
import { enqueueLocalizedMail, localizedMail, type LocalizedMail } from '../mail/outbox.ts';
import { lockPartnersOfRecord, partnerJson, syncAdvisorRelationships, type PartnerRecord } from './partner-of-record.queries.ts';
import { planPartnerChange, type ChangeRefusal } from './partner-of-record.rules.ts';

/** Active resellers of the organization: their subscriptions are theirs to change (the reseller rule). */
const resellers = (orgId: string | SQL | Placeholder) =>
  sql`(select partner_org_id from partner_relationships where org_id = ${orgId} and type = 'reseller' and status = 'active')`;
/** Subscriptions a customer's select-all reaches: every one but those whose partner of record is the reseller. */
const reachable = (orgId: string | SQL | Placeholder, s: SQL) => sql`(${s}.partner_org_id is null or ${s}.partner_org_id not in ${resellers(orgId)})`;

/**
 * What the list form carries so a change meets the list its admin saw: how many subscriptions there are
 * and how many changes they have seen (every change and every purchase moves it), and what select-all
 * reaches. Read from the organization's few tally rows (one per partner of record, kept by triggers:
 * drizzle/0005), so it costs the same on a list of 20 subscriptions or of 100,000.
 */
export const listSummarySql = (orgId: string | SQL | Placeholder) =>
  sql`(select json_build_object('version', coalesce(sum(t.n), 0)::text || '.' || coalesce(sum(t.changes), 0)::text,
      'selectable', coalesce(sum(t.n) filter (where ${reachable(orgId, sql`t`)}), 0))
    from subscription_tallies t where t.org_id = ${orgId})`;

export interface ListSummary {
  version: string;
  selectable: number;
}

interface Group {
  id: string;
  productId: string;
  productName: string;
  partnerOrgId: string | null;
  partner: PartnerRecord | null;
  n: number;
}

export type ChangeAllResult =
  { ok: true; changed: number } | { ok: false; refusal: ChangeRefusal | { error: 'listChanged' }; partner?: string; product?: string; country: string };

export async function changeAllPartnersOfRecord(
  db: Queryable,
  orgId: string,
  input: { change: { kind: 'add'; partnerId: string } | { kind: 'remove' }; listVersion: string; actor: Auth['user']; orgName: string; now: Date },
): Promise<ChangeAllResult> {
  return db.transaction(async (tx) => {
    // Two select-alls of one organization run one after the other; the second then sees the first's result.
    // The whole list is one all-or-nothing change, so its statements may outlast the 10 s every other
    // statement gets (src/db/client.ts): 2 minutes, for this transaction only.
    await tx.execute(sql`select set_config('statement_timeout', '120s', true) from organizations where id = ${orgId} for update`);
    const partnerId = input.change.kind === 'add' ? input.change.partnerId : null;
    const [state] = await rows<{ country: string; newPartner: PartnerRecord | null; summary: ListSummary; groups: Group[] }>(
      tx,
      sql`select o.country, (select ${partnerJson('p')} from partners p where p.partner_id = ${partnerId}) as "newPartner",
          ${listSummarySql(orgId)} as summary,
          coalesce((select json_agg(g) from (
            select min(s.id::text) as id, s.product_id as "productId", min(pr.name) as "productName", s.partner_org_id as "partnerOrgId",
              (select ${partnerJson('p')} from partners p where p.org_id = s.partner_org_id) as partner, count(*)::int as n
            from subscriptions s join products pr on pr.id = s.product_id
            where s.org_id = ${orgId} and ${reachable(orgId, sql`s`)} group by s.product_id, s.partner_org_id) g), '[]') as groups
        from organizations o where o.id = ${orgId}`,
    );
    const country = state.country;
    if (state.summary.version !== input.listVersion) return { ok: false, refusal: { error: 'listChanged' }, country } as const;
    const to = state.newPartner;
    const groups = state.groups.map((g) => ({ ...g, version: 0, heldByReseller: false })).filter((g) => input.change.kind === 'add' || g.partnerOrgId);
    const plan = planPartnerChange(groups, input.change.kind === 'add' ? { kind: 'add', partner: to } : { kind: 'remove' }, country);
    if (!plan.ok) {
      const g = 'subscriptionId' in plan.refusal ? groups.find((x) => x.id === (plan.refusal as { subscriptionId: string }).subscriptionId) : undefined;
      return { ok: false, refusal: plan.refusal, partner: to?.name, product: g?.productName, productId: g?.productId, country } as const;
    }
    const lost = await rows<{ partner: PartnerRecord | null; n: number }>(tx, updateAll(orgId, to, input));
    const changed = lost.reduce((sum, l) => sum + l.n, 0);
    if (changed === 0) return { ok: true, changed } as const;
    const removed = lost.flatMap((l) => (l.partner ? [l.partner.orgId] : []));
    // One round trip for the three (pipelined); the sync still runs after the lock, in its own snapshot.
    await Promise.all([
      tx.execute(lockPartnersOfRecord(orgId)),
      syncAdvisorRelationships(tx, { orgId, actor: input.actor, now: input.now, added: to ? [to.orgId] : [], removed }),
      enqueueLocalizedMail(tx, ...summaryMails(input.orgName, to, changed, lost)),
    ]);
    return { ok: true, changed } as const;
  });
}

/** The one UPDATE, its audit rows as one INSERT … SELECT, and how many each former partner lost. */
function updateAll(orgId: string, to: PartnerRecord | null, input: { actor: Auth['user'] }): SQL {
  const toId = to?.orgId ?? null;
  const which = to ? sql`o.partner_org_id is distinct from ${toId}::uuid` : sql`o.partner_org_id is not null`;
  const toJson = to ? sql`json_build_object('partnerOrgId', ${to.orgId}::uuid, 'partnerId', ${to.partnerId}::text, 'name', ${to.name}::text)` : sql`null::json`;
  const action = sql`case when c.old is null then 'subscription.partner_of_record.added' when ${toId}::uuid is null then 'subscription.partner_of_record.removed'
    else 'subscription.partner_of_record.changed' end`;
  return sql`with changed as (
      update subscriptions s set partner_org_id = ${toId}::uuid, version = s.version + 1
      from subscriptions o
      where o.id = s.id and o.org_id = ${orgId} and ${which} and ${reachable(orgId, sql`o`)}
      returning s.id, s.version, o.partner_org_id as old),
    audited as (${auditInsert(
      {
        orgId: orgId,
        partnerOrgId: sql`coalesce(${toId}::uuid, c.old)`,
        actorUserId: input.actor.id,
        actorName: input.actor.name,
        action,
        targetType: 'subscription',
        targetId: sql`c.id::text`,
        before: sql`json_build_object('partner', case when p.org_id is null then null else json_build_object('partnerOrgId', p.org_id, 'partnerId', p.partner_id, 'name', p.name) end,
          'version', c.version - 1)`,
        after: sql`json_build_object('partner', ${toJson}, 'version', c.version)`,
      },
      sql`changed c left join partners p on p.org_id = c.old`,
    )})
    select (select ${partnerJson('p')} from partners p where p.org_id = c.old) as partner, count(*)::int as n from changed c group by c.old`;
}

/** One e-mail per affected partner, with the count instead of a list that could run to 100,000 lines. */
/** Each in the partner's own language (mail/outbox.ts), like the mails of a change to a few subscriptions. */
function summaryMails(org: string, to: PartnerRecord | null, changed: number, lost: { partner: PartnerRecord | null; n: number }[]): LocalizedMail[] {
  const mails: LocalizedMail[] = lost.flatMap(({ partner, n }) =>
    partner
      ? [
          localizedMail(
            partner.contactEmail,
            'en',
            ({ t }) => ({ subject: t('subs.mail.removed.subject', { org }), body: t('subs.mail.bulkRemoved.body', { org, partner: partner.name, count: n }) }),
            { recipientOrgId: partner.orgId },
          ),
        ]
      : [],
  );
  if (to)
    mails.push(
      localizedMail(
        to.contactEmail,
        'en',
        ({ t }) => ({ subject: t('subs.mail.added.subject', { org }), body: t('subs.mail.bulkAdded.body', { org, partner: to.name, count: changed }) }),
        { recipientOrgId: to.orgId },
      ),
    );
  return mails;
}
