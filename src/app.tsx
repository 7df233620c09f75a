import { Hono } from 'hono';
import './messages.ts';
import { authRoutes } from './auth/auth.routes.tsx';
import { requireVerifiedEmail, verifyRoutes } from './auth/verify.routes.tsx';
import { activityRoutes } from './activity/activity.routes.tsx';
import { relationshipRoutes } from './relationships/relationships.routes.tsx';
import { suspendedRefusal, suspendRoutes } from './relationships/suspend.routes.tsx';
import { usersRoutes } from './users/users.routes.tsx';
import { domainsRoutes, partnerDomainsRoutes } from './domains/domains.routes.tsx';
import { portalRoutes } from './portal/portal.routes.tsx';
import { elevationRoutes } from './elevation/elevation.routes.tsx';
import type { AppEnv, Deps } from './context.ts';
import { healthRoutes } from './health/health.routes.ts';
import { homeRoutes } from './home/home.routes.tsx';
import { authorizeRoutes } from './invitations/authorize.routes.tsx';
import { linksRoutes } from './invitations/links.routes.tsx';
import { mailboxRoutes } from './mail/mailbox.routes.tsx';
import { partnerRoutes } from './partners/partners.routes.tsx';
import { purchaseRoutes } from './purchase/purchase.routes.tsx';
import { subscriptionRoutes } from './subscriptions/subscriptions.routes.tsx';
import { securityHeaders } from './http/security-headers.ts';
import { errorPage, notFound, requestContext } from './http/middleware.tsx';
import { csrf, session } from './auth/middleware.ts';
import { staticAssets } from './http/static.ts';
import { isDatabaseUnavailable, logError, redactPath } from './http/errors.ts';
import { limitBody, wellFormedInput } from './http/input.ts';
import { pipeline } from './http/pipeline.ts';
import { HTTPException } from 'hono/http-exception';
import { faviconRoute } from './assets/favicon.ts';
import { preferencesRoutes } from './preferences/preferences.routes.tsx';
import { layout } from './ui/layout.tsx';
import { twoStepGate } from './two-step/gate.tsx';
import { twoStepRoutes } from './two-step/two-step.routes.tsx';
// Access reviews and the alert settings (issue 25 §1, §2).
import { reviewRoutes } from './reviews/reviews.routes.tsx';
import { alertSettingsRoutes } from './alerts/settings.routes.tsx';

/** The whole application; the server and the tests both build it from here. */
export function createApp(deps: Deps) {
  const app = new Hono<AppEnv>();
  let lastOutageLog = 0;
  app.use(securityHeaders());
  app.route('/', staticAssets);
  app.route('/', faviconRoute);
  // Each pipeline is one layer of middleware that only works before the route (src/http/pipeline.ts).
  app.use(pipeline(requestContext(deps)));
  app.route('/', healthRoutes);
  // Size first, then well-formedness, then the CSRF check (after the session it is tied to): nothing reads a body before both.
  app.use(pipeline(layout, limitBody(), wellFormedInput(), session(), csrf(), twoStepGate(), requireVerifiedEmail()));

  // A partner refused because the customer suspended it gets a 403 naming both, not the grant's 404 (issue 24 §4).
  app.use('/portal/customers/*', suspendedRefusal);

  app.route('/', authRoutes);
  app.route('/', verifyRoutes);
  app.route('/', preferencesRoutes);
  app.route('/', twoStepRoutes);
  app.route('/', homeRoutes);
  app.route('/', linksRoutes);
  app.route('/', authorizeRoutes);
  app.route('/', mailboxRoutes);
  app.route('/', subscriptionRoutes);
  app.route('/', purchaseRoutes);
  app.route('/', partnerRoutes);
  app.route('/', relationshipRoutes);
  app.route('/', reviewRoutes);
  app.route('/', alertSettingsRoutes);
  app.route('/', suspendRoutes);
  app.route('/', activityRoutes);
  app.route('/', usersRoutes);
  app.route('/', portalRoutes);
  app.route('/', elevationRoutes);
  app.route('/', domainsRoutes);
  app.route('/', partnerDomainsRoutes);

  app.notFound(notFound);
  app.onError((err, c) => {
    const unavailable = isDatabaseUnavailable(err);
    // A refused parse (Hono's validators throw HTTPException 400 on a malformed body) is the client's error.
    const status = unavailable ? 503 : err instanceof HTTPException && err.status < 500 ? err.status : 500;
    const where = { method: c.req.method, path: redactPath(c.req.path), status };
    if (!unavailable && status === 500) logError('request failed', err, where);
    // An outage fails every request the same way: one line per 10 s says so without flooding the log.
    if (unavailable && Date.now() - lastOutageLog >= 10_000) {
      lastOutageLog = Date.now();
      logError('database unavailable', err, where);
    }
    if (!c.get('i18n')) return c.text(unavailable ? 'Service Unavailable' : 'Internal Server Error', unavailable ? 503 : 500);
    if (unavailable) {
      c.header('Retry-After', '5');
      return errorPage(c, 503, 'error.unavailable.title', 'error.unavailable.body');
    }
    if (status === 413) return errorPage(c, 413, 'error.tooLarge.title', 'error.tooLarge.body');
    if (status < 500) return errorPage(c, 400, 'error.badRequest.title', 'error.badRequest.body');
    return errorPage(c, 500, 'error.server.title', 'error.server.body');
  });
  return app;
}
