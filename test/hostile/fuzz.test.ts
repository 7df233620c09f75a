/**
 * Hostile input over every route of the access table (issue 7): each form field (the row's own and every
 * field of the app's forms that post to it) and each query parameter gets at least 200 generated values
 * per run on PostgreSQL and 50 on the embedded database (CI runs both: 250 each), sent by a caller whose role reaches the handler. Never a 5xx, never the input echoed unescaped,
 * and a refused request (4xx) leaves the main tables as they were. Seeded: FUZZ_SEED=<n> replays a run.
 */
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows as dbRows } from '../../src/db/client.ts';
import { UUID } from '../../src/http/cursor.ts';
import { callers, type AccessRow, type Caller } from '../access/types.ts';
import { createTestApp, type Client, type TestApp } from '../support/app.ts';

const tables = import.meta.glob<{ rows: AccessRow[] }>('../access/*.rows.ts', { eager: true });
const accessRows = Object.values(tables).flatMap((m) => m.rows);

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
// PGlite answers the same requests about five times slower; the embedded pass runs a quarter of the values
// so CI (which runs both) stays within its 20 minutes.
const PER_FIELD = process.env.DATABASE_URL ? 200 : 50;
/** Runs per route; every field gets a generated value in each (plausible ones among them reach deeper code). */
const RUNS = PER_FIELD;

/** Query parameters each list reads (from the routes' query schemas). */
const queryParams: Record<string, string[]> = {
  '/signin': ['next'],
  '/signup': ['next'],
  '/signin/two-step': ['next'],
  '/activity': ['partner', 'action', 'before'],
  '/activity.csv': ['partner', 'action', 'before'],
  '/activity/verify': ['from'],
  '/users': ['after'],
  '/partners': ['q', 'product', 'country', 'after', 'checkout'],
  '/subscriptions': ['sort', 'dir', 'after'],
  '/portal': ['q', 'after'],
  '/portal/links': ['after'],
  '/dev/mailbox': ['before'],
  '/checkout/:id': ['step', 'partnerId'],
  '/settings/partner-relationships': ['after'],
  [`/settings/partner-relationships/partners/:id{${UUID}}/ended`]: ['after'],
  [`/portal/customers/:id{${UUID}}`]: ['after'],
  '/subscriptions/:id': ['partnerId'],
};

/** Cursors of the lists' own shape whose key holds a NUL, another control character or a lone surrogate (issue 23). */
const controlCursors = ['\u0000', 'Adatum\u0000', 'a\u0001b', '\u007f', '\u0085', '\ud800', '2026-01-01 00:00:00\u0000+00'].map((k) =>
  Buffer.from(JSON.stringify([k, '00000000-0000-0000-0000-000000000000'])).toString('base64url'),
);

const nasty = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'; drop table users; --",
  '\u0000',
  'a\u0000b',
  '%00',
  '%zz',
  '\ud800',
  '\u202e\u0301',
  '../../etc/passwd',
  '//evil.example',
  '/\t/evil.example',
  'javascript:alert(1)',
  '-1',
  '99999999999999999999',
  '1e309',
  'NaN',
  '2026-02-30T25:61:00Z',
  '00000000-0000-0000-0000-000000000000',
  '["not-a-date","00000000-0000-0000-0000-000000000000"]',
  'x'.repeat(5000),
  '',
  ' ',
  ...controlCursors,
];
/** A tag the check below can recognise when it comes back unescaped. */
const markers = ['<pd-x>', '<svg/onload=1>', '"pd"<b>'];
const hostile = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom(...nasty) },
  { weight: 2, arbitrary: fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom(...markers), fc.string({ maxLength: 10 })).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.oneof(fc.uuid().map(String), fc.integer().map(String), fc.double().map(String), fc.string({ unit: 'grapheme', maxLength: 200 })) },
);

/** Row counts and versions of the tables a request could change (not sessions or rate-limit counters). */
const snapshot = sql`select (select count(*) from organizations) o, (select count(*) from users) u,
  (select coalesce(sum(length(name) + length(email) + length(coalesce(view::text, ''))), 0) from users) uv,
  (select count(*) from partners) p, (select count(*) from subscriptions) s, (select coalesce(sum(version), 0) from subscriptions) sv,
  (select count(*) from partner_relationships) r, (select count(*) from partner_relationships where status = 'active') ra,
  (select count(*) from invitations) i, (select count(*) from audit_log) a, (select count(*) from outbox) m, (select count(*) from checkouts) c`;

const preference: Caller[] = ['global', 'partner', 'billing', 'user', 'otherOrg', 'anon'];
/** The first caller the table lets through to the handler (not sent to sign in, not refused by role). */
function callerFor(row: AccessRow): Caller | null {
  return preference.find((c) => row.expect[c] !== 'signin' && row.expect[c] !== 403 && row.expect[c] !== 404) ?? null;
}

let t: TestApp;
const clients = new Map<Caller, Client>();
/** Field names of the app's forms, by the path they post to. */
const formFields = new Map<string, Set<string>>();

beforeAll(async () => {
  t = await createTestApp();
  clients.set('anon', t.client());
  const emails = t.fx.emails as Record<string, string>;
  for (const c of callers) if (c !== 'anon') clients.set(c, await t.signedIn(emails[c]));
  for (const row of accessRows.filter((r) => r.method === 'GET')) {
    for (const who of ['global', 'partner'] as const) {
      const page = await clients.get(who)!.get(row.url?.(t.fx) ?? row.path);
      for (const [, action, body] of page.text.matchAll(/<form\b[^>]*\baction="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)) {
        const names = formFields.get(action.split('?')[0]) ?? new Set<string>();
        for (const [, name] of body.matchAll(/\bname="([^"]+)"/g)) if (name !== '_csrf') names.add(name);
        formFields.set(action.split('?')[0], names);
      }
    }
  }
}, 120_000);
afterAll(() => t?.close());

const targets = accessRows
  .filter((row) => !row.fresh && callerFor(row))
  .map((row) => ({ row, caller: callerFor(row)! }))
  .filter(({ row }) => row.method === 'POST' || queryParams[row.path]);

describe(`hostile input (seed ${SEED})`, () => {
  it.each(targets.map((x) => [`${x.row.method} ${x.row.path} as ${x.caller}`, x] as const))(
    '%s',
    async (_name, { row, caller }) => {
      const url = row.url?.(t.fx) ?? row.path;
      const base = row.form?.(t.fx) ?? {};
      const fields = row.method === 'GET' ? queryParams[row.path] : [...new Set([...Object.keys(base), ...(formFields.get(url) ?? [])])];
      if (fields.length === 0) return;
      const client = clients.get(caller)!;
      const counts = new Map(fields.map((f) => [f, 0]));
      let before = row.method === 'POST' ? JSON.stringify(await dbRows(t.db, snapshot)) : '';
      const arb = fc.record(Object.fromEntries(fields.map((f) => [f, hostile.map((v) => ({ v }))])));
      // A GET changes nothing by design; the database is compared around the writes only.
      const writes = row.method === 'POST';
      try {
        await fc.assert(
          fc.asyncProperty(arb, async (values) => {
            const sent: Record<string, string | string[]> = { ...base };
            for (const [f, h] of Object.entries(values)) {
              if (h) {
                sent[f] = h.v;
                counts.set(f, counts.get(f)! + 1);
              }
            }
            let res;
            if (row.method === 'GET') {
              const q = new URLSearchParams(Object.entries(sent).map(([k, v]) => [k, String(v)]));
              res = await client.get(`${url}${url.includes('?') ? '&' : '?'}${q}`);
            } else {
              res = await client.post(url, sent);
            }
            expect(res.status, `status for ${JSON.stringify(sent)}`).toBeLessThan(500);
            for (const v of Object.values(sent).flat()) {
              if (/<[a-zA-Z!/?]|"[^"]*>/.test(v)) expect(res.text.includes(v), `echoed unescaped: ${JSON.stringify(v)}`).toBe(false);
            }
            if (!writes) return;
            const after = JSON.stringify(await dbRows(t.db, snapshot));
            if (res.status >= 400) expect(after, `database changed by a refused ${res.status}`).toBe(before);
            before = after;
          }),
          { seed: SEED + row.path.length, numRuns: RUNS, endOnFailure: true },
        );
      } catch (e) {
        throw new Error(`hostile input failed; replay with FUZZ_SEED=${SEED}\n${(e as Error).message}`, { cause: e });
      }
      for (const [f, n] of counts) expect(n, `hostile values sent in ${f}`).toBeGreaterThanOrEqual(PER_FIELD);
    },
    120_000,
  );
});
