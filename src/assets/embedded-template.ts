/**
 * The embedded database's empty, migrated cluster, made once at build time (docs/decisions/104).
 *
 * A new PGlite database runs PostgreSQL's initdb in WebAssembly instances of its own beside the
 * database's, and the first `npm start` peaked at 760–800 MB for it, three times a later start. So
 * `npm run build` creates the cluster in a directory of dist/ with PGlite itself and migrates it; a first
 * start copies that directory's files into its new DATA_DIR and then opens it exactly as a later start
 * opens its data. (Opening PGlite's own dump with `loadDataDir` instead unpacked it through JavaScript
 * and left 120 MB of buffers behind for the rest of the start.) The directory is named
 * after the installed PGlite version and the migrations it holds, so an upgrade of either makes a new
 * one (and a start that finds none for its version creates the database as before).
 */
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { projectRoot } from '../paths.ts';

const distDir = join(projectRoot, 'dist');
const migrationsDir = join(projectRoot, 'drizzle');

/** The package.json of an installed package (found up from its entry point: the package exports no package.json). */
function installedPackage(name: string): { version: string } {
  let dir = dirname(createRequire(import.meta.url).resolve(name));
  while (!existsSync(join(dir, 'package.json')) || (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name !== name) {
    if (dirname(dir) === dir) throw new Error(`${name}'s package.json was not found`);
    dir = dirname(dir);
  }
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
}

/** The installed PGlite's version and a hash of the migrations: what the cluster was made by and of. */
function templateKey(): string {
  const pglite = installedPackage('@electric-sql/pglite');
  const hash = createHash('sha256');
  for (const name of readdirSync(migrationsDir, { recursive: true }).map(String).sort()) {
    const path = join(migrationsDir, name);
    if (name.endsWith('.sql') || name.endsWith('.json')) hash.update(name).update('\0').update(readFileSync(path));
  }
  return `${pglite.version}-${hash.digest('hex').slice(0, 12)}`;
}

export const templateDir = () => join(distDir, `pglite-template-${templateKey()}`);

/**
 * A first start: copies the build's cluster for the installed PGlite and these migrations into
 * `dataDir` and returns true, or returns false when there is none (then PGlite runs initdb). The
 * cluster's `PG_VERSION` is copied last: the server takes a directory without it for a new one, so a
 * copy cut short is made again at the next start, never opened half-written.
 */
export function copyEmbeddedTemplate(dataDir: string): boolean {
  const template = templateDir();
  const marker = join(template, 'PG_VERSION');
  if (!existsSync(marker)) return false;
  mkdirSync(dataDir, { recursive: true });
  cpSync(template, dataDir, { recursive: true, filter: (source) => source !== marker });
  copyFileSync(marker, join(dataDir, 'PG_VERSION'));
  return true;
}

/** Build time: makes the cluster unless the one for this version and these migrations is there already. */
export async function buildEmbeddedTemplate(): Promise<string> {
  const final = templateDir();
  if (existsSync(join(final, 'PG_VERSION'))) return final;
  for (const old of readdirSync(distDir).filter((f) => f.startsWith('pglite-template-'))) rmSync(join(distDir, old), { recursive: true, force: true });
  // Made beside its final name and renamed once closed: a build cut short leaves no cluster to copy.
  const making = `${final}.making-${process.pid}`;
  const { migrate, openDatabase } = await import('../db/client.ts');
  const database = await openDatabase({ dataDir: making });
  await migrate(database);
  await database.close();
  renameSync(making, final);
  return final;
}
