/**
 * Where two-step sign-in stops a request, before its route (one layer of the app's pipeline):
 * 1. a partial session (password only, the second step not done) reaches only the second step;
 * 2. an admin of an organization that requires two-step sign-in, without it, is sent to set it up first;
 * 3. partner staff without it are refused every customer route of the portal (`/portal/customers/…`, and
 *    `/portal/relationships/…`, where they end a relationship with a customer), with a page that says why
 *    and links to the set-up.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv, Auth } from '../context.ts';
import { PartnerNeedsTwoStepPage } from './two-step.views.tsx';

const OPEN_TO_PARTIAL = new Set([
  '/signin/two-step',
  '/signin/two-step/passkey/options',
  '/signin/two-step/passkey',
  '/two-step/passkey.js',
  '/signin',
  '/signout',
  '/language',
]);
const OPEN_BEFORE_SET_UP = new Set(['/settings/two-step', '/settings/two-step/setup', '/two-step/passkey.js', '/signout', '/language', '/dev/mailbox']);

/** An admin of a customer organization: a base admin role, or any narrower one. */
export const isAdmin = (auth: Auth) => auth.user.role === 'global_admin' || auth.user.role === 'billing_admin' || auth.user.adminRoles.length > 0;

export const mustSetUpTwoStep = (auth: Auth) =>
  !auth.twoStep.on && !!auth.user.emailVerifiedAt && auth.org.kind === 'customer' && auth.twoStep.required && isAdmin(auth);

/** The portal's routes that act for, or on the relationship with, one customer. */
const CUSTOMER_ROUTES = /^\/portal\/(customers|relationships)\//;

export const isPartnerStaff = (auth: Auth) => auth.user.role === 'partner_admin' || auth.user.role === 'partner_agent';

export const twoStepGate = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const auth = c.get('auth');
  if (auth) {
    const path = c.req.path;
    if (auth.twoStep.on && !auth.twoStep.verified) {
      if (!OPEN_TO_PARTIAL.has(path)) return c.redirect('/signin/two-step', 303);
    } else if (mustSetUpTwoStep(auth)) {
      if (!OPEN_BEFORE_SET_UP.has(path)) return c.redirect('/settings/two-step', 303);
    } else if (!auth.twoStep.on && isPartnerStaff(auth) && CUSTOMER_ROUTES.test(path)) {
      c.status(403);
      return c.render(<PartnerNeedsTwoStepPage />, { title: c.get('i18n').t('twostep.partner.title') });
    }
  }
  await next();
};
