/**
 * postgres.js 3.4.9 with our fix for its teardown bug (docs/decisions/010-postgres-driver-guard.md).
 *
 * The driver batches small writes behind a setImmediate. When a connection's socket closes, `closed()`
 * sets the socket to null but leaves that batch and its timer variable behind, so (a) a write reached
 * after the close (the deferred flush, or a Sync sent while handling a late error) calls `null.write`
 * from a timer callback: an uncaught TypeError that ends the process; and (b) the stale timer id makes
 * the reconnected connection believe a flush is already scheduled, so its start-up message is never
 * sent and the pooled connection stays dead. We cannot edit the shared node_modules, so at start-up we
 * copy the driver's ESM sources into `.cache/` with three edited lines and load that copy. Each edit
 * must match its exact original text: a different driver version stops start-up instead of running
 * unguarded.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type postgresType from 'postgres';
import { projectRoot } from '../paths.ts';

export const PATCH_MARKER = '/* partnerdesk: closed-socket guard */';

/** [original, replacement]: each original must occur exactly once in connection.js. */
const edits: [string, string][] = [
  [
    // The flush: with no socket there is nothing to write to; drop the batch and fail what waits on this
    // connection with the driver's own catchable CONNECTION_CLOSED instead of throwing from a timer.
    'function nextWrite(fn) {\n    const x = socket.write(chunk, fn)',
    `function nextWrite(fn) {\n    ${PATCH_MARKER}\n    if (!socket) {\n      nextWriteTimer !== null && clearImmediate(nextWriteTimer)\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      return false\n    }\n    const x = socket.write(chunk, fn)`,
  ],
  [
    // terminate(): forget the cancelled flush and its bytes, so a later connect schedules its own.
    '    clearImmediate(nextWriteTimer)\n    if (socket) {',
    '    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    if (socket) {',
  ],
  [
    // closed(): the same, so the next socket starts with an empty batch (never the dead one's bytes).
    "    clearImmediate(nextWriteTimer)\n    socket.removeListener('data', data)",
    "    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    socket.removeListener('data', data)",
  ],
];

/** Applies the edits to connection.js's text; throws when the text is not the one they were written for. */
export function patchConnectionSource(source: string): string {
  if (source.includes(PATCH_MARKER)) return source;
  let out = source;
  for (const [from, to] of edits) {
    const at = out.indexOf(from);
    if (at < 0 || out.indexOf(from, at + 1) >= 0) {
      throw new Error(
        `postgres.js connection.js is not the 3.4.9 text the closed-socket guard was written for (edit not found: ${JSON.stringify(from.slice(0, 40))}); review docs/decisions/010-postgres-driver-guard.md`,
      );
    }
    out = out.slice(0, at) + to + out.slice(at + from.length);
  }
  return out;
}

/** Where the patched copy is written; a folder per driver text, so an upgrade never loads a stale copy. */
function patchedCopy(): { dir: string; files: Map<string, string> } {
  // The package's `default` export is cjs/src/index.js; its ESM sources are in src/ beside cjs/.
  const srcDir = join(dirname(createRequire(import.meta.url).resolve('postgres')), '..', '..', 'src');
  const files = new Map<string, string>();
  for (const name of readdirSync(srcDir).filter((f) => f.endsWith('.js'))) files.set(name, readFileSync(join(srcDir, name), 'utf8'));
  files.set('connection.js', patchConnectionSource(files.get('connection.js') ?? ''));
  const hash = createHash('sha256');
  for (const [name, text] of [...files].sort()) hash.update(name).update('\0').update(text);
  return { dir: join(projectRoot, '.cache', `postgres-${hash.digest('hex').slice(0, 16)}`), files };
}

let loaded: Promise<typeof postgresType> | undefined;

/** The guarded driver (the same API as `import postgres from 'postgres'`). */
export function loadPostgres(): Promise<typeof postgresType> {
  loaded ??= (async () => {
    const { dir, files } = patchedCopy();
    if (!existsSync(join(dir, 'index.js'))) {
      // Written to a temporary folder and renamed, so a concurrent start never imports a half-written copy.
      const tmp = `${dir}.${process.pid}.${Date.now()}`;
      mkdirSync(tmp, { recursive: true });
      writeFileSync(join(tmp, 'package.json'), '{"type":"module"}\n');
      for (const [name, text] of files) writeFileSync(join(tmp, name), text);
      try {
        renameSync(tmp, dir);
      } catch (e) {
        rmSync(tmp, { recursive: true, force: true });
        if (!existsSync(join(dir, 'index.js'))) throw e;
      }
    }
    const connection = readFileSync(join(dir, 'connection.js'), 'utf8');
    if (!connection.includes(PATCH_MARKER)) throw new Error(`the postgres.js copy in ${dir} lacks the closed-socket guard`);
    const mod = (await import(pathToFileURL(join(dir, 'index.js')).href)) as { default: typeof postgresType };
    return mod.default;
  })();
  return loaded;
}
