/**
 * `npm run bench`: load-tests the real server on real PostgreSQL with the large data set.
 *
 * DATABASE_URL names the database; unset, it is postgres://root@127.0.0.1:5432/partnerdesk_bench.
 * A database that does not exist is created, and one without the large data set is seeded first
 * (`npm run seed`, a couple of minutes). The server runs as a child process (`node dist/server.js`, as `npm start` runs it,
 * NODE_ENV=production); this process signs in and sends 50 concurrent keep-alive connections at
 * /readyz (the baseline: one database round trip) and at each key page for a fixed time, only to
 * 127.0.0.1. A page not built yet (404) is reported as missing and skipped.
 *
 * Fails (exit 1) when a page serves fewer than 0.35 × the requests/s of /readyz, a URL's p99 latency
 * is over 50 ms, a URL answers with errors, or the server's peak RSS is over 200 MB. /readyz is measured
 * at the start and again at the end; the ratios use the mean of both, and a spread over 25% is reported.
 *
 * Knobs: BENCH_SECONDS (measured seconds per URL, default 6), BENCH_CONNECTIONS (default 50),
 * BENCH_ONLY (comma-separated names, e.g. "/readyz,/subscriptions").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { DEMO_PASSWORD } from '../../src/db/seed.ts';
import { MARKER_ORG } from '../../src/db/seed-large.ts';
import { load, request, type LoadResult } from './load.ts';
import { RssSampler, serverProcess } from './proc.ts';

const DEFAULT_URL = 'postgres://root@127.0.0.1:5432/partnerdesk_bench';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const WARMUP_MS = 1000;
const MIN_RATIO = 0.35;
const MAX_P99_MS = 50;
const MAX_RSS = 200 * 1024 * 1024;
/** Pages followed through the subscription list's "next" links to reach a deep page. */
const DEEP_PAGES = 100;
const root = fileURLToPath(new URL('../..', import.meta.url));

const browserHeaders = { 'accept-language': 'en', 'accept-encoding': 'br, gzip', accept: 'text/html' };

function log(line = '') {
  process.stdout.write(`${line}\n`);
}

async function ensureDatabase(url: string) {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const server = new URL(url);
  server.pathname = '/postgres';
  const admin = postgres(server.toString(), { max: 1, onnotice: () => {} });
  try {
    const found = await admin`select 1 from pg_database where datname = ${name}`;
    if (found.length === 0) {
      log(`Creating database ${name}.`);
      await admin.unsafe(`create database "${name.replaceAll('"', '""')}"`);
    }
  } finally {
    await admin.end();
  }
  const db = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [{ seeded }] = await db`select to_regclass('public.organizations') is not null
      and exists (select 1 from organizations where name = ${MARKER_ORG}) as seeded`;
    if (!seeded) {
      log('The large data set is missing: seeding it (npm run seed) ...');
      await run('npx', ['tsx', 'src/db/seed-large.ts'], { DATABASE_URL: url });
    }
  } finally {
    await db.end();
  }
}

function run(cmd: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function startServer(port: number, url: string): ChildProcess {
  // Exactly what `npm start` runs (its node flags included), so the benchmark measures the real server.
  const [, ...args] = (JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, PORT: String(port), DATABASE_URL: url, NODE_ENV: 'production', PUBLIC_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout!.on('data', () => {});
  child.stderr!.on('data', (chunk: Buffer) => {
    const text = chunk.toString().split('\n').filter((l) => l && !l.startsWith('npm warn'));
    if (text.length) process.stderr.write(text.map((l) => `[server] ${l}\n`).join(''));
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`The server exited unexpectedly (${signal ?? `code ${code}`}).`);
      process.exit(1);
    }
  });
  return child;
}

let stopping = false;

async function stopServer(child: ChildProcess) {
  stopping = true;
  if (child.exitCode !== null || !child.pid) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}

async function waitReady(agent: http.Agent, port: number, child: ChildProcess) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      if ((await request(agent, port, '/readyz')).status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the server did not become ready within 60 s');
}

function cookiesFrom(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of headers['set-cookie'] ?? []) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

/** GET /signin for the CSRF cookie, POST the form: the Cookie header of a signed-in browser. */
async function signIn(agent: http.Agent, port: number, email: string): Promise<string> {
  const page = await request(agent, port, '/signin', { headers: browserHeaders });
  const csrf = cookiesFrom(page.headers).pd_csrf;
  if (!csrf) throw new Error('GET /signin set no pd_csrf cookie');
  const body = new URLSearchParams({ email, password: DEMO_PASSWORD, _csrf: csrf, next: '/' }).toString();
  const res = await request(agent, port, '/signin', {
    method: 'POST',
    body,
    headers: { ...browserHeaders, cookie: `pd_csrf=${csrf}`, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) },
  });
  const session = cookiesFrom(res.headers).pd_session;
  if (res.status !== 303 || !session) throw new Error(`signing in as ${email} failed: status ${res.status}`);
  return `pd_csrf=${csrf}; pd_session=${session}`;
}

async function decompressed(res: { headers: http.IncomingHttpHeaders; body: Buffer }): Promise<string> {
  const zlib = await import('node:zlib');
  const enc = res.headers['content-encoding'];
  const raw = enc === 'br' ? zlib.brotliDecompressSync(res.body) : enc === 'gzip' ? zlib.gunzipSync(res.body) : res.body;
  return raw.toString('utf8');
}

/** The list's "next page" link: rel="next" first, else a link back to the list carrying a cursor. */
function nextLink(html: string, listPath: string): string | null {
  const anchors = html.match(/<a\b[^>]*>/g) ?? [];
  const href = (tag: string) => tag.match(/\bhref="([^"]*)"/)?.[1]?.replaceAll('&amp;', '&') ?? null;
  const rel = anchors.find((a) => /\brel="[^"]*\bnext\b/.test(a));
  if (rel) return href(rel);
  const cursor = anchors.map(href).find((h) => h && h.startsWith(`${listPath}?`) && /[?&](after|cursor|from|next)=/.test(h));
  return cursor ?? null;
}

interface Target {
  name: string;
  path: string;
  cookie?: string;
  note?: string;
}

async function main() {
  const url = process.env.DATABASE_URL || DEFAULT_URL;
  if (!/^postgres(ql)?:\/\//.test(url)) {
    console.error('npm run bench needs DATABASE_URL=postgres://... (or unset, for postgres://root@127.0.0.1:5432/partnerdesk_bench).');
    process.exit(1);
  }
  const shown = new URL(url);
  shown.password = shown.password ? '***' : '';
  log(`partnerdesk bench on ${shown}${process.env.DATABASE_URL ? '' : ' (DATABASE_URL unset: the default bench database)'}`);
  await ensureDatabase(url);

  const port = await freePort();
  const child = startServer(port, url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  let sampler: RssSampler | undefined;
  let failed = false;
  try {
    await waitReady(agent, port, child);
    const pid = serverProcess(child.pid!, 'dist/server.js');
    sampler = new RssSampler(pid);
    log(`Server pid ${pid} on 127.0.0.1:${port}, NODE_ENV=production, RSS at start ${(sampler.sample() / 1024 / 1024).toFixed(0)} MB.`);
    log(`Load: ${CONNECTIONS} connections, ${SECONDS} s per URL after ${WARMUP_MS / 1000} s warm-up.`);

    const contoso = await signIn(agent, port, 'admin@contoso.example');
    const northwind = await signIn(agent, port, 'partner@northwind.example');

    const db = postgres(url, { max: 1, onnotice: () => {} });
    // A subscription from the middle of Contoso's list (an old one: nothing cached about it).
    const [deep] = await db`with org as (select org_id from users where lower(email) = 'admin@contoso.example')
      select (select s.id from subscriptions s, org where s.org_id = org.org_id
                order by s.created_at desc, s.id desc offset 50000 limit 1) as id,
             (select count(*) from subscriptions s, org where s.org_id = org.org_id) as total`;
    await db.end();

    const targets: Target[] = [
      { name: '/readyz', path: '/readyz' },
      { name: '/', path: '/', cookie: contoso },
      { name: '/subscriptions', path: '/subscriptions', cookie: contoso, note: `Contoso, ${Number(deep.total).toLocaleString('en')} subscriptions` },
      { name: '/subscriptions?after=(deep)', path: '', cookie: contoso },
      { name: '/subscriptions/:id', path: `/subscriptions/${deep.id}`, cookie: contoso },
      { name: '/partners', path: '/partners', cookie: contoso },
      { name: '/purchase', path: '/purchase', cookie: contoso },
      { name: '/settings/partner-relationships', path: '/settings/partner-relationships', cookie: contoso },
      { name: '/activity', path: '/activity', cookie: contoso },
      { name: '/portal', path: '/portal', cookie: northwind, note: 'as partner@northwind.example' },
    ];

    // The deep page: follow the list's own "next" links, whatever its cursor looks like.
    const deepTarget = targets.find((t) => t.name.includes('(deep)'))!;
    const firstPage = await request(agent, port, '/subscriptions', { headers: { ...browserHeaders, cookie: contoso } });
    if (firstPage.status === 200) {
      let html = await decompressed(firstPage);
      let link = nextLink(html, '/subscriptions');
      let hops = 0;
      const started = performance.now();
      while (link && hops < DEEP_PAGES) {
        const page = await request(agent, port, link, { headers: { ...browserHeaders, cookie: contoso } });
        if (page.status !== 200) break;
        deepTarget.path = link;
        hops++;
        html = await decompressed(page);
        link = nextLink(html, '/subscriptions');
      }
      if (hops > 0) {
        deepTarget.name = `/subscriptions (page ${hops + 1})`;
        deepTarget.note = `${deepTarget.path.slice(0, 60)}; ${hops} next-page clicks in ${((performance.now() - started) / 1000).toFixed(1)} s`;
      } else deepTarget.note = 'no next-page link on /subscriptions';
    } else deepTarget.note = '/subscriptions missing';

    const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
    const results: { target: Target; result?: LoadResult; status?: number; bytes?: number }[] = [];
    for (const target of targets) {
      if (only && target.name !== '/readyz' && !only.some((o) => target.name.startsWith(o))) continue;
      if (!target.path) {
        results.push({ target });
        log(`  ${target.name.padEnd(34)} missing (${target.note})`);
        continue;
      }
      const headers = { ...browserHeaders, ...(target.cookie ? { cookie: target.cookie } : {}) };
      const probe = await request(agent, port, target.path, { headers });
      if (probe.status === 404) {
        results.push({ target, status: 404 });
        log(`  ${target.name.padEnd(34)} missing (404: not built yet)`);
        continue;
      }
      if (probe.status !== 200) {
        results.push({ target, status: probe.status });
        log(`  ${target.name.padEnd(34)} answered ${probe.status} instead of 200: not measured`);
        continue;
      }
      const result = await load({ port, path: target.path, headers, connections: CONNECTIONS, warmupMs: WARMUP_MS, durationMs: SECONDS * 1000 });
      results.push({ target, result, status: 200, bytes: probe.body.length });
      log(`  ${target.name.padEnd(34)} ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50.toFixed(1)} ms  p99 ${result.p99.toFixed(1)} ms  errors ${result.errors}`);
    }
    // The baseline again at the end: on a shared machine the two runs show how steady the numbers are.
    const again = await load({ port, path: '/readyz', headers: browserHeaders, connections: CONNECTIONS, warmupMs: WARMUP_MS, durationMs: SECONDS * 1000 });
    results.push({ target: { name: '/readyz (again, at the end)', path: '/readyz' }, result: again, status: 200, bytes: 5 });
    const peak = sampler.stop();

    const first = results.find((r) => r.target.name === '/readyz')?.result;
    if (!first || first.requests === 0) throw new Error('/readyz could not be measured');
    // Pages are compared with the mean of the two baseline runs.
    const baseline = { ...first, rps: (first.rps + again.rps) / 2 };
    const spread = Math.abs(first.rps - again.rps) / Math.max(first.rps, again.rps);
    log('');
    log(`${'URL'.padEnd(34)} ${'req/s'.padStart(7)} ${'×readyz'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'errors'.padStart(7)} ${'KB'.padStart(6)}  verdict`);
    const problems: string[] = [];
    for (const { target, result, status, bytes } of results) {
      if (!result) {
        const why = status === undefined || status === 404 ? 'missing' : `status ${status}`;
        if (status !== undefined && status !== 404) problems.push(`${target.name}: answered ${status}`);
        log(`${target.name.padEnd(34)} ${'-'.padStart(7)} ${'-'.padStart(8)} ${'-'.padStart(7)} ${'-'.padStart(7)} ${'-'.padStart(7)} ${'-'.padStart(6)}  ${why}${target.note ? ` (${target.note})` : ''}`);
        continue;
      }
      const ratio = result.rps / baseline.rps;
      const misses: string[] = [];
      if (!target.name.startsWith('/readyz') && ratio < MIN_RATIO) misses.push(`${ratio.toFixed(2)}× < ${MIN_RATIO}×`);
      if (result.p99 > MAX_P99_MS) misses.push(`p99 ${result.p99.toFixed(0)} ms > ${MAX_P99_MS} ms`);
      if (result.errors > 0) misses.push(`${result.errors} errors ${JSON.stringify(result.statuses)}`);
      for (const m of misses) problems.push(`${target.name}: ${m}`);
      log(
        `${target.name.padEnd(34)} ${result.rps.toFixed(0).padStart(7)} ${ratio.toFixed(2).padStart(8)} ${result.p50.toFixed(1).padStart(7)} ` +
          `${result.p99.toFixed(1).padStart(7)} ${String(result.errors).padStart(7)} ${((bytes ?? 0) / 1024).toFixed(1).padStart(6)}  ` +
          `${misses.length ? `FAIL ${misses.join(', ')}` : 'ok'}${target.note ? ` (${target.note})` : ''}`,
      );
    }
    log(`\n/readyz baseline: ${first.rps.toFixed(0)} req/s at the start, ${again.rps.toFixed(0)} at the end (ratios use the mean, ${baseline.rps.toFixed(0)})`);
    if (spread > 0.25) log(`WARNING: the baseline moved by ${(spread * 100).toFixed(0)}% during the run: the machine is busy with other work, numbers are noisy.`);
    const rssMb = peak / 1024 / 1024;
    log(`\nServer peak RSS: ${rssMb.toFixed(0)} MB (limit ${MAX_RSS / 1024 / 1024} MB)`);
    if (peak > MAX_RSS) problems.push(`server peak RSS ${rssMb.toFixed(0)} MB > ${MAX_RSS / 1024 / 1024} MB`);
    if (problems.length) {
      failed = true;
      log(`\nBENCH FAILED:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    } else log('\nBench passed.');
  } finally {
    sampler?.stop();
    agent.destroy();
    await stopServer(child);
  }
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
