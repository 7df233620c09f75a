/**
 * What an authorization link asks for and offers, in one line per part ("Delegated admin (Users,
 * Passwords) for 90 days", "Reseller", "Trial of Business Premium, 5 licenses"): the portal's list of
 * links joins the parts with " · ", the e-mails list them as "- " lines.
 */
import { useRequestContext } from '#jsx/jsx-runtime';
import { productName } from '../catalog/text.ts';
import type { AppEnv } from '../context.ts';
import type { Invitation } from '../db/schema.ts';
import type { I18n, MessageKey } from '../i18n/index.ts';

export const roleLabel: Record<string, MessageKey> = {
  users: 'links.role.users',
  passwords: 'links.role.passwords',
  licenses: 'links.role.licenses',
  domains: 'links.role.domains',
  admin_roles: 'links.role.admin_roles',
};

/** The delegated admin roles, named and joined ("Users, Passwords"; in Chinese with "、"). */
export const roleNames = (t: I18n['t'], roles: string[], eligible: Record<string, number> = {}) =>
  [
    ...roles.map((r) => t(roleLabel[r] ?? 'links.role.users')),
    // Eligible roles (issue 24): "Passwords (eligible, up to 2 h)".
    ...Object.entries(eligible).map(([r, hours]) => t('elev.eligibleUpTo', { role: t(roleLabel[r] ?? 'links.role.users'), hours })),
  ].join(t('common.listSeparator'));

/** What a link asks for and offers: its columns (src/db/schema/relationships.ts), and the product offered. */
export type Offer = Pick<Invitation, 'offersDelegatedAdmin' | 'roles' | 'durationDays' | 'offersReseller' | 'offerQuantity'> & {
  eligible?: Record<string, number>;
  offerKind: 'trial' | 'purchase' | null;
  /** The product offered: its id names it in the reader's language; the stored name is the fallback. */
  productId: string | null;
  productName: string | null;
};

export function offerSummary(i: I18n, o: Offer): string[] {
  const parts: string[] = [];
  if (o.offersDelegatedAdmin) parts.push(i.t('links.summary.delegatedAdmin', { roles: roleNames(i.t, o.roles, o.eligible), days: o.durationDays ?? 0 }));
  if (o.offersReseller) parts.push(i.t('links.offer.reseller'));
  if (o.offerKind && o.productName) {
    parts.push(
      i.t(o.offerKind === 'trial' ? 'links.summary.trial' : 'links.summary.purchase', {
        product: o.productId ? productName(i, o.productId, o.productName) : o.productName,
        quantity: o.offerQuantity ?? 1,
      }),
    );
  }
  return parts;
}

export function OfferSummary({ offer }: { offer: Offer }) {
  return <>{offerSummary(useRequestContext<AppEnv>().get('i18n'), offer).join(' · ')}</>;
}
