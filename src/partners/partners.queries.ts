import { sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../db/client.ts';
import { isUuid } from '../http/cursor.ts';
import type { PartnerProfile } from '../partner-of-record/partner-of-record.rules.ts';

export const FINDER_PAGE_SIZE = 10;

export interface FinderFilters {
  q: string;
  product: string | null;
  country: string | null;
  /** Keyset cursor: the last entry's name and organization id. */
  after: { name: string; orgId: string } | null;
  /** Opened from this checkout of the organization: only partners eligible for its product and the org's country. */
  checkoutId: string | null;
}

/** A directory entry: a partner's profile as the eligibility rules see it. */
export type FinderEntry = PartnerProfile;

export interface FinderResult {
  entries: FinderEntry[];
  next: { name: string; orgId: string } | null;
  products: { id: string; name: string }[];
  /** The checkout the finder was opened from, when it is the organization's. */
  checkout: { id: string; productId: string; country: string; step: number } | null;
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/** The directory page, the catalog for the product filter and the checkout, in one statement. */
export async function findPartners(db: Queryable, orgId: string | null, f: FinderFilters, limit = FINDER_PAGE_SIZE): Promise<FinderResult> {
  const withCheckout = !!f.checkoutId && !!orgId && isUuid(f.checkoutId);
  const product = withCheckout ? sql`(select "productId" from ck)` : f.product;
  const country = withCheckout ? sql`(select country from ck)` : f.country;
  const where: SQL[] = [sql`true`];
  if (product !== null) where.push(sql`p.product_ids @> array[${product}]::text[]`);
  if (country !== null) where.push(sql`p.countries @> array[${country}]::text[]`);
  if (withCheckout) where.push(sql`'advisor' = any(p.capabilities)`);
  if (f.q) where.push(/^[0-9]+$/.test(f.q) ? sql`p.partner_id = ${f.q}` : sql`p.name ilike ${likePattern(f.q)}`);
  if (f.after) where.push(sql`(p.name, p.org_id) > (${f.after.name}, ${f.after.orgId}::uuid)`);
  const [r] = await rows<{ checkout: FinderResult['checkout'] | null; partners: FinderEntry[] | null; products: FinderResult['products'] }>(
    db,
    sql`with ck as (
        select c.id, c.product_id as "productId", o.country, c.step from checkouts c join organizations o on o.id = c.org_id
        where ${withCheckout ? sql`c.id = ${f.checkoutId}::uuid and c.org_id = ${orgId}` : sql`false`}),
      page as (
        select p.org_id as "orgId", p.partner_id as "partnerId", p.name, p.countries, p.product_ids as "productIds", p.capabilities
        from partners p where ${sql.join(where, sql` and `)}
        order by p.name, p.org_id limit ${limit + 1})
      select (select row_to_json(ck) from ck) as checkout,
        (select json_agg(page order by page.name, page."orgId") from page) as partners,
        (select json_agg(json_build_object('id', pr.id, 'name', pr.name) order by pl.sort, pr.sort)
          from products pr join plans pl on pl.id = pr.plan_id) as products`,
  );
  const partners = r.partners ?? [];
  const more = partners.length > limit;
  const entries = partners.slice(0, limit);
  const last = entries.at(-1);
  return { entries, next: more && last ? { name: last.name, orgId: last.orgId } : null, products: r.products ?? [], checkout: r.checkout };
}
