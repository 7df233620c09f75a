/**
 * A signed-in page's main read, riding along with the session lookup: one statement and one round trip
 * where the page would otherwise wait for the session before it could ask for its rows (decision 094).
 *
 * The read is written once with the organization as an SQL expression. Alone, the organization is a
 * parameter; joined, it is the session's own organization, taken from the session's row in the same
 * statement, so the read is scoped exactly as it is alone. The session middleware (`validateSession`,
 * auth/cookie.ts) finds the route's plan before the route runs; the role checks still run on the session it returns,
 * and a page refused by them simply drops the rows.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Context, Handler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AppEnv } from '../context.ts';
import { statement, type Queryable } from '../db/client.ts';
import { sessionSelect, type SessionRow } from './session.ts';

export interface Read<R, F> {
  rows: R[];
  /** What the read says once for the whole page (its `first` expression), null when it has none. */
  first: F | null;
}

export interface SessionRead<R, V extends Record<string, unknown>, F = never> {
  /** The read alone, for the organization `orgId`. */
  alone(db: Queryable, orgId: string, values: V): Promise<Read<R, F>>;
  /** The session's row (none: no such session) and the read for its organization, in one statement. */
  withSession(db: Queryable, sessionId: string, values: V): Promise<Read<R, F> & { session: SessionRow | undefined }>;
}

/**
 * `build` writes the read with `orgId` wherever the organization goes and `sql.placeholder(name)` for
 * each of `values`; `first`, a JSON expression the page needs once (a summary, a list for a filter),
 * comes on the first row only, rows or none.
 */
export function sessionRead<R, V extends Record<string, unknown>, F = never>(build: (orgId: SQL) => SQL, first?: (orgId: SQL) => SQL): SessionRead<R, V, F> {
  type Row = R & { '@session': SessionRow | null; '@first': F | null; '@in': boolean | null };
  // The session's row (alone: just the organization) comes once, as JSON on the first row; `@in` tells a
  // row of the read from the empty row a read without rows leaves (the left join keeps the session).
  const orgId = sql`(select se."orgId" from se)`;
  const joined = (se: SQL) => sql`with se as (${se})
    select case when row_number() over () = 1 then row_to_json(se) end as "@session",
      ${first ? sql`case when row_number() over () = 1 then ${first(orgId)} end` : sql`null`} as "@first", p.*
    from se left join (select true as "@in", x.* from (${build(orgId)}) x) p on true`;
  const alone = statement<Row, V & { orgId: string }>(() => joined(sql`select ${sql.placeholder('orgId')}::uuid as "orgId"`));
  const withSession = statement<Row, V & { sessionId: string }>(() => joined(sessionSelect));
  const read = (found: Row[]) => ({ rows: found[0]?.['@in'] ? found : [], first: found[0]?.['@first'] ?? null });
  return {
    alone: async (db, orgId, values) => read(await alone(db, { ...values, orgId })),
    async withSession(db, sessionId, values) {
      const found = await withSession(db, { ...values, sessionId });
      return { ...read(found), session: found[0]?.['@session'] ?? undefined };
    },
  };
}

/** What a page reads for this request: the statement, its values, and whatever else the page worked out on the way. */
export interface Planned<R, V extends Record<string, unknown>, F = never> {
  read: SessionRead<R, V, F>;
  values: V;
}

type Plan<P> = (c: Context<AppEnv>) => P | null;
/**
 * Each `pageRead` handler's plan, found again through the route the request matched (`matchedRoutes`,
 * hono's documented route helper, which names each matched route's handler). A table of our own: nothing
 * is hung on the handler or on hono's objects.
 */
const plans = new WeakMap<Handler<AppEnv>, Plan<AnyPlanned>>();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ReadOf<P> = P extends Planned<infer R, any, infer F> ? Read<R, F> : never;
type AnyPlanned = Planned<unknown, Record<string, unknown>, unknown>;

/**
 * A GET handler whose read can ride along with the session lookup. `plan` works out the read from the
 * request alone (the path and query as sent: it runs before the route's validators, so it must accept
 * anything, or return null when the request reads nothing: then `otherwise` answers, a 404 unless
 * the page says otherwise); `handle` gets what was read.
 */
export function pageRead<P extends AnyPlanned>(
  plan: Plan<P>,
  handle: (c: Context<AppEnv>, read: ReadOf<P>, planned: P) => Response | Promise<Response>,
  otherwise: (c: Context<AppEnv>) => Response | Promise<Response> = (c) => c.notFound(),
): Handler<AppEnv> {
  const handler: Handler<AppEnv> = async (c) => {
    const pre = c.get('preread');
    // The rows leave the context at once. The context outlives the response (a kept-alive connection holds
    // its last request until the next one is read), and rows held that long are promoted out of V8's young
    // generation: twice the scavenge time, and GC at 7–12 % of the CPU instead of about 5 % (decision 094).
    c.set('preread', undefined);
    if (pre?.plan === plan) return handle(c, pre.read as ReadOf<P>, pre.planned as P);
    const planned = plan(c);
    if (!planned) return otherwise(c);
    return handle(c, (await planned.read.alone(c.get('deps').db, c.get('auth')!.org.id, planned.values)) as ReadOf<P>, planned);
  };
  plans.set(handler, plan as Plan<AnyPlanned>);
  return handler;
}

/** The plan of the GET route this request reached, if it has one (for the session middleware). */
export function planOf(c: Context<AppEnv>): { plan: Plan<AnyPlanned>; planned: AnyPlanned } | null {
  if (c.req.method !== 'GET') return null;
  for (const route of matchedRoutes(c)) {
    const plan = plans.get(route.handler as Handler<AppEnv>);
    if (plan && route.method === 'GET') {
      const planned = plan(c);
      return planned ? { plan, planned } : null;
    }
  }
  return null;
}
