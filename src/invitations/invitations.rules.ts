/** Pure decisions about authorization links: their state, what a create form may offer, what may be accepted. */
import { z } from 'zod';
import type { MessageKey } from '../i18n/index.ts';
import { permissions } from '../authorization/roles.rules.ts';

/** The roles a link may ask for: the narrower admin roles and "Admin roles" (src/authorization/roles.rules.ts). */
export const adminRoles = permissions;
export type AdminRole = (typeof adminRoles)[number];
export const DEFAULT_LINK_DAYS = 30;
export const DEFAULT_DURATION_DAYS = 180;
export const MAX_DURATION_DAYS = 730;
export const MAX_LINK_DAYS = 90;
export const MAX_QUANTITY = 10_000;

export type LinkState = 'sent' | 'accepted' | 'expired' | 'revoked';

export function linkState(link: { acceptedAt: Date | string | null; revokedAt: Date | string | null; expiresAt: Date | string }, now: Date): LinkState {
  if (link.acceptedAt) return 'accepted';
  if (link.revokedAt) return 'revoked';
  return new Date(link.expiresAt).getTime() <= now.getTime() ? 'expired' : 'sent';
}

/** The create form as typed: every field a string, so a mistake comes back with the form. */
export const createLinkForm = z.object({
  offerDelegatedAdmin: z.string().optional(),
  roles: z.union([z.string(), z.array(z.string())]).optional(),
  /** Per role: '' standing, '1'–'8' eligible with that many hours at most (issue 24). */
  ...Object.fromEntries(permissions.map((p) => [`hours_${p}`, z.string().max(4).optional()])),
  durationDays: z.string().trim().default(String(DEFAULT_DURATION_DAYS)),
  offerReseller: z.string().optional(),
  offerKind: z.enum(['', 'trial', 'purchase']).default(''),
  productId: z.string().default(''),
  quantity: z.string().trim().default('1'),
  terms: z.string().trim().default(''),
  email: z.string().trim().default(''),
  /** The language of the e-mail when the address has no account yet (an account's own language wins). */
  mailLocale: z.string().default(''),
  validDays: z.string().trim().default(String(DEFAULT_LINK_DAYS)),
});
export type CreateLinkInput = z.infer<typeof createLinkForm>;

export interface NewLink {
  email: string;
  offersDelegatedAdmin: boolean;
  /** Standing roles; `eligible`: role → the longest activation in hours. */
  roles: AdminRole[];
  eligible: Partial<Record<AdminRole, number>>;
  durationDays: number | null;
  offersReseller: boolean;
  offerKind: 'trial' | 'purchase' | null;
  offerProductId: string | null;
  offerQuantity: number | null;
  terms: string;
  validDays: number;
}

export interface OfferableProduct {
  id: string;
  trialDays: number | null;
}

function wholeNumber(value: string, min: number, max: number): number | null {
  if (!/^\d{1,7}$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

/** Checks a create form against the partner's capabilities and the catalog: the link, or messages by field. */
export function checkNewLink(
  input: CreateLinkInput,
  partner: { capabilities: string[] },
  products: OfferableProduct[],
): { link: NewLink; errors: null } | { link: null; errors: Partial<Record<string, MessageKey>> } {
  const errors: Partial<Record<string, MessageKey>> = {};
  const offersDelegatedAdmin = input.offerDelegatedAdmin === 'yes';
  const offersReseller = input.offerReseller === 'yes';
  const chosen = adminRoles.filter((r) => [input.roles ?? []].flat().includes(r));
  const hoursOf = (r: AdminRole) => {
    const v = (input as Record<string, unknown>)[`hours_${r}`];
    return typeof v === 'string' && /^[1-8]$/.test(v) ? Number(v) : null;
  };
  const roles = chosen.filter((r) => hoursOf(r) === null);
  const eligible = Object.fromEntries(chosen.filter((r) => hoursOf(r) !== null).map((r) => [r, hoursOf(r)!])) as Partial<Record<AdminRole, number>>;
  if (!offersDelegatedAdmin && !offersReseller) errors.offer = 'links.error.offer';
  if (offersDelegatedAdmin && !partner.capabilities.includes('delegated_admin')) errors.offer = 'links.error.noDelegatedAdmin';
  if (offersReseller && !partner.capabilities.includes('reseller')) errors.offer = 'links.error.noReseller';
  const durationDays = offersDelegatedAdmin ? wholeNumber(input.durationDays, 1, MAX_DURATION_DAYS) : null;
  if (offersDelegatedAdmin && chosen.length === 0) errors.roles = 'links.error.roles';
  if (offersDelegatedAdmin && durationDays === null) errors.durationDays = 'links.error.duration';
  const offerKind = input.offerKind || null;
  const product = offerKind ? products.find((p) => p.id === input.productId) : undefined;
  const offerQuantity = offerKind ? wholeNumber(input.quantity, 1, MAX_QUANTITY) : null;
  if (offerKind && !product) errors.productId = 'links.error.product';
  if (offerKind === 'trial' && product && !product.trialDays) errors.productId = 'links.error.noTrial';
  if (offerKind && offerQuantity === null) errors.quantity = 'links.error.quantity';
  if (input.terms.length < 1 || input.terms.length > 4000) errors.terms = 'links.error.terms';
  if (!z.email().safeParse(input.email).success || input.email.length > 254) errors.email = 'links.error.email';
  const validDays = wholeNumber(input.validDays, 1, MAX_LINK_DAYS);
  if (validDays === null) errors.validDays = 'links.error.validDays';
  if (Object.keys(errors).length > 0) return { link: null, errors };
  return {
    errors: null,
    link: {
      email: input.email.toLowerCase(),
      offersDelegatedAdmin,
      roles: offersDelegatedAdmin ? roles : [],
      eligible: offersDelegatedAdmin ? eligible : {},
      durationDays,
      offersReseller,
      offerKind,
      offerProductId: product?.id ?? null,
      offerQuantity,
      terms: input.terms,
      validDays: validDays!,
    },
  };
}

/** Why a link cannot be redeemed, or null when it can. Checked before the caller's account. */
export function redemptionProblem(
  link: { acceptedAt: Date | string | null; revokedAt: Date | string | null; expiresAt: Date | string } | null,
  now: Date,
): 'unknown' | 'used' | 'revoked' | 'expired' | null {
  if (!link) return 'unknown';
  const state = linkState(link, now);
  if (state === 'accepted') return 'used';
  if (state === 'revoked') return 'revoked';
  if (state === 'expired') return 'expired';
  return null;
}

/** Who may accept: only a customer's global admin, and only with the address the link was sent to. */
export function accepterProblem(user: { role: string; email: string }, orgKind: string, link: { email: string }): 'role' | 'email' | null {
  if (orgKind !== 'customer' || user.role !== 'global_admin') return 'role';
  if (user.email.toLowerCase() !== link.email.toLowerCase()) return 'email';
  return null;
}

/** Whether the offered trial or purchase can be created for an organization in `country`. */
export function offerAvailable(
  link: { offerKind: 'trial' | 'purchase' | null; product: { trialDays: number | null; countries: string[] } | null },
  country: string,
): boolean {
  if (!link.offerKind || !link.product) return false;
  if (link.offerKind === 'trial' && !link.product.trialDays) return false;
  return link.product.countries.includes(country);
}

export type RoleChange =
  | { role: AdminRole; kind: 'adds' | 'removes' | 'toStanding'; hours?: undefined; from?: undefined }
  | { role: AdminRole; kind: 'addsEligible' | 'toEligible' | 'maxChanged'; hours: number; from?: number };

/**
 * What accepting a link changes in the delegated admin the partner holds now (issue 24: one link, the same
 * relationship, shown as a diff: "adds Domains, eligible, 2 h"). Empty: nothing changes.
 */
export function roleChanges(
  current: { roles: string[]; eligible: Record<string, number> },
  offered: { roles: string[]; eligible: Record<string, number> },
): RoleChange[] {
  const changes: RoleChange[] = [];
  for (const role of adminRoles) {
    const was = current.roles.includes(role) ? 'standing' : current.eligible[role] ? 'eligible' : null;
    const will = offered.roles.includes(role) ? 'standing' : offered.eligible[role] ? 'eligible' : null;
    const hours = offered.eligible[role];
    if (!was && will === 'standing') changes.push({ role, kind: 'adds' });
    else if (!was && will === 'eligible') changes.push({ role, kind: 'addsEligible', hours });
    else if (was && !will) changes.push({ role, kind: 'removes' });
    else if (was === 'eligible' && will === 'standing') changes.push({ role, kind: 'toStanding' });
    else if (was === 'standing' && will === 'eligible') changes.push({ role, kind: 'toEligible', hours });
    else if (was === 'eligible' && will === 'eligible' && current.eligible[role] !== hours)
      changes.push({ role, kind: 'maxChanged', hours, from: current.eligible[role] });
  }
  return changes;
}
