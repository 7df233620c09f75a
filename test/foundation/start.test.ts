/**
 * `npm start` runs the bundle in dist/ (built by `npm run build`, which `npm test` runs first), not the
 * sources the other suites import through vitest's transform: its JSX runtime is resolved through
 * package.json `imports` by esbuild (docs/decisions/086). This suite starts that bundle as `npm start`
 * does (its node flags included), on a fresh embedded database, and uses it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/seed/seed.ts';
import { SECURITY_HEADERS } from '../../src/http/security-headers.ts';
import { projectRoot } from '../../src/paths.ts';
import { freePort, startCommand } from '../bench/servers.ts';

let child: ChildProcess;
let base: string;
let dataDir: string;
let output = '';
/** The project folder's own entries before the start (it must write nothing there: its data goes to DATA_DIR). */
let entriesBefore: string[];

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  dataDir = mkdtempSync(join(tmpdir(), 'pd-start-'));
  entriesBefore = readdirSync(projectRoot).sort();
  // The embedded database and no SMTP, whatever the suite itself runs on.
  const { DATABASE_URL: _db, SMTP_URL: _smtp, ...inherited } = process.env;
  const env = { ...inherited, PORT: String(port), DATA_DIR: dataDir, PUBLIC_URL: base, NODE_ENV: 'production' };
  child = spawn(process.execPath, startCommand().args, { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Demo sign-ins') && output.includes('admin@contoso.example')) resolve();
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.on('exit', (code) => reject(new Error(`the server exited with ${code}: ${output}`)));
  });
}, 120_000);

afterAll(() => {
  child?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The cookies a response sets, as one Cookie header with those already held. */
function keep(jar: Map<string, string>, res: Response) {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

describe('the built server, as npm start runs it', () => {
  it('prints the URL and the demo sign-ins, then serves a signed-in admin their pages in the layout', async () => {
    expect(output).toContain(`partnerdesk on ${base}`);
    expect(output).toContain('admin@contoso.example');
    const jar = new Map<string, string>();
    const signin = await fetch(`${base}/signin`);
    // Served by node, the security headers go out through the node response (src/http/security-headers.ts).
    for (const [name, value] of SECURITY_HEADERS) expect(signin.headers.get(name), name).toBe(value);
    let cookie = keep(jar, signin);
    const form = new URLSearchParams({ email: 'admin@contoso.example', password: DEMO_PASSWORD, _csrf: jar.get('pd_csrf')!, next: '/' });
    const posted = await fetch(`${base}/signin`, { method: 'POST', body: form, headers: { cookie, origin: base }, redirect: 'manual' });
    expect(posted.status).toBe(303);
    cookie = keep(jar, posted);
    for (const [path, heading] of [
      ['/subscriptions', '<h1>Subscriptions</h1>'],
      ['/activity', '<h1>Activity log</h1>'],
      ['/settings/partner-relationships', '<h1>Partner relationships</h1>'],
    ]) {
      const res = await fetch(`${base}${path}`, { headers: { cookie, 'accept-language': 'en' } });
      const text = await res.text();
      expect(res.status, path).toBe(200);
      expect(text, path).toContain(heading);
      expect(text, path).toContain('Contoso');
      expect(text, path).toMatch(/<nav [^>]*aria-label="[^"]+">/);
    }
  }, 60_000);

  it('runs on the Node the project brings (the npm package node, pinned in package.json)', () => {
    const pinned = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies.node;
    // npm start and npm test put node_modules/.bin first on PATH; this suite starts the server with its own node.
    expect(process.version).toBe(`v${pinned}`);
  });

  it('writes nothing into the project folder (no driver copy in .cache/, the database in DATA_DIR)', () => {
    expect(readdirSync(projectRoot).sort()).toEqual(entriesBefore);
    expect(readdirSync(projectRoot)).not.toContain('.cache');
  });
});

describe('the built bundle', () => {
  /** The modules `file` imports statically, and those they import (relative chunks followed; packages named). */
  function staticImports(file: string, seen = new Set<string>()): Set<string> {
    const code = readFileSync(join(projectRoot, 'dist', file), 'utf8');
    for (const [, from, bare] of code.matchAll(/^import\b[^;'"]*?\bfrom\s*["']([^"']+)["']|^import\s*["']([^"']+)["']/gm)) {
      const spec = from ?? bare;
      if (seen.has(spec)) continue;
      seen.add(spec);
      if (spec.startsWith('./')) staticImports(spec.slice(2), seen);
    }
    return seen;
  }

  it('loads PGlite only through the dynamic import of the embedded database (decision 115)', () => {
    const imports = staticImports('server.js');
    // The chunks are followed, and PGlite's driver is in the build: the check is not passing on an empty graph.
    expect([...imports].some((s) => s.startsWith('./chunk-'))).toBe(true);
    const chunks = readdirSync(join(projectRoot, 'dist')).filter((f) => /^chunk-.*\.js$/.test(f));
    expect(chunks.some((f) => staticImports(f).has('@electric-sql/pglite'))).toBe(true);
    expect([...imports].filter((s) => s.startsWith('@electric-sql/pglite'))).toEqual([]);
  });
});
