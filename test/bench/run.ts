/**
 * `npm run bench`: every key page of the real server against a hand-written plain page: its own twin
 * where the plain server has one (/subscriptions, /activity, /portal, the htmx fragment: plain*.ts, each
 * checked byte for byte first), else the plain /subscriptions. On real PostgreSQL, loaded by wrk,
 * alternating plain/page (A/B) over several rounds and quoting medians. Prints the machine's load before
 * and after.
 *
 * DATABASE_URL names the database; unset, postgres://root@127.0.0.1:5432/partnerdesk_bench (seeded with
 * `npm run seed` when it lacks the big data set). `--small` (or BENCH_SMALL=1) runs on the demo data in
 * partnerdesk_bench_small, shorter, and only reports: the CI's check that the bench still runs.
 *
 * Fails (exit 1, not with --small) when a page serves < 0.8 × the plain page's req/s or its p99 is over
 * 1.5 × the plain page's, a page answers errors, the server's RSS peaks over 256 MB, or garbage
 * collection takes 5 % or more of the server's CPU time. Knobs: BENCH_ROUNDS, BENCH_SECONDS,
 * BENCH_CONNECTIONS, BENCH_ONLY (comma-separated name prefixes).
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { RssSampler } from './proc.ts';
import { gcSnapshot, startApp, startPlain, stop, waitReady, type GcSnapshot, type Server } from './servers.ts';
import { browserHeaders, ensureDatabase, targets, type Target } from './setup.ts';
import { ensureWrk, wrk, type LoadResult } from './wrk.ts';
import { request } from './load.ts';
import http from 'node:http';
import { brotliDecompressSync } from 'node:zlib';
import postgres from 'postgres';

const small = process.argv.includes('--small') || process.env.BENCH_SMALL === '1';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (small ? 2 : 3));
const SECONDS = Number(process.env.BENCH_SECONDS ?? (small ? 2 : 5));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const MIN_RATIO = 0.8;
const MAX_P99_RATIO = 1.5;
const MAX_RSS = 256 * 1024 * 1024;
const MAX_GC = 0.05;

const log = (line = '') => process.stdout.write(`${line}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const loadavg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

interface Measured {
  target: Target;
  pairs: { plain: LoadResult; page: LoadResult }[];
  gc: GcSum;
  /** The plain server's GC over this page's plain runs: the GC target is absolute, this shows where the plain page stands. */
  plainGc: GcSum;
  wire: number;
  raw: number;
}

async function fetchPage(server: Server, t: Target) {
  const agent = new http.Agent({ keepAlive: false });
  const res = await request(agent, server.port, t.path, { headers: { ...browserHeaders, ...(t.cookie ? { cookie: t.cookie } : {}) } });
  const text = res.headers['content-encoding'] === 'br' ? brotliDecompressSync(res.body) : res.body;
  return { status: res.status, wire: res.body.length, raw: text.length, text: text.toString() };
}

/** The plain page must send what the app's page sends, byte for byte, or the comparison means nothing. */
async function checkSameBytes(app: Server, plain: Server, t: Target) {
  const [a, b] = await Promise.all([fetchPage(app, t), fetchPage(plain, t)]);
  if (a.text === b.text) return log(`The plain twin of ${t.path} sends the app's page byte for byte (${a.raw} bytes).`);
  if (a.status !== b.status) throw new Error(`the plain twin of ${t.path} answered ${b.status}, the app ${a.status}`);
  let i = 0;
  while (a.text[i] === b.text[i]) i++;
  const name = t.path.replace(/\W+/g, '-');
  writeFileSync(`${os.tmpdir()}/bench-app${name}.html`, a.text);
  writeFileSync(`${os.tmpdir()}/bench-plain${name}.html`, b.text);
  const message = `the plain twin of ${t.path} differs from the app's page at byte ${i} (both in ${os.tmpdir()}/bench-{app,plain}${name}.html):\n  app:   …${a.text.slice(Math.max(0, i - 80), i + 80)}\n  plain: …${b.text.slice(Math.max(0, i - 80), i + 80)}`;
  if (!small) throw new Error(message);
  log(`WARNING: ${message}`);
}

/**
 * The fragment's twin must make the same change and answer the same bytes: one add and one remove on
 * each server, compared (the hidden version differs, each server having moved the subscription on), and
 * the e-mail each add queued, compared too.
 */
async function checkSameFragment(app: Server, plain: Server, t: Target, url: string) {
  const { ids, csrf, partnerId } = t.toggle!;
  const agent = new http.Agent({ keepAlive: false });
  const db = postgres(url, { max: 1, onnotice: () => {} });
  const post = async (server: Server, form: string) => {
    const body = `_csrf=${csrf}&${form}`;
    const headers = { ...loadOf(server, t).headers, 'content-length': String(body.length) };
    const res = await request(agent, server.port, `/subscriptions/${ids[0]}/partner`, { method: 'POST', body, headers });
    const text = (res.headers['content-encoding'] === 'br' ? brotliDecompressSync(res.body) : res.body).toString();
    return `${res.status} ${text.replace(/name="version" value="\d+"/g, 'name="version" value="…"')}`;
  };
  const newestMail = async () => JSON.stringify(await db`select to_address, subject, body from outbox order by created_at desc, id desc limit 1`);
  try {
    const answers: Record<string, string[]> = { app: [], plain: [] };
    for (const server of [app, plain]) {
      answers[server.name].push(await post(server, `action=add&partnerId=${partnerId}&confirm=1`), await newestMail(), await post(server, 'action=remove'));
    }
    const differs = answers.app.findIndex((a, i) => a !== answers.plain[i]);
    if (differs < 0) return log(`The plain twin of the htmx fragment answers and mails as the app does (${answers.app[0].length} bytes).`);
    const message = `the plain twin of the htmx fragment differs from the app's (${['add', 'mail', 'remove'][differs]}):\n  app:   ${answers.app[differs].slice(0, 600)}\n  plain: ${answers.plain[differs].slice(0, 600)}`;
    if (!small) throw new Error(message);
    log(`WARNING: ${message}`);
  } finally {
    agent.destroy();
    await db.end();
  }
}

/** Both servers toggle the same subscriptions: the requests one run left queued finish before the next run starts. */
const settle = (t: Target) => (t.toggle ? new Promise((r) => setTimeout(r, 1000)) : undefined);

function loadOf(server: Server, t: Target) {
  const headers: Record<string, string> = { ...browserHeaders, ...(t.cookie ? { cookie: t.cookie } : {}) };
  if (t.toggle) Object.assign(headers, { 'hx-request': 'true', 'content-type': 'application/x-www-form-urlencoded' });
  return { port: server.port, path: t.path, headers, toggle: t.toggle };
}

async function main() {
  const url = process.env.DATABASE_URL || `postgres://root@127.0.0.1:5432/partnerdesk_bench${small ? '_small' : ''}`;
  if (!/^postgres(ql)?:\/\//.test(url))
    throw new Error('npm run bench needs DATABASE_URL=postgres://... (or unset, for the bench database on 127.0.0.1:5432).');
  ensureWrk(log);
  const cpus = os.cpus();
  log(
    `partnerdesk bench${small ? ' (small data, reporting only)' : ''}: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB, node ${process.version}`,
  );
  log(`Load average before: ${loadavg()}`);
  await ensureDatabase(url, small, log);

  const app = await startApp(url);
  let plain: Server | undefined;
  let sampler: RssSampler | undefined;
  try {
    await waitReady(app, '/readyz');
    sampler = new RssSampler(app.child.pid!);
    log(
      `App pid ${app.child.pid}, RSS at start ${(sampler.sample() / 2 ** 20).toFixed(0)} MB. wrk: 1 thread, ${CONNECTIONS} connections, ${ROUNDS} rounds × ${SECONDS} s per URL.`,
    );
    const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
    const every = await targets(app.port, url, small);
    const all = every.filter((t) => !only || only.some((o) => t.name.startsWith(o)));
    plain = await startPlain(url);
    await waitReady(plain, '/subscriptions');
    const baseline: Target = { name: 'plain /subscriptions', path: '/subscriptions', cookie: every[0].cookie };
    const plainSize = await fetchPage(plain, baseline);
    if (plainSize.status !== 200) throw new Error(`the plain page answered ${plainSize.status}`);
    await checkSameBytes(app, plain, baseline);
    for (const t of all.filter((t) => t.twin && t.path && !t.toggle)) await checkSameBytes(app, plain, t);
    const fragment = all.find((t) => t.toggle && t.path);
    if (fragment) await checkSameFragment(app, plain, fragment, url);

    const measured: Measured[] = [];
    const skipped: string[] = [];
    for (const t of all) {
      const size = t.path ? (t.toggle ? { status: 200, wire: 0, raw: 0 } : await fetchPage(app, t)) : { status: 404, wire: 0, raw: 0 };
      if (size.status !== 200) skipped.push(`${t.name}: ${t.path ? `answered ${size.status}` : 'missing'}${t.note ? ` (${t.note})` : ''}`);
      else measured.push({ target: t, pairs: [], gc: { gcMs: 0, cpuMs: 0 }, plainGc: { gcMs: 0, cpuMs: 0 }, wire: size.wire, raw: size.raw });
    }
    // A page with a plain twin (the htmx write, /activity, /portal) is measured against it; the others against the plain /subscriptions.
    const baselineOf = (t: Target) => (t.twin ? t : baseline);
    // Warm-up: JIT, connection pools and PostgreSQL's caches, for both servers.
    await wrk(loadOf(plain, baseline), CONNECTIONS, 1);
    for (const m of measured) {
      if (baselineOf(m.target) !== baseline) await wrk(loadOf(plain, m.target), CONNECTIONS, 1);
      await wrk(loadOf(app, m.target), CONNECTIONS, 1);
    }

    for (let round = 1; round <= ROUNDS; round++) {
      for (const m of measured) {
        const plainBefore = await gcSnapshot(plain);
        const a = await wrk(loadOf(plain, baselineOf(m.target)), CONNECTIONS, SECONDS);
        await settle(m.target);
        const plainAfter = await gcSnapshot(plain);
        m.plainGc.gcMs += plainAfter.gcMs - plainBefore.gcMs;
        m.plainGc.cpuMs += plainAfter.cpuMs - plainBefore.cpuMs;
        const before: GcSnapshot = await gcSnapshot(app);
        const b = await wrk(loadOf(app, m.target), CONNECTIONS, SECONDS);
        await settle(m.target);
        const after = await gcSnapshot(app);
        m.gc.gcMs += after.gcMs - before.gcMs;
        m.gc.cpuMs += after.cpuMs - before.cpuMs;
        m.pairs.push({ plain: a, page: b });
      }
      log(`  round ${round}/${ROUNDS} done (load ${loadavg()})`);
    }
    const peak = sampler.stop();
    // Let the requests still queued when wrk stopped finish before the servers are stopped.
    await new Promise((r) => setTimeout(r, 2000));
    report(measured, skipped, plainSize, peak);
  } finally {
    sampler?.stop();
    if (plain) await stop(plain);
    await stop(app);
  }
}

type GcSum = { gcMs: number; cpuMs: number };
/** GC time as a share of CPU time (0 with no CPU time), and the sum of several runs' times. */
const share = (x: GcSum) => (x.cpuMs ? x.gcMs / x.cpuMs : 0);
const total = (sums: GcSum[]) => sums.reduce((a, x) => ({ gcMs: a.gcMs + x.gcMs, cpuMs: a.cpuMs + x.cpuMs }), { gcMs: 0, cpuMs: 0 });

function report(measured: Measured[], skipped: string[], plainSize: { wire: number; raw: number }, peak: number) {
  const problems: string[] = [];
  const cols = `${'page'.padEnd(34)} ${'req/s'.padStart(6)} ${'p50'.padStart(6)} ${'p99'.padStart(6)} ${'plain'.padStart(6)} ${'pl.p99'.padStart(6)} ${'×req/s'.padStart(6)} ${'×p99'.padStart(5)} ${'GC%'.padStart(5)} ${'pl.GC'.padStart(5)} ${'KB'.padStart(9)}`;
  log(
    `\nMedians over the rounds; "plain" is the plain page measured just before each run (the plain /subscriptions, or the page's own plain twin); ms; GC % of each server's CPU time; KB = brotli/raw.\n${cols}`,
  );
  const allPlain = measured.filter((m) => !m.target.twin).flatMap((m) => m.pairs.map((p) => p.plain));
  for (const m of measured) {
    const page = m.pairs.map((p) => p.page);
    const ratio = median(m.pairs.map((p) => p.page.rps / p.plain.rps));
    const p99Ratio = median(m.pairs.map((p) => p.page.p99 / p.plain.p99));
    const gc = share(m.gc);
    const errors = page.reduce((n, r) => n + r.errors, 0);
    const refused = page.reduce((n, r) => n + r.refused, 0);
    const misses: string[] = [];
    if (ratio < MIN_RATIO) misses.push(`${ratio.toFixed(2)}× req/s < ${MIN_RATIO}×`);
    if (p99Ratio > MAX_P99_RATIO) misses.push(`p99 ${p99Ratio.toFixed(2)}× > ${MAX_P99_RATIO}×`);
    if (errors) misses.push(`${errors} errors`);
    if (gc >= MAX_GC) misses.push(`GC ${(gc * 100).toFixed(1)} % ≥ ${MAX_GC * 100} %`);
    problems.push(...misses.map((x) => `${m.target.name}: ${x}`));
    const kb = m.raw ? `${(m.wire / 1024).toFixed(1)}/${(m.raw / 1024).toFixed(1)}` : '-';
    log(
      `${m.target.name.padEnd(34)} ${median(page.map((r) => r.rps))
        .toFixed(0)
        .padStart(6)} ${median(page.map((r) => r.p50))
        .toFixed(1)
        .padStart(6)} ` +
        `${median(page.map((r) => r.p99))
          .toFixed(1)
          .padStart(6)} ${median(m.pairs.map((p) => p.plain.rps))
          .toFixed(0)
          .padStart(6)} ` +
        `${median(m.pairs.map((p) => p.plain.p99))
          .toFixed(1)
          .padStart(6)} ${ratio.toFixed(2).padStart(6)} ${p99Ratio.toFixed(2).padStart(5)} ` +
        `${(gc * 100).toFixed(1).padStart(5)} ${(share(m.plainGc) * 100).toFixed(1).padStart(5)} ${kb.padStart(9)}  ${misses.length ? `MISS ${misses.join(', ')}` : 'ok'}${m.target.note ? ` (${m.target.note})` : ''}${m.target.twin ? ' (against its plain twin)' : ''}${refused ? ` (${refused} out-of-step removals refused: 422)` : ''}`,
    );
  }
  for (const s of skipped) log(`${s.padEnd(34)} not measured`);
  if (allPlain.length)
    log(
      `\nplain /subscriptions over all runs: median ${median(allPlain.map((r) => r.rps)).toFixed(0)} req/s, p99 ${median(allPlain.map((r) => r.p99)).toFixed(1)} ms, ${(plainSize.wire / 1024).toFixed(1)}/${(plainSize.raw / 1024).toFixed(1)} KB; the plain server's GC ${(share(total(measured.map((m) => m.plainGc))) * 100).toFixed(1)} % of its CPU time`,
    );
  const gcShare = share(total(measured.map((m) => m.gc)));
  log(
    `App server: peak RSS ${(peak / 2 ** 20).toFixed(0)} MB (limit ${MAX_RSS / 2 ** 20}), GC ${(gcShare * 100).toFixed(1)} % of its CPU time (limit ${MAX_GC * 100} %)`,
  );
  if (peak > MAX_RSS) problems.push(`peak RSS ${(peak / 2 ** 20).toFixed(0)} MB > ${MAX_RSS / 2 ** 20} MB`);
  if (gcShare >= MAX_GC) problems.push(`GC ${(gcShare * 100).toFixed(1)} % of CPU`);
  log(`Load average after: ${loadavg()} (${os.cpus().length} cores; above that, other work shared the machine and the figures are noisy)`);
  if (problems.length === 0) return log('\nBench passed.');
  log(`\nBENCH ${small ? 'MISSED (reporting only, --small)' : 'FAILED'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  if (!small) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
