/** Accepting an authorization link: the relationships, the offer's subscription, audit rows and both sides' mails, in one statement. */
import { sql } from 'drizzle-orm';
import { auditInsertEach } from '../audit/audit.ts';
import { currencyFor } from '../catalog/currencies.ts';
import { rows, type Queryable } from '../db/client.ts';
import type { PartnerRelationship, Subscription } from '../db/schema.ts';
import { localizedMailInsert, type LocalizedMail } from '../mail/outbox.ts';

export interface Acceptance {
  linkId: string;
  partnerOrgId: string;
  orgId: string;
  orgCountry: string;
  user: { id: string; name: string; email: string };
  grantDelegatedAdmin: boolean;
  takeOffer: boolean;
  mails: LocalizedMail[];
  now: Date;
}

/** What accepting wrote (JSON from the database: the end date is text). */
export interface Accepted {
  relationships: (Pick<PartnerRelationship, 'id' | 'roles'> & { type: 'delegated_admin' | 'reseller'; endsAt: string | null })[];
  subscription: (Pick<Subscription, 'id' | 'productId' | 'quantity'> & { status: 'trial' | 'active' }) | null;
}

/**
 * Accepts a link once: the conditional UPDATE … RETURNING lets exactly one request through (a double
 * click or a second tab finds it accepted and writes nothing). The relationships, the offered
 * subscription, the audit rows and both e-mails hang off that row, all in one statement.
 * Returns null when the link was no longer open.
 */
export async function acceptLink(db: Queryable, a: Acceptance): Promise<Accepted | null> {
  const by = { orgId: a.orgId, partnerOrgId: a.partnerOrgId, actorUserId: a.user.id, actorName: a.user.name };
  const at = sql`${a.now.toISOString()}::timestamptz`;
  const [row] = await rows<{ accepted: boolean; relationships: Accepted['relationships'] | null; subscription: Accepted['subscription'] }>(
    db,
    sql`with inv as (
        update invitations set accepted_at = ${at}, accepted_org_id = ${a.orgId}
        where id = ${a.linkId} and accepted_at is null and revoked_at is null and expires_at > ${at} and lower(email) = lower(${a.user.email})
        returning id, partner_org_id, offers_delegated_admin, roles, eligible, duration_days, offers_reseller, offer_kind, offer_product_id, offer_quantity),
      rel as (
        insert into partner_relationships as r (org_id, partner_org_id, type, roles, eligible, started_at, ends_at, authorized_by_user_id, invitation_id)
        select ${a.orgId}::uuid, inv.partner_org_id, 'delegated_admin'::relationship_type, inv.roles, inv.eligible, ${at}, ${at} + make_interval(days => inv.duration_days), ${a.user.id}::uuid, inv.id
          from inv where inv.offers_delegated_admin and ${a.grantDelegatedAdmin}
        union all
        select ${a.orgId}::uuid, inv.partner_org_id, 'reseller'::relationship_type, '{}'::text[], '{}'::jsonb, ${at}, null::timestamptz, ${a.user.id}::uuid, inv.id
          from inv where inv.offers_reseller
        on conflict (org_id, partner_org_id, type) where status = 'active'
        do update set roles = excluded.roles, eligible = excluded.eligible, ends_at = excluded.ends_at, authorized_by_user_id = excluded.authorized_by_user_id, invitation_id = excluded.invitation_id
        returning id, type, roles, ends_at),
      sub as (
        insert into subscriptions (org_id, product_id, quantity, status, started_at, renews_at, currency, price_cents)
        select ${a.orgId}::uuid, inv.offer_product_id, inv.offer_quantity,
          (case when inv.offer_kind = 'trial' then 'trial' else 'active' end)::subscription_status, ${at},
          case when inv.offer_kind = 'trial' then ${at} + make_interval(days => p.trial_days) else ${at} + interval '1 month' end,
          pp.currency, pp.price_cents
        from inv join products p on p.id = inv.offer_product_id
          left join product_prices pp on pp.product_id = p.id and pp.currency = ${currencyFor(a.orgCountry)}
        where ${a.takeOffer} and ${a.orgCountry} = any(p.countries) and (inv.offer_kind = 'purchase' or p.trial_days is not null)
        returning id, product_id, status, quantity),
      audited as (${auditInsertEach(
        [
          {
            ...by,
            partnerOrgId: sql`inv.partner_org_id`,
            action: 'invitation.accepted',
            targetType: 'invitation',
            targetId: sql`inv.id::text`,
            after: sql`json_build_object('delegatedAdmin', ${a.grantDelegatedAdmin}::boolean, 'reseller', inv.offers_reseller)`,
          },
          sql`inv`,
        ],
        [
          {
            ...by,
            action: 'partner_relationship.authorized',
            targetType: 'partner_relationship',
            targetId: sql`rel.id::text`,
            after: sql`json_build_object('type', rel.type, 'roles', rel.roles, 'endsAt', rel.ends_at)`,
          },
          sql`rel`,
        ],
        [
          {
            ...by,
            action: 'subscription.created',
            targetType: 'subscription',
            targetId: sql`sub.id::text`,
            after: sql`json_build_object('productId', sub.product_id, 'status', sub.status, 'quantity', sub.quantity)`,
          },
          sql`sub`,
        ],
      )}),
      mailed as (${localizedMailInsert(a.mails, sql`exists (select 1 from inv)`)})
      select exists (select 1 from inv) as accepted,
        (select json_agg(json_build_object('id', id, 'type', type, 'roles', roles, 'endsAt', ends_at)) from rel) as relationships,
        (select json_build_object('id', id, 'productId', product_id, 'status', status, 'quantity', quantity) from sub) as subscription`,
  );
  if (!row.accepted) return null;
  return { relationships: row.relationships ?? [], subscription: row.subscription ?? null };
}
