import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { render } from '#jsx/jsx-runtime';

const MIN_BYTES = 512;

function pick(acceptEncoding: string | undefined): 'br' | 'gzip' | null {
  const accept = acceptEncoding ?? '';
  return /\bbr\b/.test(accept) ? 'br' : /\bgzip\b/.test(accept) ? 'gzip' : null;
}

/**
 * One buffer, reused by every answer, for the page's UTF-8 bytes on their way into the compressor: the
 * compression is synchronous, so no other request can be writing it meanwhile, and no request leaves
 * behind a page-sized buffer of its own (memory outside the JS heap, freed only by a later garbage
 * collection). A text that might not fit gets a buffer of its own.
 */
const scratch = Buffer.allocUnsafe(256 * 1024);
function utf8(text: string): Buffer {
  return text.length * 3 <= scratch.length ? scratch.subarray(0, scratch.write(text)) : Buffer.from(text);
}

/**
 * Brotli or gzip for every HTML answer, pages and fragments alike (hono/compress offers no brotli).
 * It compresses the string `c.html` is given, so the body is never read back out of a Response:
 * doing that costs more than the compression itself. Static assets are precompressed at build time;
 * the other answers (health checks, redirects, CSV streams) are tiny or streamed.
 */
export const compress = (): MiddlewareHandler => async (c, next) => {
  const encoding = pick(c.req.header('accept-encoding'));
  const html = c.html;
  c.html = ((body: unknown, ...rest: unknown[]) => {
    const send = (text: string) => {
      c.header('vary', 'Accept-Encoding');
      const raw = utf8(text);
      if (!encoding || raw.length < MIN_BYTES) return (html as (b: string, ...r: unknown[]) => Response)(text, ...rest);
      const packed =
        encoding === 'br'
          ? brotliCompressSync(raw, {
              params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_LGWIN]: 17, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
            })
          : gzipSync(raw, { level: 6 });
      c.header('content-encoding', encoding);
      c.header('content-type', 'text/html; charset=UTF-8');
      return (c.body as (b: Uint8Array, ...r: unknown[]) => Response)(packed, ...rest);
    };
    // JSX (an error notice written as `c.html(<p …>)`) is rendered here, for this request.
    return send(typeof body === 'string' ? body : render(c, body));
  }) as typeof c.html;
  await next();
};
