/**
 * Builds once, not at every start: copies htmx and the stylesheet under content-hashed names with
 * brotli and gzip twins beside them (the server only streams files), and bundles the server.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { projectRoot } from '../paths.ts';
import { buildDir, type Assets } from './manifest.ts';

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

// The server as one ES module: it starts fast and runs without a TypeScript loader, which would cost a
// worker thread and tens of megabytes in every instance. Dependencies stay in node_modules, except hono
// and its two adapters, bundled so that hono/jsx can be built for synchronous rendering (below).
const bundled = new Set(['hono', '@hono/node-server', '@hono/zod-validator']);
const pkg = JSON.parse(readFileSync(`${projectRoot}package.json`, 'utf8')) as { dependencies: Record<string, string> };

/**
 * hono/jsx runs every render inside AsyncLocalStorage, so that `useContext` survives an `await` in an
 * async component. partnerdesk has no async component: every render is one synchronous call, which
 * hono/jsx's own fallback store serves exactly. Once any AsyncLocalStorage runs, Node 20 turns on promise
 * hooks for every promise of the process (the driver's, the middleware chain's): a cost on every request
 * for nothing. The bundled copy never probes for it (docs/decisions/086); the build fails if hono changes
 * the line this relies on.
 */
const synchronousJsx: Plugin = {
  name: 'hono-jsx-synchronous-render',
  setup(b) {
    b.onLoad({ filter: /hono[\\/]dist[\\/]jsx[\\/]context\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const probe = 'let alsProbed = false;';
      if (!source.includes(probe)) throw new Error(`hono/jsx changed: "${probe}" not found in ${args.path}; see docs/decisions/086`);
      return { contents: source.replace(probe, 'let alsProbed = true;'), loader: 'js' };
    });
  },
};

await build({
  entryPoints: [`${projectRoot}src/server.ts`],
  outfile: `${projectRoot}dist/server.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: Object.keys(pkg.dependencies).filter((d) => !bundled.has(d)),
  plugins: [synchronousJsx],
  jsx: 'automatic',
  jsxImportSource: 'hono/jsx',
  sourcemap: true,
  logLevel: 'warning',
});
console.log('server built: dist/server.js');
