import { createReadStream, existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { buildDir } from '../assets/manifest.ts';

const types: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' };

/** Serves the content-hashed build, preferring its brotli or gzip twin; cached for a year, immutable. */
export const staticAssets = new Hono().get('/assets/:file{[a-z]+\\.[0-9a-f]{12}\\.(css|js)}', (c) => {
  const file = c.req.param('file');
  const path = `${buildDir}/${file}`;
  if (!existsSync(path)) return c.notFound();
  const accept = c.req.header('accept-encoding') ?? '';
  const encoding = /\bbr\b/.test(accept) ? 'br' : /\bgzip\b/.test(accept) ? 'gzip' : null;
  const served = encoding ? `${path}.${encoding === 'br' ? 'br' : 'gz'}` : path;
  const headers: Record<string, string> = {
    'content-type': types[file.split('.').pop()!],
    'cache-control': 'public, max-age=31536000, immutable',
    vary: 'Accept-Encoding',
  };
  if (encoding) headers['content-encoding'] = encoding;
  return new Response(Readable.toWeb(createReadStream(served)) as ReadableStream, { headers });
});
