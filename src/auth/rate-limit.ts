/**
 * Fixed-window counters in PostgreSQL, so every server instance sees the same count.
 * `bumpCounters` is a statement that other statements embed as a CTE (sign-in, link redemption).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { rateLimits } from '../db/schema.ts';

/** A counter as `countersJson` returns it (JSON: the window's start is text). */
export type Counter = Pick<typeof rateLimits.$inferSelect, 'key' | 'count'> & { windowStart: string };

/** The counters in `from` (a CTE over `bumpCounters`, or the table filtered) as one JSON array; null when there are none. */
export const countersJson = (from: SQL) => sql`(select json_agg(json_build_object('key', key, 'count', count, 'windowStart', window_start)) from ${from})`;

/** `onlyIf` (a condition over earlier CTEs) bumps the counters only when it holds. */
export function bumpCounters(keys: string[], windowSeconds: number, now: Date, onlyIf: SQL = sql`true`): SQL {
  const at = now.toISOString();
  const values = sql.join(
    keys.map((k) => sql`(${k}::text)`),
    sql`, `,
  );
  return sql`insert into rate_limits (key, window_start, count)
    select v.key, ${at}::timestamptz, 1 from (values ${values}) as v (key) where ${onlyIf}
    on conflict (key) do update set
      count = case when rate_limits.window_start <= ${at}::timestamptz - make_interval(secs => ${windowSeconds}) then 1 else rate_limits.count + 1 end,
      window_start = case when rate_limits.window_start <= ${at}::timestamptz - make_interval(secs => ${windowSeconds}) then ${at}::timestamptz else rate_limits.window_start end
    returning key, count, window_start`;
}

/** Seconds until the window of the first exceeded counter ends, or 0 when none is exceeded. */
export function retryAfter(counters: Counter[], limits: Record<string, number>, windowSeconds: number, now: Date): number {
  let wait = 0;
  for (const c of counters) {
    const limit = limits[c.key];
    if (limit !== undefined && c.count > limit) {
      const ends = new Date(c.windowStart).getTime() + windowSeconds * 1000;
      wait = Math.max(wait, Math.ceil((ends - now.getTime()) / 1000));
    }
  }
  return wait;
}
