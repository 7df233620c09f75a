import { Hono } from 'hono';
import { z } from 'zod';
import { isCountryCode } from '../catalog/countries.ts';
import type { AppEnv } from '../context.ts';
import { notFound } from '../http/middleware.tsx';
import { customerAdmin, requireRole } from '../authorization/require-role.ts';
import { badRequest, parsedQuery } from '../http/validate.ts';
import { decodeCursor, encodeCursor, isUuid } from '../http/cursor.ts';
import { finderRead, finderResult } from './partners.queries.ts';
import { pageRead } from '../auth/session-read.ts';
import { FinderPage } from './partners.views.tsx';

const finderQuery = z.object({
  q: z.string().optional(),
  product: z.string().optional(),
  country: z.string().optional(),
  after: z.string().optional(),
  checkout: z.string().optional(),
});

function decodeAfter(value: string | undefined): { name: string; orgId: string } | null {
  const c = decodeCursor(value);
  return c && c.key !== null ? { name: c.key, orgId: c.id } : null;
}

/** The partner finder: open to every signed-in person; from a checkout, only to its organization's admins. */
export const partnerRoutes = new Hono<AppEnv>().get(
  '/partners',
  requireRole(),
  pageRead(
    (c) => {
      // A query no form sends (400) reads nothing; neither does a checkout id that is no id (404).
      const input = parsedQuery(c, finderQuery);
      if (!input) return null;
      const checkoutId = input.checkout || null;
      if (checkoutId && !isUuid(checkoutId)) return null;
      const q = (input.q ?? '').trim().slice(0, 100);
      const product = input.product && /^[a-z0-9-]{1,40}$/.test(input.product) ? input.product : null;
      const country = isCountryCode(input.country) ? input.country : null;
      return { ...finderRead({ q, product, country, after: decodeAfter(input.after), checkoutId }), input, checkoutId, q, product, country };
    },
    (c, read, { limit, input, checkoutId, q, product, country }) => {
      if (checkoutId && !customerAdmin.includes(c.get('auth')!.user.role)) return notFound(c);
      const result = finderResult(read, limit);
      if (checkoutId && !result.checkout) return notFound(c);
      const params = (after?: string) => {
        const p = new URLSearchParams();
        if (checkoutId) p.set('checkout', checkoutId);
        if (q) p.set('q', q);
        if (product && !checkoutId) p.set('product', product);
        if (country && !checkoutId) p.set('country', country);
        if (after) p.set('after', after);
        return `/partners?${p}`;
      };
      const nextHref = result.next ? params(encodeCursor({ key: result.next.name, id: result.next.orgId })) : null;
      const firstHref = input.after ? params() : null;
      return c.render(<FinderPage q={q} product={product} country={country} result={result} nextHref={nextHref} firstHref={firstHref} />, {
        title: c.get('i18n').t('partners.title'),
      });
    },
    // The query is parsed once, by the plan; only a refused request parses it again, to say why.
    (c) => (parsedQuery(c, finderQuery) ? notFound(c) : badRequest(c)),
  ),
);
