import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

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
 * An HTML answer, pages and fragments alike: `text` compressed with brotli or gzip as the request
 * accepts (hono/compress offers no brotli). It compresses the string itself, so the body is never read
 * back out of a Response: doing that costs more than the compression itself. Static assets are
 * precompressed at build time; the other answers (health checks, redirects, CSV streams) are tiny or
 * streamed.
 *
 * A function the layout and the fragments call, not a middleware that replaces `c.html`: a function
 * stored on the request's context made V8 keep every request's objects through the young generation's
 * collections until the next full one (decision 116).
 */
export function sendHtml(c: Context, text: string, status?: ContentfulStatusCode): Response {
  c.header('vary', 'Accept-Encoding');
  const encoding = pick(c.req.header('accept-encoding'));
  if (!encoding) return c.html(text, status);
  const raw = utf8(text);
  if (raw.length < MIN_BYTES) return c.html(text, status);
  const packed =
    encoding === 'br'
      ? brotliCompressSync(raw, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_LGWIN]: 17, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
        })
      : gzipSync(raw, { level: 6 });
  c.header('content-encoding', encoding);
  c.header('content-type', 'text/html; charset=UTF-8');
  return c.body(packed, status);
}
