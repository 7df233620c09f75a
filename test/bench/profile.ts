/**
 * `npm run bench:profile -- <page name prefix> [seconds]`: where one key page's server time goes. Starts
 * the app as `npm start` does but under `--cpu-prof`, loads the page with wrk as the bench does, stops the
 * app and prints the heaviest functions by self time, with the share of garbage collection. Same database
 * and visitors as `npm run bench` (DATABASE_URL, or the bench database on 127.0.0.1:5432).
 */
import { readdirSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, stop, waitReady } from './servers.ts';
import { browserHeaders, ensureDatabase, targets } from './setup.ts';
import { ensureWrk, wrk } from './wrk.ts';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const [prefix = '/subscriptions', seconds = '10'] = process.argv.slice(2);
const url = process.env.DATABASE_URL || 'postgres://root@127.0.0.1:5432/partnerdesk_bench';
const log = (l = '') => process.stdout.write(`${l}\n`);

async function main() {
  ensureWrk(log);
  await ensureDatabase(url, false, log);
  const dir = mkdtempSync(join(tmpdir(), 'pd-prof-'));
  const app = await startApp(url, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  try {
    await waitReady(app, '/readyz');
    const target = (await targets(app.port, url, false)).find((t) => t.name.startsWith(prefix) && t.path);
    if (!target) throw new Error(`no measurable key page starts with ${prefix}`);
    const headers: Record<string, string> = { ...browserHeaders, ...(target.cookie ? { cookie: target.cookie } : {}) };
    if (target.toggle) Object.assign(headers, { 'hx-request': 'true', 'content-type': 'application/x-www-form-urlencoded' });
    await wrk({ port: app.port, path: target.path, headers, toggle: target.toggle }, 50, 2);
    const r = await wrk({ port: app.port, path: target.path, headers, toggle: target.toggle }, 50, Number(seconds));
    log(`${target.name}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms (warm-up included in the profile)`);
  } finally {
    await stop(app, 'SIGINT');
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no profile written');
  const prof = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  rmSync(dir, { recursive: true, force: true });
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  /** A frame as the tables name it: function, then file and line (shortened) when it has a file. */
  const keyOf = ({ callFrame: f }: Node) =>
    `${f.functionName || '(anonymous)'} ${f.url ? `${f.url.replace(/^.*\/(node_modules|dist|node:)\/?/, '$1/')}:${f.lineNumber + 1}` : ''}`;
  const self = new Map<string, number>();
  const total = prof.samples.length;
  let idle = 0;
  for (const id of prof.samples) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') idle++;
    const key = keyOf(node);
    self.set(key, (self.get(key) ?? 0) + 1);
  }
  const busy = total - idle;
  log(`\n${busy} busy samples of ${total}; self time, share of busy samples:`);
  for (const [k, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40))
    if (!k.startsWith('(idle)')) log(`${((n / busy) * 100).toFixed(1).padStart(5)} %  ${k}`);
  const byFile = new Map<string, number>();
  for (const [k, n] of self) {
    const file = k.split(' ')[1]?.replace(/:\d+$/, '') || k.split(' ')[0];
    byFile.set(file, (byFile.get(file) ?? 0) + n);
  }
  // Inclusive time: each sample counts once for every distinct function on its stack.
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  for (const id of prof.samples) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) seen.add(keyOf(byId.get(at)!));
    for (const k of seen) inclusive.set(k, (inclusive.get(k) ?? 0) + 1);
  }
  log('\nInclusive time (application code and libraries), share of busy samples:');
  for (const [k, n] of [...inclusive]
    .sort((a, b) => b[1] - a[1])
    .filter(([k]) => /dist\/|node_modules/.test(k))
    .slice(0, 45))
    log(`${((n / busy) * 100).toFixed(1).padStart(5)} %  ${k}`);
  // Where each sample belongs: the innermost frame that names a known part of the work.
  const parts: [string, RegExp][] = [
    ['garbage collection', /^\(garbage collector\)/],
    ['brotli/gzip', /node:zlib|^Brotli|^Gzip/],
    ['socket writes', /^writev |^writeBuffer |node:net|_http_outgoing|stream_base_commons/],
    ['http parsing', /_http_server|_http_common|^parserOnHeadersComplete|^parserOnIncoming/],
    ['postgres.js', /node_modules\/postgres\//],
    ['drizzle', /node_modules\/drizzle-orm/],
    [
      'JSX rendering',
      /^(toStringToBuffer|childrenToStringToBuffer|escapeToBuffer|jsxFn|jsxDEV|jsx|render2|isValidAttributeName|styleObjectForEach|normalizeIntrinsicElementKey|stringBufferToString) /,
    ],
    ['promises/microtasks', /^runMicrotasks |^\(anonymous\) $|node:internal\/process\/task_queues/],
    ['node adapter/Request/Response', /undici|^newRequest|^responseVia|^buildOutgoingHttpHeaders|webstreams/],
  ];
  const byPart = new Map<string, number>();
  for (const id of prof.samples) {
    let part = 'other (app, hono, i18n)';
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const k = keyOf(byId.get(at)!);
      const hit = parts.find(([, re]) => re.test(k));
      if (hit) {
        part = hit[0];
        break;
      }
    }
    if (byId.get(id)!.callFrame.functionName !== '(idle)') byPart.set(part, (byPart.get(part) ?? 0) + 1);
  }
  log('\nBy part of the work (innermost known frame):');
  for (const [k, n] of [...byPart].sort((a, b) => b[1] - a[1])) log(`${((n / busy) * 100).toFixed(1).padStart(5)} %  ${k}`);
  log('\nBy file:');
  for (const [k, n] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 25)) if (k !== '(idle)') log(`${((n / busy) * 100).toFixed(1).padStart(5)} %  ${k}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
