/**
 * `npm run bench:embedded`: the memory of `npm start` on the embedded database (PGlite, no
 * DATABASE_URL). Starts the server twice on a fresh data directory: the first start copies the
 * build's empty, migrated cluster into it (docs/decisions/104), migrates and seeds the demo; the
 * second opens the existing one. For each: RSS peak until
 * ready (the kernel's high-water mark), and RSS after a few idle seconds. Reporting only.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from './load.ts';
import { templateDir } from '../../src/assets/embedded-template.ts';
import { freePort, root, startCommand } from './servers.ts';

const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 10);
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

function memory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0);
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

async function start(dataDir: string, label: string) {
  const port = await freePort();
  const started = performance.now();
  const env: Record<string, string | undefined> = { ...process.env, PORT: String(port), DATA_DIR: dataDir, NODE_ENV: 'production' };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, startCommand().args, { cwd: root, env, stdio: 'ignore' });
  const agent = new http.Agent({ keepAlive: false });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    const ok = await request(agent, port, '/readyz').then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const ready = memory(child.pid!);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
  const idle = memory(child.pid!);
  console.log(
    `${label.padEnd(34)} ready in ${seconds.padStart(5)} s   peak ${mb(Math.max(ready.hwm, idle.hwm)).padStart(7)}   idle after ${IDLE_SECONDS} s ${mb(idle.rss).padStart(7)}`,
  );
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

const dir = mkdtempSync(join(tmpdir(), 'pd-embedded-'));
try {
  const template = existsSync(join(templateDir(), 'PG_VERSION'));
  console.log(`npm start on PGlite (data in ${dir}), node ${process.version}, flags ${startCommand().flags.join(' ')}`);
  console.log(
    template ? `The first start copies the build's cluster (${templateDir().slice(root.length)}).` : 'No cluster from the build: the first start runs initdb.',
  );
  await start(dir, 'first start (create, migrate, seed)');
  await start(dir, 'second start (existing data)');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
