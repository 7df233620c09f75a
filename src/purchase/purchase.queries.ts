import { sql } from 'drizzle-orm';
import { currencyFor } from '../catalog/currencies.ts';
import { isUuid } from '../http/cursor.ts';
import { audit } from '../audit/audit.ts';
import type { Auth } from '../context.ts';
import { rows, type Queryable } from '../db/client.ts';
import { eligibility, type Ineligibility } from '../partner-of-record/partner-of-record.rules.ts';
import { partnerJson, recordPartnerChanges, type PartnerRecord } from '../partner-of-record/partner-of-record.queries.ts';
import { soldIn } from './purchase.rules.ts';
import { DAY } from '../time.ts';
import type { checkouts, Plan, Product } from '../db/schema.ts';

type Checkout = typeof checkouts.$inferSelect;

/** A plan with its products, each priced from the price list in the organization's currency. */
export type PlanWithProducts = Pick<Plan, 'id' | 'name' | 'description'> & {
  products: Pick<Product, 'id' | 'name' | 'description' | 'priceCents' | 'currency' | 'trialDays' | 'countries'>[];
};

/** Every plan, each with the products sold in `country` priced in its currency (from the price list), in one statement. */
export async function plansFor(db: Queryable, country: string, planId?: string): Promise<PlanWithProducts[]> {
  return rows<PlanWithProducts>(
    db,
    sql`select pl.id, pl.name, pl.description,
        coalesce((select json_agg(json_build_object('id', pr.id, 'name', pr.name, 'description', pr.description, 'priceCents', pp.price_cents,
          'currency', pp.currency, 'trialDays', pr.trial_days, 'countries', pr.countries) order by pr.sort)
          from products pr join product_prices pp on pp.product_id = pr.id and pp.currency = ${currencyFor(country)}
          where pr.plan_id = pl.id and ${country} = any(pr.countries)), '[]') as products
      from plans pl ${planId !== undefined ? sql`where pl.id = ${planId}` : sql``} order by pl.sort`,
  );
}

/**
 * Starts a checkout of a product for the organization at its price in the organization's currency (fixed
 * from here on), refused when the product is not sold in its country/region or has no price in that currency.
 */
export async function startCheckout(
  db: Queryable,
  auth: Auth,
  productId: string,
): Promise<{ ok: true; id: string } | { ok: false; error: 'unknown' | 'notSold' }> {
  const [r] = await rows<{ countries: string[] | null; id: string | null }>(
    db,
    sql`with pr as (select id, countries from products where id = ${productId}),
      ins as (insert into checkouts (org_id, user_id, product_id, currency, price_cents)
        select ${auth.org.id}, ${auth.user.id}, pr.id, pp.currency, pp.price_cents
        from pr join product_prices pp on pp.product_id = pr.id and pp.currency = ${currencyFor(auth.org.country)}
        where ${auth.org.country} = any(pr.countries) returning id)
      select (select countries from pr) as countries, (select id from ins) as id`,
  );
  if (!r.countries) return { ok: false, error: 'unknown' };
  if (!r.id) return { ok: false, error: 'notSold' };
  return { ok: true, id: r.id };
}

/** A checkout as the wizard shows it: its own columns, its product's, and its organization's country. */
export type CheckoutView = Pick<Checkout, 'id' | 'step' | 'quantity' | 'billingFrequency' | 'productId' | 'subscriptionId'> & {
  /** Fixed when the checkout started (older checkouts: the product's list price). */
  priceCents: number;
  currency: string;
  productName: string;
  productCountries: string[];
  country: string;
  partner: PartnerRecord | null;
  completedAt: Date | string | null;
};

const checkoutSelect = (orgId: string, id: string, lookup: string | null, lock: boolean) => sql`
  with ck as materialized (select * from checkouts where id = ${id}::uuid and org_id = ${orgId} ${lock ? sql`for update` : sql``})
  select ck.id, ck.step, ck.quantity, ck.billing_frequency as "billingFrequency", ck.product_id as "productId", pr.name as "productName",
    coalesce(ck.price_cents, pr.price_cents) as "priceCents", coalesce(ck.currency, pr.currency) as currency,
    pr.countries as "productCountries", o.country, ck.subscription_id as "subscriptionId", ck.completed_at as "completedAt",
    (select ${partnerJson('p')} from partners p where p.org_id = ck.partner_org_id) as partner,
    (select ${partnerJson('p')} from partners p where p.partner_id = ${lookup}) as lookup
  from ck join products pr on pr.id = ck.product_id join organizations o on o.id = ck.org_id`;

/** The checkout, and the partner its Partner ID field looked up. */
type Found = CheckoutView & { lookup: PartnerRecord | null };

/** The organization's checkout (null for another organization's), and the partner with Partner ID `lookup`. */
export async function findCheckout(db: Queryable, orgId: string, id: string, lookup: string | null = null) {
  if (!isUuid(id)) return null;
  const [r] = await rows<Found>(db, checkoutSelect(orgId, id, lookup, false));
  if (!r) return null;
  const { lookup: partner, ...checkout } = r;
  return { checkout, lookup: partner };
}

export async function saveLicenses(db: Queryable, orgId: string, id: string, quantity: number, billingFrequency: 'monthly' | 'yearly') {
  const r = await rows<{ id: string }>(
    db,
    sql`update checkouts set quantity = ${quantity}, billing_frequency = ${billingFrequency}, step = 2
      where id = ${id}::uuid and org_id = ${orgId} and completed_at is null returning id`,
  );
  return r.length === 1;
}

export type PartnerChoice =
  | { ok: true; checkout: CheckoutView; partner: PartnerRecord | null }
  | { ok: false; error: 'notFound' }
  | { ok: false; error: 'completed' }
  | { ok: false; error: 'unknownPartner' }
  | { ok: false; error: 'ineligible'; reason: Ineligibility; checkout: CheckoutView; partner: PartnerRecord };

/** Sets (or, with null, clears) the checkout's partner of record after checking it is eligible for the product and country/region. */
export async function choosePartner(db: Queryable, orgId: string, id: string, partnerId: string | null): Promise<PartnerChoice> {
  if (!isUuid(id)) return { ok: false, error: 'notFound' };
  return db.transaction(async (tx) => {
    const [r] = await rows<Found>(tx, checkoutSelect(orgId, id, partnerId, true));
    if (!r) return { ok: false, error: 'notFound' } as const;
    const { lookup: partner, ...checkout } = r;
    if (checkout.completedAt) return { ok: false, error: 'completed' } as const;
    if (partnerId !== null && !partner) return { ok: false, error: 'unknownPartner' } as const;
    const reason = partner ? eligibility(partner, checkout.productId, checkout.country) : null;
    if (partner && reason) return { ok: false, error: 'ineligible', reason, checkout, partner } as const;
    await tx.execute(
      sql`update checkouts set partner_org_id = ${partner?.orgId ?? null}, step = greatest(step, 2) where id = ${id}::uuid and org_id = ${orgId}`,
    );
    return { ok: true, checkout: { ...checkout, partner }, partner } as const;
  });
}

export type PlaceResult =
  | { ok: true; subscriptionId: string; placedNow: boolean }
  | { ok: false; error: 'notFound' }
  | { ok: false; error: 'notSold' }
  | { ok: false; error: 'ineligible'; reason: Ineligibility; checkout: CheckoutView };

/**
 * Buys exactly once: the checkout row is locked, and the subscription, the checkout's completion, the
 * audit rows and the partner's e-mail are written in one transaction. A second submit finds the checkout
 * completed and answers with the same subscription.
 */
export async function placeOrder(db: Queryable, auth: Auth, id: string, now: Date): Promise<PlaceResult> {
  if (!isUuid(id)) return { ok: false, error: 'notFound' };
  return db.transaction(async (tx) => {
    const [r] = await rows<Found>(tx, checkoutSelect(auth.org.id, id, null, true));
    if (!r) return { ok: false, error: 'notFound' } as const;
    const { lookup: _, ...checkout } = r;
    if (checkout.subscriptionId) return { ok: true, subscriptionId: checkout.subscriptionId, placedNow: false } as const;
    if (!soldIn({ countries: checkout.productCountries }, checkout.country)) return { ok: false, error: 'notSold' } as const;
    const partner = r.partner;
    const reason = partner ? eligibility(partner, checkout.productId, checkout.country) : null;
    if (reason) return { ok: false, error: 'ineligible', reason, checkout } as const;
    const renewsAt = new Date(now.getTime() + (checkout.billingFrequency === 'yearly' ? 365 : 30) * DAY);
    const [sub] = await rows<{ id: string }>(
      tx,
      sql`with s as (
          insert into subscriptions (org_id, product_id, quantity, status, billing_frequency, started_at, renews_at, partner_org_id, created_at, currency, price_cents)
          values (${auth.org.id}, ${checkout.productId}, ${checkout.quantity}, 'active', ${checkout.billingFrequency}, ${now.toISOString()}::timestamptz, ${renewsAt.toISOString()}::timestamptz, ${partner?.orgId ?? null}, ${now.toISOString()}::timestamptz,
            ${checkout.currency}, ${checkout.priceCents})
          returning id),
        c as (update checkouts set subscription_id = (select id from s), completed_at = ${now.toISOString()}::timestamptz, step = 3 where id = ${id}::uuid returning id)
        select s.id from s, c`,
    );
    const purchase = {
      orgId: auth.org.id,
      actorUserId: auth.user.id,
      actorName: auth.user.name,
      action: 'subscription.purchased',
      targetType: 'subscription',
      targetId: sub.id,
      after: {
        productId: checkout.productId,
        quantity: checkout.quantity,
        billingFrequency: checkout.billingFrequency,
        checkoutId: id,
        currency: checkout.currency,
        priceCents: checkout.priceCents,
      },
    };
    if (partner) {
      await recordPartnerChanges(tx, {
        orgId: auth.org.id,
        orgName: auth.org.name,
        actor: auth.user,
        now,
        changes: [{ subscriptionId: sub.id, productId: checkout.productId, productName: checkout.productName, from: null, to: partner, version: 1 }],
        extraAudit: [purchase],
      });
    } else {
      await audit(tx, purchase);
    }
    return { ok: true, subscriptionId: sub.id, placedNow: true } as const;
  });
}
