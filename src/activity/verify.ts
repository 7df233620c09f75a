/**
 * Verify: the organization's audit hash chain checked again, in keyset pages of its place in the chain
 * (audit_chain_idx). Each row's hash is recomputed from its content and the previous row's stored hash
 * by the function the trigger uses (drizzle/0009, decision 108), so a page is one statement and a row's
 * check needs nothing but its neighbour. The last page is also held against the chain's head.
 */
import { sql, type SQL } from 'drizzle-orm';
import { sessionRead, type Read } from '../auth/session-read.ts';
import type { Queryable } from '../db/client.ts';

/** Rows checked per request by default (well under a second on PostgreSQL; env VERIFY_PAGE_ROWS); the page continues from the last one. */
export const VERIFY_PAGE = 50_000;

export interface VerifyRow {
  /** Rows this page read (the first, after the start, only for its hash). */
  rows: number;
  /** The first row of the page whose hash or place does not follow from the one before it. */
  badSeq: number | null;
  badAt: string | null;
  lastSeq: number | null;
  lastAt: string | null;
  lastHash: string | null;
  /** The chain's head as the trigger left it. */
  headSeq: number | null;
  headHash: string | null;
  headAt: string | null;
}

/** One page from the row at `from` (0: the start; otherwise the last row already checked, read again for its hash). */
export function verifySql(orgId: SQL, from: SQL, limit: SQL): SQL {
  return sql`with page as materialized (
      select a.chain_seq as seq, a.created_at as at, a.hash,
        (a.hash is not distinct from audit_chain_hash(lag(a.hash) over w, a)
          and a.chain_seq = coalesce(lag(a.chain_seq) over w, 0) + 1) as ok,
        not (row_number() over w = 1 and ${from} > 0) as checked
      from audit_log a where a.org_id = ${orgId} and a.chain_seq >= ${from}
      window w as (order by a.chain_seq) order by a.chain_seq limit ${limit}),
    bad as (select seq, at from page where checked and not ok order by seq limit 1),
    last as (select seq, at, hash from page order by seq desc limit 1)
    select (select count(*) from page)::int as "rows",
      bad.seq::float8 as "badSeq", bad.at as "badAt", last.seq::float8 as "lastSeq", last.at as "lastAt", last.hash as "lastHash",
      h.seq::float8 as "headSeq", h.hash as "headHash", h.at as "headAt"
    from (select 1) one left join bad on true left join last on true
      left join audit_chain_heads h on h.org_id = ${orgId}`;
}

/** The page's read: the session and one page of the check, one statement. */
export const verifyRead = sessionRead<VerifyRow, { from: number; limit: number }>((orgId) =>
  verifySql(orgId, sql`${sql.placeholder('from')}::bigint`, sql`${sql.placeholder('limit')}::int`),
);

export type Verdict =
  | { kind: 'intact'; count: number; at: string | null; head: Head | null }
  | { kind: 'changed'; seq: number; at: string | null; head: Head | null }
  | { kind: 'more'; checkedTo: number; head: Head | null };

export interface Head {
  seq: number;
  hash: string;
  at: string;
}

/** What a page of the check says: a change, the end (held against the head), or where to go on from. */
export function verdict(row: VerifyRow | undefined, limit: number): Verdict {
  const r = row ?? ({ rows: 0 } as VerifyRow);
  const head = r.headSeq != null && r.headSeq > 0 ? { seq: r.headSeq, hash: r.headHash!, at: r.headAt! } : null;
  if (r.badSeq != null) return { kind: 'changed', seq: r.badSeq, at: r.badAt, head };
  if (r.lastSeq != null && r.rows >= limit) return { kind: 'more', checkedTo: r.lastSeq, head };
  const lastSeq = r.lastSeq ?? 0;
  // The rows end where the head says the chain ends, with the same hash: else rows were removed from the end (or the head altered).
  if ((head?.seq ?? 0) !== lastSeq || (head && head.hash !== r.lastHash)) {
    return { kind: 'changed', seq: Math.min(head?.seq ?? 0, lastSeq) + 1, at: head?.at ?? r.lastAt, head };
  }
  return { kind: 'intact', count: lastSeq, at: r.lastAt, head };
}

/** The whole chain checked page by page (the bench; the page does one page per request). */
export async function verifyAll(db: Queryable, orgId: string, limit = VERIFY_PAGE): Promise<Verdict> {
  let from = 0;
  for (;;) {
    const { rows } = await verifyRead.alone(db, orgId, { from, limit });
    const v = verdict((rows as VerifyRow[])[0], limit);
    if (v.kind !== 'more') return v;
    from = v.checkedTo;
  }
}

export type VerifyPage = Read<VerifyRow, never>;
