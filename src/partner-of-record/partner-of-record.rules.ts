/**
 * Pure decisions about partners of record: no database, no HTTP. Routes and queries translate to these
 * and back, so every rule and its message can be tested on its own.
 */

/** A Partner ID as typed: digits only, 1 to 12 of them (surrounding spaces forgiven). */
export function parsePartnerId(input: string): { ok: true; partnerId: string } | { ok: false; error: 'partnerIdFormat' } {
  const value = input.trim();
  return /^[0-9]{1,12}$/.test(value) ? { ok: true, partnerId: value } : { ok: false, error: 'partnerIdFormat' };
}

export interface PartnerProfile {
  orgId: string;
  partnerId: string;
  name: string;
  countries: string[];
  productIds: string[];
  capabilities: string[];
}

/** Why a partner may not be partner of record of a product in a country/region, or null when it may. */
export type Ineligibility = 'notAdvisor' | 'product' | 'country' | 'productAndCountry';

/**
 * "The partner you choose depends on the products you use and the country/region where you use them":
 * the partner must serve both, and be an advisor partner at all.
 */
export function eligibility(
  partner: Pick<PartnerProfile, 'countries' | 'productIds' | 'capabilities'>,
  productId: string,
  country: string,
): Ineligibility | null {
  if (!partner.capabilities.includes('advisor')) return 'notAdvisor';
  const product = partner.productIds.includes(productId);
  const serves = partner.countries.includes(country);
  if (!product && !serves) return 'productAndCountry';
  if (!product) return 'product';
  if (!serves) return 'country';
  return null;
}

/** The subscription as the change sees it, read under its row lock. */
export interface SubscriptionState {
  id: string;
  version: number;
  productId: string;
  /** The current partner of record, if any. */
  partnerOrgId: string | null;
  /** The current partner of record is also the organization's reseller: only the reseller can end it. */
  heldByReseller: boolean;
}

export type PartnerChange = { kind: 'add'; partner: PartnerProfile | null } | { kind: 'remove' };

export type ChangeRefusal =
  | { error: 'unknownPartner' }
  | { error: 'stale'; subscriptionId: string }
  | { error: 'resellerHeld'; subscriptionId: string }
  | { error: 'noPartner'; subscriptionId: string }
  | { error: 'ineligible'; reason: Ineligibility; subscriptionId: string };

export interface PlannedChange {
  subscriptionId: string;
  from: string | null;
  to: string | null;
}

/**
 * Decides a change of partner of record on one or several subscriptions, all or nothing: the first
 * refusal refuses the whole change. `expectedVersions` holds the versions a form showed (a stale form is
 * refused); a subscription without one is changed from whatever state it is in now. Subscriptions that
 * already have the asked-for partner are left as they are (no change, nothing to audit).
 */
export function planPartnerChange(
  subscriptions: SubscriptionState[],
  change: PartnerChange,
  country: string,
  expectedVersions: ReadonlyMap<string, number> = new Map(),
): { ok: true; changes: PlannedChange[] } | { ok: false; refusal: ChangeRefusal } {
  if (change.kind === 'add' && !change.partner) return { ok: false, refusal: { error: 'unknownPartner' } };
  const changes: PlannedChange[] = [];
  for (const s of subscriptions) {
    const expected = expectedVersions.get(s.id);
    if (expected !== undefined && expected !== s.version) return { ok: false, refusal: { error: 'stale', subscriptionId: s.id } };
    if (change.kind === 'remove') {
      if (!s.partnerOrgId) {
        if (subscriptions.length === 1) return { ok: false, refusal: { error: 'noPartner', subscriptionId: s.id } };
        continue;
      }
      if (!mayChangePartnerOfRecord(s, 'customer')) return { ok: false, refusal: { error: 'resellerHeld', subscriptionId: s.id } };
      changes.push({ subscriptionId: s.id, from: s.partnerOrgId, to: null });
      continue;
    }
    const partner = change.partner!;
    if (s.partnerOrgId === partner.orgId) continue;
    const reason = eligibility(partner, s.productId, country);
    if (reason) return { ok: false, refusal: { error: 'ineligible', reason, subscriptionId: s.id } };
    // A change is a removal and an addition: the reseller's partner of record cannot be replaced either.
    if (s.partnerOrgId && !mayChangePartnerOfRecord(s, 'customer')) return { ok: false, refusal: { error: 'resellerHeld', subscriptionId: s.id } };
    changes.push({ subscriptionId: s.id, from: s.partnerOrgId, to: partner.orgId });
  }
  return { ok: true, changes };
}

/**
 * The reseller rule, the one place it is decided: a partner of record that is also the organization's
 * active reseller can be changed or removed only by that reseller, from every entry point (subscription
 * details, bulk change, Partner relationships). Any other partner of record the customer's admins manage.
 */
export function mayChangePartnerOfRecord(s: Pick<SubscriptionState, 'heldByReseller'>, actor: 'customer' | 'reseller'): boolean {
  return !s.heldByReseller || actor === 'reseller';
}

/** Whether the Remove control is offered to the customer's admins for a subscription's partner of record. */
export function canRemovePartnerOfRecord(s: Pick<SubscriptionState, 'partnerOrgId' | 'heldByReseller'>): boolean {
  return !!s.partnerOrgId && mayChangePartnerOfRecord(s, 'customer');
}
