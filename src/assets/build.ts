/**
 * Builds the static assets once, not at every start: copies htmx and the stylesheet under
 * content-hashed names and writes brotli and gzip twins beside them, so the server only streams files.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { buildDir, type Assets } from './manifest.ts';

const require = createRequire(import.meta.url);
const sources = {
  css: fileURLToPath(new URL('../../public/app.css', import.meta.url)),
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
