/**
 * Authorization links in SQL. Each request's work is one statement (CTEs), so a change, its audit
 * rows and its e-mails are written together or not at all.
 */
import { sql, type SQL } from 'drizzle-orm';
import { auditInsert } from '../audit/audit.ts';
import { currencyByCountry } from '../catalog/currencies.ts';
import { rows, type Queryable } from '../db/client.ts';
import type { Invitation, invitations, partners, Product } from '../db/schema.ts';
import { bumpCounters, countersJson, type Counter } from '../auth/rate-limit.ts';
import { localizedMailInsert, type LocalizedMail } from '../mail/outbox.ts';
import type { NewLink } from './invitations.rules.ts';
import { encodeCursor, type Cursor } from '../http/cursor.ts';

export interface ProductOption {
  id: string;
  name: string;
  trialDays: number | null;
}

/** A row of raw SQL: timestamps arrive as text. */
type Raw<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

/** A link as the portal lists it (JSON from the database: timestamps are strings). */
export type LinkRow = Raw<
  Pick<
    typeof invitations.$inferSelect,
    | 'id'
    | 'email'
    | 'offersDelegatedAdmin'
    | 'roles'
    | 'eligible'
    | 'durationDays'
    | 'offersReseller'
    | 'offerQuantity'
    | 'expiresAt'
    | 'acceptedAt'
    | 'revokedAt'
    | 'createdAt'
  >
> & {
  offerKind: 'trial' | 'purchase' | null;
  productId: string | null;
  productName: string | null;
  acceptedOrgName: string | null;
  /** created_at to the microsecond: the sort key of the list's cursor (with id). */
  cursorAt: string;
};

const linkColumns = sql`i.id, i.email, i.offers_delegated_admin as "offersDelegatedAdmin", i.roles, i.eligible, i.duration_days as "durationDays",
  i.offers_reseller as "offersReseller", i.offer_kind as "offerKind", i.offer_quantity as "offerQuantity", i.offer_product_id as "productId",
  p.name as "productName", i.expires_at as "expiresAt", i.accepted_at as "acceptedAt", i.revoked_at as "revokedAt", i.created_at as "createdAt",
  o.name as "acceptedOrgName", to_char(i.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "cursorAt"`;

export const PAGE_SIZE = 20;

export interface LinksPage {
  capabilities: string[];
  products: ProductOption[];
  links: LinkRow[];
  older: string | null;
}

/**
 * The partner's capabilities, the catalog for the offer, and one page of its links (newest first, in
 * the order of invitations_partner_idx), in one statement.
 */
export async function linksPage(db: Queryable, partnerOrgId: string, after: Cursor | null): Promise<LinksPage> {
  // created_at is never null: a cursor without a key is not one this list made, and reads as the first page.
  const keyset = after?.key
    ? sql`and (i.created_at < ${after.key}::timestamptz or (i.created_at = ${after.key}::timestamptz and i.id > ${after.id}::uuid))`
    : sql``;
  const [row] = await rows<{ capabilities: string[] | null; products: ProductOption[] | null; links: LinkRow[] | null }>(
    db,
    sql`select
      (select capabilities from partners where org_id = ${partnerOrgId}) as capabilities,
      (select json_agg(json_build_object('id', p.id, 'name', p.name, 'trialDays', p.trial_days) order by pl.sort, p.sort)
         from products p join plans pl on pl.id = p.plan_id) as products,
      (select json_agg(x) from (
         select ${linkColumns} from invitations i
           left join products p on p.id = i.offer_product_id
           left join organizations o on o.id = i.accepted_org_id
         where i.partner_org_id = ${partnerOrgId} ${keyset}
         order by i.created_at desc, i.id
         limit ${PAGE_SIZE + 1}) x) as links`,
  );
  const all = row.links ?? [];
  const links = all.slice(0, PAGE_SIZE);
  return {
    capabilities: row.capabilities ?? [],
    products: row.products ?? [],
    links,
    older: all.length > PAGE_SIZE ? encodeCursor({ key: links[links.length - 1].cursorAt, id: links[links.length - 1].id }) : null,
  };
}

function textArray(values: string[]): SQL {
  return sql`string_to_array(${values.join(',')}, ',')::text[]`;
}

/** The invitation, its audit row and the e-mail to the customer, in one statement. Returns the new row. */
export async function createLink(
  db: Queryable,
  input: { partnerOrgId: string; userId: string; actorName: string; tokenHash: string; link: NewLink; expiresAt: Date; mail: LocalizedMail },
): Promise<LinkRow> {
  const l = input.link;
  const [row] = await rows<LinkRow>(
    db,
    sql`with i as (
        insert into invitations (partner_org_id, created_by_user_id, token_hash, email, offers_delegated_admin, roles, eligible, duration_days,
          offers_reseller, offer_product_id, offer_kind, offer_quantity, terms, expires_at)
        values (${input.partnerOrgId}, ${input.userId}, ${input.tokenHash}, ${l.email}, ${l.offersDelegatedAdmin}, ${textArray(l.roles)}, ${JSON.stringify(l.eligible)}::jsonb,
          ${l.durationDays}, ${l.offersReseller}, ${l.offerProductId}, ${l.offerKind}, ${l.offerQuantity}, ${l.terms}, ${input.expiresAt.toISOString()})
        returning *),
      audited as (${auditInsert(
        {
          partnerOrgId: sql`i.partner_org_id`,
          actorUserId: input.userId,
          actorName: input.actorName,
          action: 'invitation.created',
          targetType: 'invitation',
          targetId: sql`i.id::text`,
          after: sql`json_build_object('email', i.email, 'delegatedAdmin', i.offers_delegated_admin, 'roles', i.roles, 'eligible', i.eligible, 'durationDays', i.duration_days,
            'reseller', i.offers_reseller, 'offerKind', i.offer_kind, 'productId', i.offer_product_id, 'quantity', i.offer_quantity, 'expiresAt', i.expires_at)`,
        },
        sql`i`,
      )}),
      mailed as (${localizedMailInsert([input.mail], sql`exists (select 1 from i)`)})
      select ${linkColumns} from i left join products p on p.id = i.offer_product_id left join organizations o on o.id = i.accepted_org_id`,
  );
  return row;
}

/**
 * Revokes a link of this partner that is still open, with its audit row. `found: false` when the
 * partner has no such link; `link` is the row after the change (or unchanged, if it was no longer open).
 */
export async function revokeLink(
  db: Queryable,
  partnerOrgId: string,
  id: string,
  actor: { userId: string; name: string },
  now: Date,
): Promise<{ found: false } | { found: true; revoked: boolean; link: LinkRow }> {
  const at = now.toISOString();
  const [row] = await rows<LinkRow & { revokedNow: string | null }>(
    db,
    sql`with target as (
        select ${linkColumns} from invitations i
          left join products p on p.id = i.offer_product_id
          left join organizations o on o.id = i.accepted_org_id
        where i.partner_org_id = ${partnerOrgId} and i.id = ${id}::uuid),
      revoked as (
        update invitations set revoked_at = ${at}::timestamptz
        where partner_org_id = ${partnerOrgId} and id = ${id}::uuid and accepted_at is null and revoked_at is null and expires_at > ${at}::timestamptz
        returning id, email, revoked_at),
      audited as (${auditInsert(
        {
          partnerOrgId,
          actorUserId: actor.userId,
          actorName: actor.name,
          action: 'invitation.revoked',
          targetType: 'invitation',
          targetId: sql`id::text`,
          before: sql`json_build_object('email', email)`,
          after: sql`json_build_object('revokedAt', revoked_at)`,
        },
        sql`revoked`,
      )})
      select target.*, (select revoked_at from revoked) as "revokedNow" from target`,
  );
  if (!row) return { found: false };
  const { revokedNow, ...link } = row;
  return { found: true, revoked: !!revokedNow, link: { ...link, revokedAt: revokedNow ?? link.revokedAt } };
}

/** The link's own columns the authorization page reads. */
type LinkColumn =
  | 'id'
  | 'partnerOrgId'
  | 'email'
  | 'offersDelegatedAdmin'
  | 'roles'
  | 'eligible'
  | 'durationDays'
  | 'offersReseller'
  | 'offerQuantity'
  | 'terms'
  | 'expiresAt'
  | 'acceptedAt'
  | 'acceptedOrgId'
  | 'revokedAt';

/** A link as the authorization page shows it: its own columns, its partner's, and the product offered priced for the viewer. */
export type Redeemable = Pick<Invitation, LinkColumn> & {
  offerKind: 'trial' | 'purchase' | null;
  partnerName: string;
  partnerId: string;
  partnerWebsite: string | null;
  creatorEmail: string;
  product: (Pick<Product, 'id' | 'name' | 'trialDays' | 'countries'> & { priceCents: number | null; currency: string | null }) | null;
  /** The signed-in organization's active delegated admin with this partner, if any: the link then changes it (issue 24). */
  current: { roles: string[]; eligible: Record<string, number> } | null;
};

/**
 * One round trip: finds the link by its token's hash, priced in `currency` (the viewer's; signed out, the
 * partner's), and counts the attempt against the caller's address only when it fails (unknown, used,
 * revoked, expired; not a link reopened by the organization that accepted it). The counters come back
 * either way: an address over the limit is refused even a good link, or a guesser would learn which is real.
 */
type Rate = { key: string; windowSeconds: number; callerOrgId: string | null };
type LinkFields = Raw<Pick<typeof invitations.$inferSelect, LinkColumn | 'offerKind'>> &
  Pick<typeof partners.$inferSelect, 'partnerId' | 'website'> & { partnerName: string; creatorEmail: string; current: Redeemable['current'] } & {
    productId: string | null;
    productName: string | null;
    trialDays: number | null;
    priceCents: number | null;
    currency: string | null;
    countries: string[] | null;
  };
/** The link's columns, or all null when the token matches none (the counters come back either way). */
type RedemptionRow = { counters: Counter[] } & (LinkFields | { [K in keyof LinkFields]: null });
export async function findLinkForRedemption(
  db: Queryable,
  tokenHash: string,
  rate: Rate,
  now: Date,
  currency: string | null,
): Promise<{ counters: Counter[]; link: Redeemable | null }> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const good = sql`exists (select 1 from invitations g where g.token_hash = ${tokenHash}
    and ((g.accepted_at is null and g.revoked_at is null and g.expires_at > ${at}) or g.accepted_org_id = ${rate.callerOrgId}::uuid))`;
  const [row] = await rows<RedemptionRow>(
    db,
    sql`with rl as (${bumpCounters([rate.key], rate.windowSeconds, now, sql`not ${good}`)})
      select coalesce(${countersJson(sql`rl`)}, ${countersJson(sql`rate_limits where key = ${rate.key}`)}, '[]') as counters,
        i.id, i.partner_org_id as "partnerOrgId", pa.name as "partnerName", pa.partner_id as "partnerId", pa.website, u.email as "creatorEmail", i.email,
        i.offers_delegated_admin as "offersDelegatedAdmin", i.roles, i.eligible, i.duration_days as "durationDays", i.offers_reseller as "offersReseller",
        i.offer_kind as "offerKind", i.offer_quantity as "offerQuantity", i.terms,
        i.expires_at as "expiresAt", i.accepted_at as "acceptedAt", i.accepted_org_id as "acceptedOrgId", i.revoked_at as "revokedAt",
        pr.id as "productId", pr.name as "productName", pr.trial_days as "trialDays", pp.price_cents as "priceCents", pp.currency, pr.countries,
        (select json_build_object('roles', r.roles, 'eligible', r.eligible) from partner_relationships r
          where r.org_id = ${rate.callerOrgId}::uuid and r.partner_org_id = i.partner_org_id and r.type = 'delegated_admin' and r.status = 'active'
            and (r.ends_at is null or r.ends_at > ${at})) as current
      from (select 1) one
      left join invitations i on i.token_hash = ${tokenHash}
      left join partners pa on pa.org_id = i.partner_org_id
      left join organizations po on po.id = i.partner_org_id
      left join users u on u.id = i.created_by_user_id
      left join products pr on pr.id = i.offer_product_id
      left join product_prices pp on pp.product_id = pr.id
        and pp.currency = coalesce(${currency}, ${JSON.stringify(currencyByCountry)}::jsonb ->> po.country, 'USD')`,
  );
  const { counters, ...l } = row;
  if (l.id === null) return { counters, link: null };
  const date = (v: string | null) => (v ? new Date(v) : null);
  const { website, productId, productName, trialDays, priceCents, currency: productCurrency, countries, ...link } = l;
  const product =
    productId !== null ? { id: productId, name: productName!, trialDays, priceCents, currency: productCurrency, countries: countries ?? [] } : null;
  return {
    counters,
    link: {
      ...link,
      partnerWebsite: website,
      offerKind: l.offerKind as Redeemable['offerKind'],
      product,
      expiresAt: new Date(l.expiresAt),
      acceptedAt: date(l.acceptedAt),
      revokedAt: date(l.revokedAt),
    },
  };
}
