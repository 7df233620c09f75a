/**
 * Load through `wrk` (Debian's package): a C load generator that leaves the CPU to the servers, unlike
 * a Node client in the same machine. A small Lua script sets the headers, builds the requests (the
 * htmx fragment toggles add/remove per subscription) and prints the summary as one JSON line.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LoadResult {
  requests: number;
  /** Non-2xx/3xx answers, timeouts and socket errors. */
  errors: number;
  /** The htmx toggle's out-of-step removals the app refused (422): counted apart from errors. */
  refused: number;
  rps: number;
  p50: number;
  p99: number;
}

export interface Load {
  port: number;
  path: string;
  headers: Record<string, string>;
  /** POST /subscriptions/:id/partner for these ids, add then remove, round-robin. */
  toggle?: { ids: string[]; csrf: string; partnerId: string };
}

/** wrk on PATH, or installed with apt-get when running as root; otherwise a clear error. */
export function ensureWrk(log: (line: string) => void) {
  if (spawnSync('wrk', ['--version']).error === undefined) return;
  if (process.getuid?.() !== 0) throw new Error('npm run bench needs wrk: apt-get install wrk (as root), then run it again.');
  log('wrk is missing: installing it with apt-get ...');
  execFileSync('apt-get', ['install', '-y', '-qq', 'wrk'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

const dir = mkdtempSync(join(tmpdir(), 'pd-bench-'));
let scripts = 0;

const lua = (s: string) => JSON.stringify(s); // a JSON string is a valid Lua string literal for our ASCII values

/**
 * How long each connection holds its first request. wrk opens every connection at once, and libuv (from
 * 1.45, Node 20) accepts one connection per event-loop turn (libuv#3696): under load the last of 50
 * waited some 50 turns, 200–300 ms, and those first requests, about 1 % of a 5-second run, were the run's
 * p99 (docs/decisions/097). Held back, the connections are accepted while the server is idle, and the
 * figures are those of page requests on open connections; the held time is left out of the duration.
 */
export const OPEN_MS = 300;

function script(load: Load, connections: number): string {
  const headers = Object.entries(load.headers)
    .map(([k, v]) => `wrk.headers[${lua(k)}] = ${lua(v)}`)
    .join('\n');
  const toggle = load.toggle
    ? `local ids = {${load.toggle.ids.map(lua).join(',')}}
local added = {}
local n = 0
request = function()
  n = n + 1
  local id = ids[(n - 1) % #ids + 1]
  local add = not added[id]
  added[id] = add
  local body = "_csrf=" .. ${lua(load.toggle.csrf)} .. (add and ("&action=add&confirm=1&partnerId=" .. ${lua(load.toggle.partnerId)}) or "&action=remove")
  return wrk.format("POST", "/subscriptions/" .. id .. "/partner", nil, body)
end
-- About once a run one subscription's requests fall out of step (most likely wrk dropped a request it
-- had already asked this script for): its next removal finds nothing to remove, which the app rightly
-- refuses (422). Those are counted apart, not as errors.
refused = 0
response = function(status)
  if status == 422 then refused = refused + 1 end
end`
    : '';
  const file = join(dir, `load-${++scripts}.lua`);
  writeFileSync(
    file,
    `${headers}
${toggle}
local opened = 0
delay = function()
  opened = opened + 1
  if opened <= ${connections} then return ${OPEN_MS} end
  return 0
end
local threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
  local e = summary.errors
  local refused = 0
  for _, t in ipairs(threads) do refused = refused + (t:get("refused") or 0) end
  io.write(string.format('BENCH_JSON {"requests":%d,"us":%d,"p50":%d,"p99":%d,"errors":%d,"refused":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout - refused, refused))
end
`,
  );
  return file;
}

/** One wrk run: one thread (the servers get the other core and a half), `connections` keep-alive connections. */
export function wrk(load: Load, connections: number, seconds: number): Promise<LoadResult> {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '-s', script(load, connections), `http://127.0.0.1:${load.port}${load.path}`];
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('BENCH_JSON '));
      if (code !== 0 || !line) return reject(new Error(`wrk ${args.join(' ')} failed (${code}): ${out.slice(-500)}`));
      const r = JSON.parse(line.slice('BENCH_JSON '.length)) as { requests: number; us: number; p50: number; p99: number; errors: number; refused: number };
      resolve({
        requests: r.requests,
        errors: r.errors,
        refused: r.refused,
        rps: r.requests / (r.us / 1e6 - OPEN_MS / 1000),
        p50: r.p50 / 1000,
        p99: r.p99 / 1000,
      });
    });
  });
}
