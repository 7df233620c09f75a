/**
 * `npm run bench:ab -- dist/a.js dist/b.js [page names, or prefixes ending in *]`: two builds of the server, A and B, on
 * the bench's database, alternately loaded by wrk (A then B, then B then A, ...) on the same key pages,
 * each with `npm start`'s node flags. It prints each page's median req/s and p99 for both, the median of
 * the per-pair ratios B/A and in how many pairs B served more. How a change's worth is judged on a
 * shared, noisy machine (docs/performance.md): alternate, repeat, compare medians.
 * A build is `dist/server.js` with the chunks it imports (`dist/chunk-<hash>.js`, decision 115); builds
 * leave earlier chunks in place, so a copied `server.js` still finds its own.
 * Knobs: BENCH_ROUNDS (6), BENCH_SECONDS (5), BENCH_CONNECTIONS (50), DATABASE_URL.
 */
import { copyFileSync } from 'node:fs';
import http from 'node:http';
import { brotliDecompressSync } from 'node:zlib';
import { request } from './load.ts';
import { browserHeaders, ensureDatabase, targets, type Target } from './setup.ts';
import { freePort, gcSnapshot, launch, root, startCommand, stop, waitReady, type Server } from './servers.ts';
import { ensureWrk, wrk, type LoadResult } from './wrk.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const log = (line = '') => process.stdout.write(`${line}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function start(name: string, bundle: string, url: string): Promise<Server> {
  // Beside dist/server.js, so the bundle finds public/ and drizzle/ as the server does.
  const file = `${root}dist/ab-${name}.js`;
  copyFileSync(bundle, file);
  const port = await freePort();
  const server = launch(name, [...startCommand().flags, file], { DATABASE_URL: url, PUBLIC_URL: `http://127.0.0.1:${port}` }, port);
  await waitReady(server, '/readyz');
  return server;
}

function loadOf(server: Server, t: Target) {
  const headers: Record<string, string> = { ...browserHeaders, ...(t.cookie ? { cookie: t.cookie } : {}) };
  if (t.toggle) Object.assign(headers, { 'hx-request': 'true', 'content-type': 'application/x-www-form-urlencoded' });
  return { port: server.port, path: t.path, headers, toggle: t.toggle };
}

async function page(server: Server, t: Target): Promise<string> {
  const res = await request(new http.Agent({ keepAlive: false }), server.port, t.path, {
    headers: { ...browserHeaders, ...(t.cookie ? { cookie: t.cookie } : {}) },
  });
  return (res.headers['content-encoding'] === 'br' ? brotliDecompressSync(res.body) : res.body).toString();
}

async function main() {
  const [bundleA, bundleB, ...only] = process.argv.slice(2);
  if (!bundleA || !bundleB) throw new Error('usage: npm run bench:ab -- <bundle A> <bundle B> [page names, or prefixes ending in *]');
  const url = process.env.DATABASE_URL || 'postgres://root@127.0.0.1:5432/partnerdesk_bench';
  ensureWrk(log);
  await ensureDatabase(url, false, log);
  const a = await start('a', bundleA, url);
  const b = await start('b', bundleB, url);
  try {
    const pages = (await targets(a.port, url, false)).filter(
      (t) => t.path && (!only.length || only.some((o) => t.name === o || (o.endsWith('*') && t.name.startsWith(o.slice(0, -1))))),
    );
    log(`node ${process.version}; A = ${bundleA}, B = ${bundleB}; ${ROUNDS} rounds × ${SECONDS} s, ${CONNECTIONS} connections`);
    for (const t of pages) {
      if (!t.toggle) {
        // The same page from both builds, or the comparison is of different work.
        const [pa, pb] = await Promise.all([a, b].map((s) => page(s, t)));
        log(`${t.name}: ${pa === pb ? `the same ${pa.length} characters from A and B` : `DIFFERENT pages (A ${pa.length}, B ${pb.length} characters)`}`);
      }
      await wrk(loadOf(a, t), CONNECTIONS, 1);
      await wrk(loadOf(b, t), CONNECTIONS, 1);
      const runs: { a: LoadResult; b: LoadResult }[] = [];
      // The server's own CPU time per request (the GC probe's process.cpuUsage): steadier than req/s when
      // other work shares the cores, since it does not count the time the server waited for a core.
      const cpu = new Map<Server, number[]>([
        [a, []],
        [b, []],
      ]);
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 ? [b, a] : [a, b];
        const got = new Map<Server, LoadResult>();
        for (const s of order) {
          const before = await gcSnapshot(s);
          const result = await wrk(loadOf(s, t), CONNECTIONS, SECONDS);
          if (t.toggle) await new Promise((r) => setTimeout(r, 1000));
          const after = await gcSnapshot(s);
          got.set(s, result);
          cpu.get(s)!.push(((after.cpuMs - before.cpuMs) * 1000) / result.requests);
        }
        runs.push({ a: got.get(a)!, b: got.get(b)! });
      }
      const ratio = median(runs.map((r) => r.b.rps / r.a.rps));
      const wins = runs.filter((r) => r.b.rps > r.a.rps).length;
      log(
        `${t.name.padEnd(34)} A ${median(runs.map((r) => r.a.rps)).toFixed(0)} req/s p99 ${median(runs.map((r) => r.a.p99)).toFixed(1)} | ` +
          `B ${median(runs.map((r) => r.b.rps)).toFixed(0)} req/s p99 ${median(runs.map((r) => r.b.p99)).toFixed(1)} | B/A ${ratio.toFixed(3)}, B faster in ${wins}/${runs.length}`,
      );
      const [ca, cb] = [median(cpu.get(a)!), median(cpu.get(b)!)];
      log(`  server CPU per request: A ${ca.toFixed(0)} µs, B ${cb.toFixed(0)} µs (B/A ${(cb / ca).toFixed(3)})`);
      log(`  pairs: ${runs.map((r) => `${r.a.rps.toFixed(0)}/${r.b.rps.toFixed(0)}`).join(' ')}`);
    }
  } finally {
    await stop(a);
    await stop(b);
  }
}

await main();
