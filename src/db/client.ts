import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { sql, type Query, type SQL } from 'drizzle-orm';
import type { Logger } from 'drizzle-orm/logger';
import type { Sql } from 'postgres';
import type { PgDatabase, PgDialect, PgQueryResultHKT, PgSession } from 'drizzle-orm/pg-core';
import { projectRoot } from '../paths.ts';
import * as schema from './schema.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either the database or a transaction: query functions accept both. */
export type Queryable = Db | Tx;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

/**
 * Counts the statements each request sends, so tests can hold a page to its query budget. Only a
 * database opened with `countQueries` (the tests') has the counting logger; the server's has none, so
 * production pays nothing for it (docs/decisions/082).
 */
export const queryCounter = new AsyncLocalStorage<{ count: number; log: string[] }>();
const countingLogger: Logger = {
  logQuery(query) {
    const store = queryCounter.getStore();
    if (store) {
      store.count++;
      store.log.push(query);
    }
  },
};

const migrationsFolder = `${projectRoot}drizzle`;

/** The postgres.js client, or a transaction's, with every query prepared (see openDatabase). */
function prepared<S extends object>(sql: S): S {
  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') {
        const unsafe = (target as unknown as Sql).unsafe;
        return (query: string, params?: unknown[], options?: object) => unsafe(query, params as never, { ...options, prepare: true });
      }
      if (prop === 'begin' || prop === 'savepoint') {
        const open = Reflect.get(target, prop, receiver) as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => {
          const body = args.pop() as (tx: object) => unknown;
          return open.call(target, ...args, (tx: object) => body(prepared(tx)));
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

/** `url` set: a real PostgreSQL through postgres.js; otherwise embedded PGlite in `dataDir` (or memory). */
export async function openDatabase(opts: { url?: string; dataDir?: string; poolSize?: number; countQueries?: boolean }): Promise<Database> {
  const common = { schema, casing: 'snake_case' as const, ...(opts.countQueries ? { logger: countingLogger } : {}) };
  if (opts.url) {
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    const client = postgres(opts.url, {
      max: opts.poolSize ?? 4,
      onnotice: () => {},
      // During an outage a request must get its 503 page within 2 s. A connection attempt that gets no
      // answer gives up after 0.6 s (a refused one fails at once): postgres.js gives each statement waiting
      // for a connection an attempt of its own, so one queued behind a first attempt that timed out waits
      // for a second (0.6 + 0.05 + 0.6 s; with 1.5 s this was the 3.1 s answer of issue 23). A database on the
      // same network completes its handshake in milliseconds (test/faults/outage.test.ts holds both cases)...
      connect_timeout: 0.6,
      // ...and reconnecting is retried after at most 250 ms instead of the driver's default back-off,
      // which grows to 20 s: pages must serve again within a second of the database's return.
      backoff: (retries: number) => Math.min(0.05 * retries, 0.25),
      // A statement that runs away is stopped by the server rather than holding a request open.
      connection: { statement_timeout: 10_000, idle_in_transaction_session_timeout: 30_000 },
    });
    // drizzle sends every raw query unprepared, so PostgreSQL parses and plans it each time: the session
    // lookup's three-table join runs at a quarter of its prepared speed, and a write's statements spend
    // about a millisecond each being planned while their transaction holds its locks. Each connection
    // prepares a statement once per distinct text instead (our SQL is parameterised, so the texts are
    // few), in transactions too: postgres.js hands `begin` and `savepoint` callbacks a connection of their own.
    const preparing = prepared(client);
    return { db: drizzle({ client: preparing, ...common }) as unknown as Db, kind: 'postgres', close: () => client.end() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  // PostgreSQL's default 128 MB of shared buffers is allocated inside PGlite's WebAssembly memory and
  // touched as pages are read: 16 MB takes the embedded server from ~300 to ~160 MB idle on the demo data
  // (docs/decisions/084); the data directory's files stay in the OS page cache anyway.
  const client = new PGlite(opts.dataDir, { postgresqlconf: ['shared_buffers=16MB'] });
  return { db: drizzle({ client, ...common }) as unknown as Db, kind: 'pglite', close: () => client.close() };
}

export async function migrate(database: Database): Promise<void> {
  if (database.kind === 'postgres') {
    const { migrate } = await import('drizzle-orm/postgres-js/migrator');
    await migrate(database.db as never, { migrationsFolder });
  } else {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(database.db as never, { migrationsFolder });
  }
}

/**
 * A statement whose SQL text is built once. `build` writes it with `sql.placeholder(name)` for every
 * value; the text is compiled at its first use and each call only fills in `values`. It runs exactly as
 * `db.execute` does (the driver's prepared query, the tests' counting logger), minus rebuilding the text
 * from nested templates on every request, which the CPU profile of a list page put at about 6 % of its
 * server time. For the hot reads (the session, the subscription list); a statement whose shape depends on
 * its input takes one per shape.
 */
export function statement<T, V extends Record<string, unknown>>(build: () => SQL): (db: Queryable, values: V) => Promise<T[]> {
  let query: Query | undefined;
  return async (db, values) => {
    const { session, dialect } = db as unknown as { session: PgSession; dialect: PgDialect };
    query ??= dialect.sqlToQuery(build());
    const result = (await session.prepareQuery(query, undefined, undefined, false).execute(values)) as T[] | { rows: T[] };
    return Array.isArray(result) ? result : result.rows;
  };
}

/**
 * A page's LIMIT: its rows and one more (which tells whether there is a next page), written into the
 * statement's text. As a parameter, PostgreSQL's generic plan could not know the page was small and the
 * statement was planned afresh at every execution (decision 094).
 */
export const pageLimit = (pageSize: number): SQL => sql.raw(String(pageSize + 1));

/**
 * A read whose SQL depends on the shape of its input (sort, filters, cursor): one `statement` (or
 * `sessionRead`) per shape, made when first needed.
 */
export function statementPerShape<S extends Record<string, string | boolean>, T>(make: (shape: S) => T): (shape: S) => T {
  const made = new Map<string, T>();
  return (shape) => {
    const key = JSON.stringify(shape);
    let found = made.get(key);
    if (found === undefined) made.set(key, (found = make(shape)));
    return found;
  };
}

/** Raw SQL rows, the same shape on both drivers (postgres.js returns an array, PGlite `{rows}`). */
export async function rows<T>(db: Queryable, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

/** An ILIKE pattern matching `q` anywhere, its own `%`, `_` and `\` taken literally. */
export const containsPattern = (q: string) => `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
