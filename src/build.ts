/**
 * Builds once, not at every start: copies htmx and the stylesheet under content-hashed names with
 * brotli and gzip twins beside them (the server only streams files), and bundles the server.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { precompileJsx, precompiledFiles } from './ui/jsx/precompile.ts';
import { projectRoot } from './paths.ts';
import { buildDir, type Assets } from './assets/manifest.ts';
import { buildEmbeddedTemplate } from './assets/embedded-template.ts';
import './messages.ts';
import { builtZoneLists, zoneListsForBuild } from './preferences/zones.ts';

const require = createRequire(import.meta.url);
const sources = {
  css: `${projectRoot}public/app.css`,
  htmx: require.resolve('htmx.org/dist/htmx.min.js'),
};

function emit(name: string, ext: string, body: Buffer): string {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const file = `${name}.${hash}.${ext}`;
  writeFileSync(`${buildDir}/${file}`, body);
  writeFileSync(`${buildDir}/${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  writeFileSync(`${buildDir}/${file}.gz`, gzipSync(body, { level: 9 }));
  return `/assets/${file}`;
}

mkdirSync(buildDir, { recursive: true });
for (const f of readdirSync(buildDir)) rmSync(`${buildDir}/${f}`);
const assets: Assets = {
  css: emit('app', 'css', readFileSync(sources.css)),
  htmx: emit('htmx', 'js', readFileSync(sources.htmx)),
};
writeFileSync(`${buildDir}/manifest.json`, JSON.stringify(assets));
console.log(`assets built: ${assets.css} ${assets.htmx}`);

/** The app's JSX written out as string concatenations at build time (src/ui/jsx/precompile.ts, decision 113). */
const precompiledJsx: Plugin = {
  name: 'precompiled-jsx',
  setup(b) {
    b.onLoad({ filter: precompiledFiles }, async ({ path }) => ({ contents: precompileJsx(await readFile(path, 'utf8'), path), loader: 'tsx' }));
  },
};
/** `JSX_RUNTIME_ONLY=1 npm run build`: the same server with its JSX through the runtime alone, as dist/server-runtime.js (the crawl in test/ui/). */
const runtimeOnly = Boolean(process.env.JSX_RUNTIME_ONLY);

// The server as one ES module (dependencies stay in node_modules): it starts fast and runs without a
// TypeScript loader, which would cost a worker thread and tens of megabytes in every instance.
await build({
  entryPoints: [`${projectRoot}src/server.ts`],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  // Dependencies are bundled too, but for those that load files of their own beside their code
  // (PGlite's WebAssembly and data, argon2's native binary). Node 24 resolves each module of a package
  // against its package.json: drizzle-orm's (180 KB, 450 export paths) for each of its modules, which left
  // some 150 MB of garbage at start-up and took a start's peak memory from about 170 to 300 MB.
  external: ['@electric-sql/pglite', '@node-rs/argon2'],
  jsx: 'automatic',
  jsxImportSource: '#jsx',
  plugins: runtimeOnly ? [] : [precompiledJsx],
  // The embedded database's driver (drizzle's PGlite session, which imports PGlite) is loaded by a
  // dynamic import only when DATABASE_URL is unset: split into a chunk of its own, a server on
  // PostgreSQL never loads PGlite (14 MB of RSS, 2 MB of live heap). Chunks sit beside the entry, so
  // src/paths.ts finds the project from any of them.
  splitting: true,
  outdir: `${projectRoot}dist`,
  entryNames: runtimeOnly ? 'server-runtime' : 'server',
  chunkNames: 'chunk-[hash]',
  // Stack traces name the source's files and lines (`npm start` runs with --enable-source-maps), but
  // the map carries no copy of the sources: node keeps a loaded map for the process's life, and the
  // sources' text was 4 MB of every server's live heap.
  sourcemap: true,
  sourcesContent: false,
  logLevel: 'warning',
});
console.log(`server built: dist/${runtimeOnly ? 'server-runtime' : 'server'}.js`);
// The time zones named in every language, for Preferences: built here, not in the server (decision 114).
writeFileSync(builtZoneLists, JSON.stringify(zoneListsForBuild()));
// The embedded database's empty, migrated cluster (a first start then runs no initdb; decision 104).
console.log(`embedded database template: ${(await buildEmbeddedTemplate()).slice(projectRoot.length)}`);
