import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context.ts';
import { form } from '../http/validate.ts';
import { locales } from '../i18n/locales.ts';
import { customerAdmin, LOCALE_COOKIE, requireRole } from '../http/middleware.tsx';
import { redirectWithFlash, safeNext, writeCookie } from '../http/respond.ts';

/** The admin's view (stored per user) and the language (a cookie, so it works signed out too). */
export const preferencesRoutes = new Hono<AppEnv>()
  .post('/settings/view', requireRole(...customerAdmin), form(z.object({ view: z.enum(['simplified', 'dashboard']), back: z.string().optional() })), async (c) => {
    const { view, back } = c.req.valid('form');
    const auth = c.get('auth')!;
    await c.get('deps').db.execute(sql`update users set view = ${view} where id = ${auth.user.id} and org_id = ${auth.org.id}`);
    return redirectWithFlash(c, safeNext(back), 'layout.viewChanged');
  })
  .post('/language', form(z.object({ locale: z.enum(locales), back: z.string().optional() })), (c) => {
    const { locale, back } = c.req.valid('form');
    writeCookie(c, LOCALE_COOKIE, locale, { maxAge: 365 * 24 * 3600 });
    return c.redirect(safeNext(back), 303);
  });
