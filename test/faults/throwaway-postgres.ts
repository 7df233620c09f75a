/**
 * A PostgreSQL server of the test's own: `initdb` into a temporary folder, its own port, started and
 * stopped with `pg_ctl` (stop hard: `-m immediate`, as a crash or a kill would). Never the shared server.
 * initdb refuses to run as root, so as root every command runs as the `postgres` OS user in a folder it owns.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** The newest installed server's bin folder, or why there is none. */
export function findPostgresBin(): { bin: string } | { reason: string } {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  if (versions.length === 0) return { reason: `no initdb under ${root}/*/bin` };
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (userInfo().uid === 0 && !existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser'))
    return { reason: 'running as root without runuser to drop to the postgres user' };
  return { bin: join(root, newest, 'bin') };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface ThrowawayPostgres {
  url: string;
  /** Starts it again and waits until it accepts connections, without blocking the event loop (the server under test shares it). */
  start(): Promise<void>;
  /** Like a crash: no checkpoint, every connection cut. */
  stopHard(): Promise<void>;
  destroy(): void;
}

export async function startThrowawayPostgres(bin: string): Promise<ThrowawayPostgres> {
  const asRoot = userInfo().uid === 0;
  const dir = mkdtempSync(join(tmpdir(), 'pd-fault-'));
  if (asRoot) {
    const ids = execFileSync('id', ['-u', 'postgres']).toString().trim();
    const gid = execFileSync('id', ['-g', 'postgres']).toString().trim();
    chownSync(dir, Number(ids), Number(gid));
  }
  const run = (tool: string, args: string[]) => {
    const [cmd, all] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
    execFileSync(cmd, all, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
  };
  // The server under test runs in this process: stopping and starting must not block its event loop, or
  // its answers would wait on pg_ctl rather than on the database.
  const runAsync = (tool: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const [cmd, all] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
      execFile(cmd, all, { timeout: 60_000 }, (e) => (e ? reject(e) : resolve()));
    });
  const data = join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'partnerdesk', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const startArgs = ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '30', 'start'];
  run('pg_ctl', startArgs);
  return {
    url: `postgres://partnerdesk@127.0.0.1:${port}/postgres`,
    start: () => runAsync('pg_ctl', startArgs),
    stopHard: () => runAsync('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']),
    destroy() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
