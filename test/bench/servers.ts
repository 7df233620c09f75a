/** The two processes under test: the app as `npm start` runs it, and the hand-written plain page. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { request } from './load.ts';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const probe = fileURLToPath(new URL('./gc-probe.mjs', import.meta.url));

export interface Server {
  name: string;
  child: ChildProcess;
  port: number;
  gcFile: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

const stopping = new Set<ChildProcess>();

export function launch(name: string, args: string[], env: Record<string, string>, port: number): Server {
  const gcFile = join(tmpdir(), `pd-bench-gc-${process.pid}-${name}.json`);
  // The GC probe is preloaded: it observes, the server's own code and flags stay as they are.
  const child = spawn(process.execPath, ['--import', probe, ...args], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), NODE_ENV: 'production', BENCH_GC_FILE: gcFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    const text = chunk.toString().split('\n').filter(Boolean);
    if (text.length) process.stderr.write(text.map((l) => `[${name}] ${l}\n`).join(''));
  });
  child.on('exit', (code, signal) => {
    if (stopping.has(child)) return;
    console.error(`${name} exited unexpectedly (${signal ?? `code ${code}`}).`);
    process.exit(1);
  });
  return { name, child, port, gcFile };
}

/**
 * `npm start`'s command (`node <flags> dist/server.js`) as node's arguments: its V8 flags (decision 099)
 * and the script. Whatever starts the server in the bench and the tests starts it this way.
 */
export function startCommand(): { flags: string[]; args: string[] } {
  const [, ...args] = (JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
  return { flags: args.filter((a) => a.startsWith('--')), args };
}

/** Exactly what `npm start` runs (its node flags included), so the benchmark measures the real server. */
export async function startApp(url: string, nodeFlags: string[] = []): Promise<Server> {
  const port = await freePort();
  return launch('app', [...nodeFlags, ...startCommand().args], { DATABASE_URL: url, PUBLIC_URL: `http://127.0.0.1:${port}` }, port);
}

/** The plain page, bundled by esbuild as the server is (same compiled-JS footing, postgres.js left external), run with `npm start`'s node flags. */
export async function startPlain(url: string): Promise<Server> {
  const outfile = `${root}dist/bench-plain.mjs`;
  await build({
    entryPoints: [`${root}test/bench/plain.ts`],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  // Under the same V8 flags as the app: the ratios compare the code, not the flags.
  return launch('plain', [...startCommand().flags, outfile], { DATABASE_URL: url }, await freePort());
}

export async function stop(server: Server, signal: NodeJS.Signals = 'SIGTERM') {
  stopping.add(server.child);
  rmSync(server.gcFile, { force: true });
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill(signal);
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export async function waitReady(server: Server, path: string) {
  const agent = new http.Agent({ keepAlive: false });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`${server.name} exited with ${server.child.exitCode}`);
    try {
      const res = await request(agent, server.port, path);
      if (res.status < 500) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${server.name} did not become ready within 60 s`);
}

export interface GcSnapshot {
  gcMs: number;
  cpuMs: number;
  rss: number;
}

/** Asks the preloaded probe for its totals (SIGUSR2) and reads them back. */
export async function gcSnapshot(server: Server): Promise<GcSnapshot> {
  const before = Date.now();
  server.child.kill('SIGUSR2');
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 20));
    try {
      const snap = JSON.parse(readFileSync(server.gcFile, 'utf8')) as GcSnapshot & { at: number };
      if (snap.at >= before) return snap;
    } catch {
      /* not written yet */
    }
  }
  throw new Error(`${server.name} did not answer the GC probe`);
}
