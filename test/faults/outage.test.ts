/**
 * The database stopped hard for 5 s under load (finding 1 of issue 7): the process lives, every request
 * during the outage gets the 503 page within 2 s, /readyz says 503, pages serve again within 1 s of the
 * database's return without a restart, and every committed change has its audit and outbox rows.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.tsx';
import { loadAssets } from '../../src/assets/manifest.ts';
import { migrate, openDatabase, rows, type Database } from '../../src/db/client.ts';
import { DEMO_PASSWORD, seedDemo } from '../../src/seed/seed.ts';
import { parseEnv } from '../../src/env.ts';
import { fixtures, type Fixtures } from '../support/fixtures.ts';
import { findPostgresBin, startThrowawayPostgres, type ThrowawayPostgres } from './throwaway-postgres.ts';

const found = findPostgresBin();
const skipReason = 'reason' in found ? `skipped: ${found.reason}` : '';
if (skipReason) console.warn(`[faults] database outage test ${skipReason}`);

/** A cookie-keeping client over real HTTP, as a browser talks to the server. */
class HttpClient {
  cookies = new Map<string, string>();
  constructor(private base: string) {}
  async send(path: string, init: RequestInit = {}): Promise<{ status: number; ms: number; text: string }> {
    const started = performance.now();
    const headers = new Headers(init.headers);
    headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(this.base + path, { ...init, headers, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(';')[0];
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (value) this.cookies.set(name, value);
    }
    const text = await res.text();
    return { status: res.status, ms: performance.now() - started, text };
  }
  post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    const body = new URLSearchParams({ _csrf: this.cookies.get('pd_csrf') ?? '', ...form });
    return this.send(path, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  }
}

/** The partners' e-mails about Contoso's partner of record (one per change). */
const partnerMails = sql`select count(*)::int as n from outbox where subject like '%Contoso%' and to_address in (select contact_email from partners)`;

interface Sample {
  at: number;
  status: number;
  ms: number;
  text: string;
  kind: 'page' | 'write' | 'htmx';
}

describe.skipIf(!!skipReason)('a hard database outage under load', () => {
  let pg: ThrowawayPostgres;
  let database: Database;
  let server: ServerType;
  let base: string;
  let fx: Fixtures;
  const crashes: unknown[] = [];
  const onCrash = (e: unknown) => crashes.push(e);

  beforeAll(async () => {
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    pg = await startThrowawayPostgres((found as { bin: string }).bin);
    database = await openDatabase({ url: pg.url, poolSize: 4 });
    await migrate(database);
    await seedDemo(database.db);
    fx = await fixtures(database.db);
    const app = createApp({ db: database.db, env: parseEnv({ NODE_ENV: 'test' }), assets: loadAssets() });
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    server?.close();
    await database?.close().catch(() => {});
    pg?.destroy();
  });

  it('answers 503 fast during it, recovers within a second after it, and loses nothing committed', async () => {
    const admin = new HttpClient(base);
    await admin.send('/signin');
    expect((await admin.post('/signin', { email: fx.emails.global, password: DEMO_PASSWORD })).status).toBe(303);
    const [{ version: v0 }] = await rows<{ version: number }>(database.db, sql`select version from subscriptions where id = ${fx.contosoTrialSub}`);
    const [{ n: mails0 }] = await rows<{ n: number }>(database.db, partnerMails);

    const samples: Sample[] = [];
    let running = true;
    let toggle = 0;
    const reader = async (path: string, headers: Record<string, string> = {}, kind: Sample['kind'] = 'page') => {
      while (running) {
        const at = performance.now();
        const r = await admin.send(path, { headers }).catch(() => ({ status: 0, ms: performance.now() - at, text: '' }));
        samples.push({ at, kind, ...r });
      }
    };
    const writer = async () => {
      while (running) {
        const at = performance.now();
        const form: Record<string, string> = toggle++ % 2 ? { action: 'remove' } : { action: 'add', partnerId: '1000001', confirm: '1' };
        const r = await admin.post(`/subscriptions/${fx.contosoTrialSub}/partner`, form).catch(() => ({ status: 0, ms: performance.now() - at, text: '' }));
        samples.push({ at, kind: 'write', ...r });
      }
    };
    const load = [reader('/'), reader('/subscriptions'), reader('/partners'), reader('/subscriptions', { 'hx-request': 'true' }, 'htmx'), writer(), writer()];

    await new Promise((r) => setTimeout(r, 2000));
    const before = samples.filter((s) => s.status === 200).length / 2;

    const down = performance.now();
    await pg.stopHard();
    const stopped = performance.now();
    await new Promise((r) => setTimeout(r, 1500));
    const readyDuring = await admin.send('/readyz');
    await new Promise((r) => setTimeout(r, 3500));
    const restarting = performance.now();
    await pg.start();
    const back = performance.now();

    let firstPage = Infinity;
    while (performance.now() - back < 5000) {
      const r = await admin.send('/subscriptions');
      if (r.status === 200) {
        firstPage = performance.now() - back;
        break;
      }
      await new Promise((res) => setTimeout(res, 20));
    }
    const recovered = performance.now();
    await new Promise((r) => setTimeout(r, 2000));
    const after = samples.filter((s) => s.at >= recovered && s.status === 200).length / 2;
    running = false;
    await Promise.all(load);

    expect(crashes, 'the process must not see an uncaught error').toEqual([]);
    expect(readyDuring.status).toBe(503);
    expect(readyDuring.ms, '/readyz during the outage, ms').toBeLessThan(2000);
    const outage = samples.filter((s) => s.at >= stopped + 100 && s.at + s.ms < restarting);
    expect(outage.length).toBeGreaterThan(10);
    expect(new Set(outage.map((s) => s.status)), 'answers during the outage').toEqual(new Set([503]));
    // Every request that arrived while the database was down (or on its way down or back up) is answered
    // within 2 s, including those answered after it came back (issue 23: one took 3.1 s).
    const during = samples.filter((s) => s.at >= down && s.at < back);
    const slowest = Math.max(...during.map((s) => s.ms));
    console.log(`[faults] ${during.length} answers from stop to restart, slowest ${Math.round(slowest)} ms`);
    expect(slowest, 'slowest answer from the stop to the restart, ms').toBeLessThan(2000);
    expect(outage.find((s) => s.kind === 'page')!.text).toContain('Temporarily unavailable');
    expect(outage.find((s) => s.kind === 'htmx')!.text).toMatch(/^<p class="notice notice-error" role="alert">Temporarily unavailable/);
    expect(
      samples.filter((s) => s.status >= 500 && s.status !== 503),
      'no 500, ever',
    ).toEqual([]);
    expect(
      samples.filter((s) => s.status === 0),
      'no dropped connection, ever',
    ).toEqual([]);
    expect(firstPage, 'ms from the database accepting connections to the first page').toBeLessThan(1000);
    expect(after, 'pages per second after the outage vs before').toBeGreaterThanOrEqual(before * 0.5);
    expect(down).toBeLessThan(stopped);

    // Every committed change of partner of record has its audit row and its partner's e-mail, and the
    // advisor relationship follows the subscription.
    const [{ version }] = await rows<{ version: number }>(database.db, sql`select version from subscriptions where id = ${fx.contosoTrialSub}`);
    const committed = version - v0;
    expect(committed).toBeGreaterThan(0);
    const [{ audits }] = await rows<{ audits: number }>(
      database.db,
      sql`select count(*)::int as audits from audit_log where target_id = ${fx.contosoTrialSub} and action like 'subscription.partner_of_record.%'`,
    );
    expect(audits).toBe(committed);
    const [{ n: mails }] = await rows<{ n: number }>(database.db, partnerMails);
    expect(mails - mails0).toBe(committed);
    const orphans = await rows(
      database.db,
      sql`select r.id from partner_relationships r where r.org_id = ${fx.contoso} and r.type = 'advisor' and r.status = 'active'
        and not exists (select 1 from subscriptions s where s.org_id = r.org_id and s.partner_org_id = r.partner_org_id)`,
    );
    expect(orphans).toEqual([]);
  }, 60_000);
});

if (skipReason) it.skip(`a hard database outage under load (${skipReason})`, () => {});

/**
 * A database host that does not answer at all (a network partition, a hung server: connections are
 * accepted and then nothing comes back), as opposed to one that refuses. Every answer within 2 s:
 * postgres.js gives each waiting statement a connection attempt of its own, so a statement queued behind
 * a first attempt that timed out waits for a second one (1.5 + 1.5 s: the 3.1 s of issue 23).
 */
describe('a database that does not answer', () => {
  it('answers every request, pages and /readyz, with 503 within 2 s, twice the pool size at once', async () => {
    const { createServer } = await import('node:net');
    const held: import('node:net').Socket[] = [];
    const silent = createServer((s) => held.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    const database = await openDatabase({ url: `postgres://nobody@127.0.0.1:${port}/none`, poolSize: 4 });
    const app = createApp({ db: database.db, env: parseEnv({ NODE_ENV: 'test' }), assets: loadAssets() });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const one = async (path: string) => {
        const started = performance.now();
        const res = await fetch(base + path, { headers: { cookie: 'pd_session=not-a-session' }, signal: AbortSignal.timeout(10_000) });
        await res.text();
        return { path, status: res.status, ms: performance.now() - started };
      };
      // A running server is warm: its first answers (compiling the pages) are not the outage's.
      expect((await fetch(`${base}/signin`)).status).toBe(200);
      const answers = await Promise.all([...Array(8)].map((_, i) => one(i % 2 ? '/readyz' : '/subscriptions')));
      console.log(`[faults] silent database: ${answers.map((a) => `${a.path} ${a.status} ${Math.round(a.ms)} ms`).join(', ')}`);
      expect(new Set(answers.map((a) => a.status))).toEqual(new Set([503]));
      expect(Math.max(...answers.map((a) => a.ms)), 'slowest answer, ms').toBeLessThan(2000);
    } finally {
      server.close();
      for (const s of held) s.destroy();
      silent.close();
      await database.close().catch(() => {});
    }
  }, 30_000);
});
