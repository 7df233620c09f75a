/**
 * Fixed-window counters in PostgreSQL, so every server instance sees the same count.
 * `bumpCounters` is a statement that other statements embed as a CTE (sign-in, link redemption).
 */
import { sql, type SQL } from 'drizzle-orm';

export interface Counter {
  key: string;
  count: number;
  window_start: string | Date;
}

export function bumpCounters(keys: string[], windowSeconds: number, now: Date): SQL {
  return bumpCountersWhen(keys, windowSeconds, now, sql`true`);
}

/** Counts only when `condition` (evaluated in the embedding statement) holds: e.g. only failed link openings. */
export function bumpCountersWhen(keys: string[], windowSeconds: number, now: Date, condition: SQL): SQL {
  const at = now.toISOString();
  const values = sql.join(
    keys.map((k) => sql`(${k}, ${at}::timestamptz, 1)`),
    sql`, `,
  );
  return sql`insert into rate_limits (key, window_start, count) select * from (values ${values}) v where ${condition}
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
      const ends = new Date(c.window_start).getTime() + windowSeconds * 1000;
      wait = Math.max(wait, Math.ceil((ends - now.getTime()) / 1000));
    }
  }
  return wait;
}
