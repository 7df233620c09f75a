import { sql } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context.ts';
import { form } from '../http/validate.ts';
import { locales, type Locale } from '../i18n/locales.ts';
import { isTimeZone } from '../i18n/regional.ts';
import { LOCALE_COOKIE, notFound } from '../http/middleware.tsx';
import { customerAdmin, requireRole } from '../authorization/require-role.ts';
import { now, redirectWithFlash, safeNext, writeCookie } from '../http/respond.ts';
import { PreferencesPage } from './preferences.views.tsx';
import { changeOwnPassword, ownSessions, signOutOtherSessions, signOutSession } from './sessions.ts';
import { clientAddress } from '../auth/auth.routes.tsx';
import { countAttemptAndFindUser } from '../auth/auth.queries.ts';
import { hashPassword, verifyPassword } from '../auth/password.ts';
import { signInKeys, signInWait } from '../auth/signin-limits.ts';

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

function rememberLocale(c: Context<AppEnv>, locale: Locale) {
  writeCookie(c, LOCALE_COOKIE, locale, { maxAge: 365 * 24 * 3600 });
}

const preferencesForm = z.object({ locale: z.enum(locales), timeZone: z.string().max(64) });

/** The admin's view, and each person's language and time zone (stored per user; the language also in a cookie, so it works signed out too). */
export const preferencesRoutes = new Hono<AppEnv>()
  .post(
    '/settings/view',
    requireRole(...customerAdmin),
    form(z.object({ view: z.enum(['simplified', 'dashboard']), back: z.string().optional() })),
    async (c) => {
      const { view, back } = c.req.valid('form');
      const auth = c.get('auth')!;
      await c.get('deps').db.execute(sql`update users set view = ${view} where id = ${auth.user.id} and org_id = ${auth.org.id}`);
      return redirectWithFlash(c, safeNext(back), 'layout.viewChanged');
    },
  )
  .get('/settings/preferences', requireRole(), async (c) => {
    const auth = c.get('auth')!;
    const values = { locale: c.get('i18n').locale, timeZone: auth.user.timeZone };
    const sessions = await ownSessions(c.get('deps').db, auth, now(c));
    return c.render(<PreferencesPage values={values} now={now(c)} sessions={sessions} />, { title: c.get('i18n').t('prefs.title') });
  })
  .post('/settings/preferences', requireRole(), form(preferencesForm), async (c) => {
    const { locale, timeZone } = c.req.valid('form');
    const auth = c.get('auth')!;
    if (!isTimeZone(timeZone)) {
      c.status(422);
      const sessions = await ownSessions(c.get('deps').db, auth, now(c));
      return c.render(
        <PreferencesPage values={{ locale, timeZone: auth.user.timeZone }} error={c.get('i18n').t('prefs.error.timeZone')} now={now(c)} sessions={sessions} />,
        {
          title: c.get('i18n').t('prefs.title'),
        },
      );
    }
    await c.get('deps').db.execute(sql`update users set locale = ${locale}, time_zone = ${timeZone} where id = ${auth.user.id} and org_id = ${auth.org.id}`);
    rememberLocale(c, locale);
    return redirectWithFlash(c, '/settings/preferences', 'prefs.saved');
  })
  .post(`/settings/sessions/:id{${UUID}}/signout`, requireRole(), async (c) => {
    const auth = c.get('auth')!;
    const id = c.req.param('id').toLowerCase();
    // This browser's own session: the same as signing out.
    if (id === auth.twoStep.sessionPublicId) return c.redirect('/settings/preferences', 303);
    if (!(await signOutSession(c.get('deps').db, auth, id))) return notFound(c);
    return redirectWithFlash(c, '/settings/preferences', 'twostep.sessions.signedOut');
  })
  .post(
    '/settings/password',
    requireRole(),
    form(z.object({ currentPassword: z.string().max(1000).default(''), newPassword: z.string().max(1000).default('') })),
    async (c) => {
      const auth = c.get('auth')!;
      const { currentPassword, newPassword } = c.req.valid('form');
      const { t } = c.get('i18n');
      const db = c.get('deps').db;
      const at = now(c);
      const again = async (errors: Record<string, string>, status: 401 | 422 | 429) => {
        c.status(status);
        const sessions = await ownSessions(db, auth, at);
        const values = { locale: c.get('i18n').locale, timeZone: auth.user.timeZone };
        return c.render(<PreferencesPage values={values} now={at} sessions={sessions} passwordErrors={errors} />, { title: t('prefs.title') });
      };
      if (newPassword.length < 10 || newPassword.length > 200) return again({ newPassword: t('auth.error.password') }, 422);
      // The current password is checked like a sign-in: it counts toward the same limits.
      const keys = signInKeys(auth.user.email, clientAddress(c));
      const { counters, user } = await countAttemptAndFindUser(db, auth.user.email, keys, at);
      const wait = signInWait(keys, counters, at);
      if (wait > 0) {
        c.header('retry-after', String(wait));
        return again({ currentPassword: t('auth.signin.locked', { minutes: Math.ceil(wait / 60) }) }, 429);
      }
      if (!user || user.id !== auth.user.id || !(await verifyPassword(user.passwordHash, currentPassword))) {
        return again({ currentPassword: t('twostep.password.wrong') }, 401);
      }
      await changeOwnPassword(db, auth, await hashPassword(newPassword));
      return redirectWithFlash(c, '/settings/preferences', 'twostep.password.changed');
    },
  )
  .post('/settings/sessions/signout-others', requireRole(), async (c) => {
    await signOutOtherSessions(c.get('deps').db, c.get('auth')!);
    return redirectWithFlash(c, '/settings/preferences', 'twostep.sessions.othersSignedOut');
  })
  .post('/language', form(z.object({ locale: z.enum(locales), back: z.string().optional() })), async (c) => {
    const { locale, back } = c.req.valid('form');
    rememberLocale(c, locale);
    // Signed in: the language is also the person's, for their e-mails and their other browsers.
    const auth = c.get('auth');
    if (auth) await c.get('deps').db.execute(sql`update users set locale = ${locale} where id = ${auth.user.id} and org_id = ${auth.org.id}`);
    return c.redirect(safeNext(back), 303);
  });
