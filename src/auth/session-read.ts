/**
 * A signed-in page's main read, riding along with the session lookup: one statement and one round trip
 * where the page would otherwise wait for the session before it could ask for its rows (decision 094).
 *
 * The read is written once with the organization as an SQL expression. Alone, the organization is a
 * parameter; joined, it is the session's own organization, taken from the session's row in the same
 * statement, so the read is scoped exactly as it is alone. The session middleware (http/middleware.tsx)
 * finds the route's plan before the route runs; the role checks still run on the session it returns,
 * and a page refused by them simply drops the rows.
 */
import { sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { Context, Handler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AppEnv } from '../context.ts';
import { statement, type Queryable } from '../db/client.ts';
import { sessionSelect, type SessionRow } from './session.ts';

export interface SessionRead<R, V extends Record<string, unknown>> {
  /** The read alone, for the organization `orgId`. */
  alone(db: Queryable, orgId: string, values: V): Promise<R[]>;
  /** The session's row (none: no such session) and the read for its organization, in one statement. */
  withSession(db: Queryable, sessionId: string, values: V): Promise<{ session: SessionRow | undefined; rows: R[] }>;
}

/** `build` writes the read with `orgId` wherever the organization goes and `sql.placeholder(name)` for each of `values`. */
export function sessionRead<R, V extends Record<string, unknown>>(build: (orgId: SQL | Placeholder) => SQL): SessionRead<R, V> {
  const alone = statement<R, V & { orgId: string }>(() => build(sql.placeholder('orgId')));
  // The session's row comes once, as JSON on the first row; `@in` tells a row of the read from the
  // empty row a read without rows leaves (the left join keeps the session either way).
  const joined = statement<R & { '@session': SessionRow | null; '@in': boolean | null }, V & { sessionId: string }>(
    () => sql`with se as (${sessionSelect})
      select case when row_number() over () = 1 then row_to_json(se) end as "@session", p.*
      from se left join (select true as "@in", x.* from (${build(sql`(select se."orgId" from se)`)}) x) p on true`,
  );
  return {
    alone: (db, orgId, values) => alone(db, { ...values, orgId }),
    async withSession(db, sessionId, values) {
      const found = await joined(db, { ...values, sessionId });
      const first = found[0];
      return { session: first?.['@session'] ?? undefined, rows: first?.['@in'] ? found : [] };
    },
  };
}

/** What a page reads for this request: the statement, its values, and whatever else the page worked out on the way. */
export interface Planned<R, V extends Record<string, unknown>> {
  read: SessionRead<R, V>;
  values: V;
}

type Plan<P> = (c: Context<AppEnv>) => P | null;
const PLAN = Symbol('session read plan');

/**
 * A GET handler whose read can ride along with the session lookup. `plan` works out the read from the
 * request alone (the path and query as sent: it runs before the route's validators, so it must accept
 * anything, or return null to leave the read to the handler); `handle` gets its rows.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type RowOf<P> = P extends Planned<infer R, any> ? R : never;

export function pageRead<P extends Planned<unknown, Record<string, unknown>>>(
  plan: Plan<P>,
  handle: (c: Context<AppEnv>, rows: RowOf<P>[], planned: P) => Response | Promise<Response>,
): Handler<AppEnv> {
  const handler: Handler<AppEnv> = async (c) => {
    const pre = c.get('preread');
    if (pre?.plan === plan) return handle(c, pre.rows as RowOf<P>[], pre.planned as P);
    const planned = plan(c);
    if (!planned) return c.notFound();
    return handle(c, (await planned.read.alone(c.get('deps').db, c.get('auth')!.org.id, planned.values)) as RowOf<P>[], planned);
  };
  return Object.assign(handler, { [PLAN]: plan });
}

/** The plan of the GET route this request reached, if it has one (for the session middleware). */
export function planOf(
  c: Context<AppEnv>,
): { plan: Plan<Planned<unknown, Record<string, unknown>>>; planned: Planned<unknown, Record<string, unknown>> } | null {
  if (c.req.method !== 'GET') return null;
  for (const route of matchedRoutes(c)) {
    const plan = (route.handler as { [PLAN]?: Plan<Planned<unknown, Record<string, unknown>>> })[PLAN];
    if (plan && route.method === 'GET') {
      const planned = plan(c);
      return planned ? { plan, planned } : null;
    }
  }
  return null;
}
