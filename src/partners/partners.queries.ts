import { sql, type SQL } from 'drizzle-orm';
import { sessionRead, type Read } from '../auth/session-read.ts';
import { containsPattern, statementPerShape } from '../db/client.ts';
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

type Row = { checkout: FinderResult['checkout'] | null; partners: FinderEntry[] | null; products: FinderResult['products'] };
type Values = {
  checkoutId: string | null;
  product: string | null;
  country: string | null;
  q: string | null;
  afterName: string | null;
  afterId: string | null;
  limit: number;
};
type Shape = { checkout: boolean; product: boolean; country: boolean; q: 'none' | 'partnerId' | 'name'; after: boolean };

/** The read for each shape of the filters, alone or with the session (auth/session-read.ts): its SQL text built once. */
const finderReads = statementPerShape((shape: Shape) => {
  const v = Object.fromEntries(
    (['checkoutId', 'product', 'country', 'q', 'afterName', 'afterId', 'limit'] as const).map((n) => [n, sql.placeholder(n)]),
  ) as Record<keyof Values, ReturnType<typeof sql.placeholder>>;
  const product = shape.checkout ? sql`(select "productId" from ck)` : v.product;
  const country = shape.checkout ? sql`(select country from ck)` : v.country;
  const where: SQL[] = [sql`true`];
  if (shape.product) where.push(sql`p.product_ids @> array[${product}]::text[]`);
  if (shape.country) where.push(sql`p.countries @> array[${country}]::text[]`);
  if (shape.checkout) where.push(sql`'advisor' = any(p.capabilities)`);
  if (shape.q === 'partnerId') where.push(sql`p.partner_id = ${v.q}`);
  if (shape.q === 'name') where.push(sql`p.name ilike ${v.q}`);
  if (shape.after) where.push(sql`(p.name, p.org_id) > (${v.afterName}, ${v.afterId}::uuid)`);
  return sessionRead<Row, Values>(
    (orgId) => sql`with ck as (
        select c.id, c.product_id as "productId", o.country, c.step from checkouts c join organizations o on o.id = c.org_id
        where ${shape.checkout ? sql`c.id = ${v.checkoutId}::uuid and c.org_id = ${orgId}` : sql`false`}),
      page as (
        select p.org_id as "orgId", p.partner_id as "partnerId", p.name, p.countries, p.product_ids as "productIds", p.capabilities
        from partners p where ${sql.join(where, sql` and `)}
        order by p.name, p.org_id limit ${v.limit})
      select (select row_to_json(ck) from ck) as checkout,
        (select json_agg(page order by page.name, page."orgId") from page) as partners,
        (select json_agg(json_build_object('id', pr.id, 'name', pr.name) order by pl.sort, pr.sort)
          from products pr join plans pl on pl.id = pr.plan_id) as products`,
  );
});

/** The read of the directory page, the catalog for the product filter and the organization's checkout, in one statement. */
export function finderRead(f: FinderFilters, limit = FINDER_PAGE_SIZE) {
  const checkout = !!f.checkoutId && isUuid(f.checkoutId);
  const q = !f.q ? 'none' : /^[0-9]+$/.test(f.q) ? 'partnerId' : 'name';
  const shape: Shape = { checkout, product: checkout || f.product !== null, country: checkout || f.country !== null, q, after: !!f.after };
  return {
    read: finderReads(shape),
    values: {
      checkoutId: checkout ? f.checkoutId : null,
      product: f.product,
      country: f.country,
      q: q === 'name' ? containsPattern(f.q) : q === 'partnerId' ? f.q : null,
      afterName: f.after?.name ?? null,
      afterId: f.after?.orgId ?? null,
      limit: limit + 1,
    },
    limit,
  };
}

/** What `finderRead` read. */
export function finderResult({ rows: [r] }: Read<Row, never>, limit: number): FinderResult {
  const partners = r?.partners ?? [];
  const more = partners.length > limit;
  const entries = partners.slice(0, limit);
  const last = entries.at(-1);
  return { entries, next: more && last ? { name: last.name, orgId: last.orgId } : null, products: r?.products ?? [], checkout: r?.checkout ?? null };
}
