/**
 * The embedded database's empty, migrated cluster, made once at build time (docs/decisions/104).
 *
 * A new PGlite database runs PostgreSQL's initdb in WebAssembly instances of its own beside the
 * database's, and the first `npm start` peaked at 760–800 MB for it, three times a later start. So
 * `npm run build` creates the cluster in memory, migrates it, and keeps PGlite's own dump of it
 * (`dumpDataDir`) in dist/; a first start opens its new DATA_DIR from that dump (`loadDataDir`) and runs
 * no initdb. The file is named after the installed PGlite version and the migrations it holds, so an
 * upgrade of either makes a new one (and a start that finds none for its version creates the database as
 * before).
 */
import { createHash } from 'node:crypto';
import { existsSync, openAsBlob, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
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

/** The installed PGlite's version and a hash of the migrations: what the dump was made by and of. */
function templateKey(): string {
  const pglite = installedPackage('@electric-sql/pglite');
  const hash = createHash('sha256');
  for (const name of readdirSync(migrationsDir, { recursive: true }).map(String).sort()) {
    const path = join(migrationsDir, name);
    if (name.endsWith('.sql') || name.endsWith('.json')) hash.update(name).update('\0').update(readFileSync(path));
  }
  return `${pglite.version}-${hash.digest('hex').slice(0, 12)}`;
}

export const templateFile = () => join(distDir, `pglite-template-${templateKey()}.tar`);

/**
 * The dump for the installed PGlite and these migrations, or null (then PGlite runs initdb). A Blob
 * backed by the file (`fs.openAsBlob`): no copy of its 40 MB is held beside the one PGlite reads.
 */
export async function embeddedTemplate(): Promise<Blob | null> {
  const file = templateFile();
  return existsSync(file) ? openAsBlob(file) : null;
}

/** Build time: makes the dump unless the one for this version and these migrations is there already. */
export async function buildEmbeddedTemplate(): Promise<string> {
  const file = templateFile();
  if (existsSync(file)) return file;
  for (const old of readdirSync(distDir).filter((f) => f.startsWith('pglite-template-'))) rmSync(join(distDir, old));
  const { migrate, openDatabase } = await import('../db/client.ts');
  const database = await openDatabase({});
  await migrate(database);
  // drizzle's documented handle on the driver's client: here PGlite's.
  const client = (database.db as unknown as { $client: PGlite }).$client;
  const dump = await client.dumpDataDir('none');
  await database.close();
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  return file;
}
