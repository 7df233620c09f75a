import { sql, type Placeholder, type SQL } from 'drizzle-orm';
import { sessionRead, type Read } from '../auth/session-read.ts';
import { pageLimit, rows, statementPerShape, type Queryable } from '../db/client.ts';
import { encodeCursor, isUuid, type Cursor, type KeyKind } from '../http/cursor.ts';
import { listSummarySql, type ListSummary } from '../partner-of-record/change-all.queries.ts';
import { heldByResellerSql, partnerJson, type LockedSubscription, type PartnerRecord } from '../partner-of-record/partner-of-record.queries.ts';

export const sortKeys = ['created', 'renewal', 'product'] as const;
export type SortKey = (typeof sortKeys)[number];
export type SortDir = 'asc' | 'desc';
export const PAGE_SIZE = 20;
/** What each sort's cursor key must be, so a crafted one is refused before the query casts it. */
export const keyKinds: Record<SortKey, KeyKind> = { created: 'timestamp', renewal: 'timestamp', product: 'text' };

/** Each sort follows an index of `subscriptions` (org_id first), so any page costs the same. */
const columns: Record<SortKey, { column: SQL; cast: SQL }> = {
  created: { column: sql.raw('s.created_at'), cast: sql.raw('timestamptz') },
  renewal: { column: sql.raw('s.renews_at'), cast: sql.raw('timestamptz') },
  // By the stored product id, not the name in the reader's language: a localized order would need an index per language.
  product: { column: sql.raw('s.product_id'), cast: sql.raw('text') },
};

export interface SubscriptionRow {
  id: string;
  productId: string;
  productName: string;
  quantity: number;
  status: 'trial' | 'active' | 'expired' | 'cancelled';
  renewsAt: Date | string | null;
  version: number;
  partnerName: string | null;
  partnerId: string | null;
  /** Its partner of record is the reseller: only the reseller may change it (the bulk form does not offer it). */
  heldByReseller: boolean;
}

/** The columns of a SubscriptionRow, aliased to its camelCase names (`s` a subscriptions row, `pr` its product, `p` its partner). */
const rowColumns = (orgId: string | SQL | Placeholder) =>
  sql`s.id, s.product_id as "productId", pr.name as "productName", s.quantity, s.status, s.renews_at as "renewsAt", s.version,
    p.name as "partnerName", p.partner_id as "partnerId", ${heldByResellerSql(orgId, sql`s.partner_org_id`)} as "heldByReseller"`;

type ListRow = SubscriptionRow & { sortKey: string | null };
type ListValues = { key: string | null; id: string | null };

/**
 * The page read for each shape (sort, direction, and where the cursor is: none, on a row with a value,
 * on a row without one; 18 at most), alone or with the session (auth/session-read.ts). Keyset
 * pagination: rows with a value and rows without one (a subscription with no renewal date) are read as
 * two index ranges and put together, so page 100 costs what page 1 does. The list's size and version
 * (for "Select all" and the form's version) come once per page.
 */
const pageRead = statementPerShape(({ sort, dir, at }: { sort: SortKey; dir: SortDir; at: 'start' | 'valued' | 'null' }) =>
  sessionRead<ListRow, ListValues, ListSummary>((orgId) => {
    const { column: k, cast } = columns[sort];
    const asc = dir === 'asc';
    const cmp = sql.raw(asc ? '>' : '<');
    const order = sql.raw(asc ? 'asc' : 'desc');
    const [key, id] = (['key', 'id'] as const).map((name) => sql.placeholder(name));
    const limit = pageLimit(PAGE_SIZE);
    // Nulls come last ascending and first descending, as the index stores them.
    let valued: SQL | null = sql`${k} is not null`;
    let nulls: SQL | null = sql`${k} is null`;
    if (at === 'valued') {
      valued = sql`(${k}, s.id) ${cmp} (${key}::${cast}, ${id}::uuid)`;
      if (!asc) nulls = null;
    } else if (at === 'null') {
      nulls = sql`${k} is null and s.id ${cmp} ${id}::uuid`;
      if (asc) valued = null;
    }
    const part = (where: SQL | null, n: number) =>
      where
        ? sql`(select s.*, ${n} as part, ${k}::text as sort_key from subscriptions s where s.org_id = ${orgId} and ${where} order by ${k} ${order}, s.id ${order} limit ${limit})`
        : null;
    const parts = [part(valued, asc ? 0 : 1), part(nulls, asc ? 1 : 0)].filter((p): p is SQL => p !== null);
    return sql`with page as (${sql.join(parts, sql` union all `)})
      select ${rowColumns(orgId)}, s.sort_key as "sortKey"
      from page s join products pr on pr.id = s.product_id left join partners p on p.org_id = s.partner_org_id
      order by s.part, ${k} ${order}, s.id ${order} limit ${limit}`;
  }, listSummarySql),
);

/** The read of one page of the organization's subscriptions after `cursor` (one more row than shown tells whether a next page exists). */
export function listRead(opts: { sort: SortKey; dir: SortDir; cursor: Cursor | null }) {
  const c = opts.cursor;
  const at = !c ? 'start' : c.key !== null ? 'valued' : 'null';
  return { read: pageRead({ sort: opts.sort, dir: opts.dir, at }), values: { key: c?.key ?? null, id: c?.id ?? null } };
}

/** The page `listRead` read: its rows, the cursor of the next page, and the list's size and version. */
export function listPage({ rows: found, first }: Read<ListRow, ListSummary>) {
  const more = found.length > PAGE_SIZE;
  const shown: SubscriptionRow[] = found.slice(0, PAGE_SIZE);
  const last = found[shown.length - 1];
  return {
    rows: shown,
    next: more && last ? encodeCursor({ key: last.sortKey, id: last.id }) : null,
    summary: first ?? { version: '0.0', selectable: 0 },
  };
}

/** One page of the organization's subscriptions after `cursor`, in one statement. */
export async function listSubscriptions(db: Queryable, orgId: string, opts: { sort: SortKey; dir: SortDir; cursor: Cursor | null }) {
  const { read, values } = listRead(opts);
  return listPage(await read.alone(db, orgId, values));
}

export interface SubscriptionDetails extends SubscriptionRow {
  billingFrequency: 'monthly' | 'yearly';
  startedAt: Date | string;
  partnerOrgId: string | null;
}

/** One subscription of the organization, with its partner of record and whether that partner is the reseller. */
export async function findSubscription(db: Queryable, orgId: string, id: string): Promise<SubscriptionDetails | null> {
  return (await findSubscriptionAndPartner(db, orgId, id, null))?.sub ?? null;
}

/**
 * The subscription, and in the same statement the partner whose Partner ID was typed (`lookup`), shown
 * by name for confirmation before it becomes the partner of record (as at checkout).
 */
export async function findSubscriptionAndPartner(
  db: Queryable,
  orgId: string,
  id: string,
  lookup: string | null,
): Promise<{ sub: SubscriptionDetails; lookup: PartnerRecord | null } | null> {
  if (!isUuid(id)) return null;
  const [r] = await rows<SubscriptionDetails & { lookup: PartnerRecord | null }>(
    db,
    sql`select ${rowColumns(orgId)}, s.billing_frequency as "billingFrequency", s.started_at as "startedAt", s.partner_org_id as "partnerOrgId"
      ${lookup === null ? sql`` : sql`, (select ${partnerJson('l')} from partners l where l.partner_id = ${lookup}) as lookup`}
      from subscriptions s join products pr on pr.id = s.product_id left join partners p on p.org_id = s.partner_org_id
      where s.org_id = ${orgId} and s.id = ${id}`,
  );
  if (!r) return null;
  const { lookup: found = null, ...sub } = r;
  return { sub, lookup: found };
}

/** The subscription as a change of partner of record left it: its page needs no second read. */
export const detailsOf = (s: LockedSubscription): SubscriptionDetails => ({
  id: s.id,
  productId: s.productId,
  productName: s.productName,
  quantity: s.quantity,
  status: s.status,
  renewsAt: s.renewsAt,
  version: s.version,
  partnerName: s.partner?.name ?? null,
  partnerId: s.partner?.partnerId ?? null,
  billingFrequency: s.billingFrequency,
  startedAt: s.startedAt,
  partnerOrgId: s.partnerOrgId,
  heldByReseller: s.heldByReseller,
});
