import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.ts';
import type { Role } from '../db/schema.ts';
import { errorPage } from '../http/middleware.tsx';
import { permissionsOf, type Permission } from './roles.rules.ts';

export const customerAdmin: Role[] = ['global_admin', 'billing_admin'];
export const partnerStaff: Role[] = ['partner_admin', 'partner_agent'];

/** The organization's admins who may open the users pages: by base role or by a narrower admin role. */
export const userAdmins: (Role | Permission)[] = [...customerAdmin, 'users', 'passwords', 'licenses'];

/**
 * Signed out → sign-in (and back here after); signed in holding none of `roles` → 403. A narrower admin
 * role (users, passwords, licenses, domains) counts for a customer's person who holds it; a global admin
 * holds them all (roles.rules.ts).
 */
export const requireRole =
  (...roles: (Role | Permission)[]): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const auth = c.get('auth');
    if (!auth) {
      const referer = c.req.header('referer');
      // A Referer that is not a URL is ignored like a missing one.
      const back = c.req.method === 'GET' ? c.req.path + (new URL(c.req.url).search || '') : referer && URL.canParse(referer) ? new URL(referer).pathname : '/';
      return c.redirect(`/signin?next=${encodeURIComponent(back)}`, 303);
    }
    const held = [auth.user.role, ...(auth.org.kind === 'customer' ? permissionsOf(auth.user) : [])];
    if (roles.length > 0 && !held.some((r) => roles.includes(r))) return errorPage(c, 403, 'error.forbidden.title', 'error.forbidden.body');
    await next();
  };
