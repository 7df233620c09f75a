/**
 * Limits and checks every request passes before any route reads it: a body larger than a form needs is
 * refused before it is read (413), and a query string or form that is not well-formed text is refused
 * once, here (400), instead of reaching a query where PostgreSQL rejects a NUL as an error (a 500).
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../context.ts';
import { errorPage } from './middleware.tsx';

/** Every form of the app is a few fields of text; 64 KB is generous and keeps a flood of POSTs cheap. */
export const FORM_BODY_LIMIT = 64 * 1024;

/**
 * Refuses a larger body without reading it (by its Content-Length), or as soon as a chunked one grows
 * past it. A GET or HEAD has no body to limit: it passes without touching `c.req.raw.body`, which would
 * make the node adapter build a full WHATWG Request (and AbortController) for every page view.
 */
export const limitBody = (maxSize = FORM_BODY_LIMIT): MiddlewareHandler<AppEnv> => {
  const tooLarge = (c: Context) => errorPage(c as never, 413, 'error.tooLarge.title', 'error.tooLarge.body');
  const streamed = bodyLimit({ maxSize, onError: tooLarge });
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    // (The tests' in-process requests carry a stand-in `incoming` with only a socket address.)
    if (!(incoming instanceof Readable) || !/^application\/x-www-form-urlencoded\b/i.test(incoming.headers['content-type'] ?? '')) return streamed(c, next);
    // A form (every POST of the app) is read from node's own stream: the node adapter's WHATWG Request and
    // its body stream, built only to be read once, cost the htmx fragment a tenth of its server time.
    const body = await readLimited(incoming, maxSize);
    if (body === 'tooLarge') return tooLarge(c);
    if (body === 'broken') return errorPage(c, 400, 'error.badRequest.title', 'error.badRequest.body');
    // Where hono's body readers look first (the validators, parseBody, the CSRF check).
    (c.req.bodyCache as Record<string, unknown>).arrayBuffer = Promise.resolve(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
    return next();
  };
};

/**
 * The whole body; 'tooLarge' as soon as it is (or says it will be) larger than `max`, the rest left
 * unread (the node adapter drains or closes the connection); 'broken' when the client broke it off.
 */
function readLimited(incoming: IncomingMessage, max: number): Promise<Buffer | 'tooLarge' | 'broken'> {
  if (Number(incoming.headers['content-length'] ?? 0) > max) return Promise.resolve('tooLarge');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (value: Buffer | 'tooLarge' | 'broken') => {
      incoming.off('data', onData).off('end', onEnd).off('error', onError);
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      incoming.pause();
      done('tooLarge');
    };
    const onEnd = () => done(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    const onError = () => done('broken');
    incoming.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/** Text a field may hold: no NUL (PostgreSQL text cannot store it) and no other C0 control except tab and line breaks. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/** `a=1&b=%zz`: true when every name and value decodes as UTF-8 and holds no control character. */
export function wellFormedPairs(encoded: string): boolean {
  for (const pair of encoded.split('&')) {
    for (const part of pair.split('=')) {
      let text: string;
      try {
        text = decodeURIComponent(part.replace(/\+/g, ' '));
      } catch {
        return false;
      }
      if (FORBIDDEN.test(text)) return false;
    }
  }
  return true;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A form's fields as hono's body readers take them (the CSRF check, the validators), parsed from the
 * text already decoded here as the WHATWG `formData()` parses it (URLSearchParams, in order). Left to
 * hono, each form would be parsed by a `Response` built around the body only to read it once.
 */
function formDataOf(text: string): FormData {
  const form = new FormData();
  for (const [name, value] of new URLSearchParams(text)) form.append(name, value);
  return form;
}

async function wellFormedBody(c: Parameters<MiddlewareHandler<AppEnv>>[0]): Promise<boolean> {
  const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') {
    let text: string;
    try {
      text = utf8.decode(await c.req.arrayBuffer());
    } catch {
      return false;
    }
    if (!wellFormedPairs(text)) return false;
    (c.req.bodyCache as Record<string, unknown>).formData = Promise.resolve(formDataOf(text));
    return true;
  }
  if (type === 'multipart/form-data') {
    // A wrong or truncated boundary makes parsing throw: the body is bad, not the server.
    const form = await c.req.parseBody({ all: true }).catch(() => null);
    if (!form) return false;
    return Object.entries(form).every(([k, v]) => !FORBIDDEN.test(k) && [v].flat().every((x) => typeof x !== 'string' || !FORBIDDEN.test(x)));
  }
  return true;
}

/** 400 for a malformed query string or form body; the parsed body stays cached for the routes. */
export const wellFormedInput = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const url = c.req.url;
  const q = url.indexOf('?');
  const search = q < 0 ? '' : url.slice(q + 1).replace(/#.*$/, '');
  let pathOk: boolean;
  try {
    // The path as sent (before any decoding): from the first '/' after the scheme up to the query.
    pathOk = !FORBIDDEN.test(decodeURIComponent(url.slice(url.indexOf('/', url.indexOf(':') + 3), q < 0 ? undefined : q)));
  } catch {
    pathOk = false;
  }
  if (!pathOk || !wellFormedPairs(search) || (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !(await wellFormedBody(c)))) {
    return errorPage(c, 400, 'error.badRequest.title', 'error.badRequest.body');
  }
  await next();
};
