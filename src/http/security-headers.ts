/**
 * The security headers of every answer: a CSP without inline scripts (and no inline style but the page's
 * own stylesheet, by its hash), no framing, no sniffing, HSTS, a
 * same-origin referrer, and the other defaults of hono's secureHeaders. They never change, so they are a
 * constant list, set on the finished response as hono's middleware does.
 */
import type { MiddlewareHandler } from 'hono';
import { INLINE_CSS_SOURCE } from '../ui/style.ts';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  `style-src 'self' ${INLINE_CSS_SOURCE}`,
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

export const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'same-origin'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
  ['Content-Security-Policy', CSP],
];

export const securityHeaders = (): MiddlewareHandler => async (c, next) => {
  await next();
  for (const [name, value] of SECURITY_HEADERS) c.res.headers.set(name, value);
};
