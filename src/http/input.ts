/**
 * Limits and checks every request passes before any route reads it: a body larger than a form needs is
 * refused before it is read (413), and a query string or form that is not well-formed text is refused
 * once, here (400), instead of reaching a query where PostgreSQL rejects a NUL as an error (a 500).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../context.ts';
import { errorPage } from './middleware.tsx';

/** Every form of the app is a few fields of text; 64 KB is generous and keeps a flood of POSTs cheap. */
export const FORM_BODY_LIMIT = 64 * 1024;

/**
 * Refuses a larger body without reading it (by its Content-Length), or as soon as a chunked one grows
 * past it: hono's own `bodyLimit`. A GET or HEAD has no body to limit and passes untouched.
 */
export const limitBody = (maxSize = FORM_BODY_LIMIT): MiddlewareHandler<AppEnv> => {
  const limited = bodyLimit({ maxSize, onError: (c: Context) => errorPage(c as never, 413, 'error.tooLarge.title', 'error.tooLarge.body') });
  return (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limited(c, next));
};

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

async function wellFormedBody(c: Parameters<MiddlewareHandler<AppEnv>>[0]): Promise<boolean> {
  const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') {
    let text: string;
    try {
      text = utf8.decode(await c.req.arrayBuffer());
    } catch {
      return false;
    }
    // hono keeps the body it read: the validators and the CSRF check parse their fields from it.
    return wellFormedPairs(text);
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
