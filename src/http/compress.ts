import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';

const compressible = /^(text\/(html|css|plain)|application\/(json|javascript)|image\/svg)/;

/** Brotli or gzip for dynamic text responses (hono/compress offers no brotli). Static assets are precompressed. */
export const compress = (): MiddlewareHandler => async (c, next) => {
  await next();
  const res = c.res;
  const type = res.headers.get('content-type') ?? '';
  if (!res.body || res.headers.has('content-encoding') || !compressible.test(type) || c.req.method === 'HEAD') return;
  const accept = c.req.header('accept-encoding') ?? '';
  const encoding = /\bbr\b/.test(accept) ? 'br' : /\bgzip\b/.test(accept) ? 'gzip' : null;
  res.headers.append('vary', 'Accept-Encoding');
  if (!encoding) return;
  const raw = Buffer.from(await res.arrayBuffer());
  const body =
    raw.length < 512
      ? raw
      : encoding === 'br'
        ? brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } })
        : gzipSync(raw, { level: 6 });
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  if (body !== raw) headers.set('content-encoding', encoding);
  c.res = new Response(body, { status: res.status, statusText: res.statusText, headers });
};
