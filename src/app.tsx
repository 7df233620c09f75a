import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { authRoutes } from './auth/auth.routes.tsx';
import { activityRoutes } from './activity/activity.routes.tsx';
import { relationshipRoutes } from './relationships/relationships.routes.tsx';
import { usersRoutes } from './users/users.routes.tsx';
import { portalRoutes } from './portal/portal.routes.tsx';
import type { AppEnv, Deps } from './context.ts';
import { healthRoutes } from './health/health.routes.ts';
import { homeRoutes } from './home/home.routes.tsx';
import { authorizeRoutes } from './invitations/authorize.routes.tsx';
import { linksRoutes } from './invitations/links.routes.tsx';
import { mailboxRoutes } from './mail/mailbox.routes.tsx';
import { partnerRoutes } from './partners/partners.routes.tsx';
import { purchaseRoutes } from './purchase/purchase.routes.tsx';
import { subscriptionRoutes } from './subscriptions/subscriptions.routes.tsx';
import { compress } from './http/compress.ts';
import { csrf, errorPage, requestContext, session } from './http/middleware.tsx';
import { staticAssets } from './http/static.ts';
import { faviconRoute } from './assets/favicon.ts';
import { preferencesRoutes } from './preferences/preferences.routes.tsx';
import { layout } from './ui/layout.tsx';

function logError(err: Error, method: string, path: string) {
  console.error(JSON.stringify({ level: 'error', time: new Date().toISOString(), method, path, message: err.message, stack: err.stack }));
}

/** The whole application; the server and the tests both build it from here. */
export function createApp(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: 'same-origin',
    }),
  );
  app.use(compress());
  app.route('/', staticAssets);
  app.route('/', faviconRoute);
  app.use(requestContext(deps));
  app.route('/', healthRoutes);
  app.use(layout);
  app.use(csrf());
  app.use(session());

  app.route('/', authRoutes);
  app.route('/', preferencesRoutes);
  app.route('/', homeRoutes);
  app.route('/', linksRoutes);
  app.route('/', authorizeRoutes);
  app.route('/', mailboxRoutes);
  app.route('/', subscriptionRoutes);
  app.route('/', purchaseRoutes);
  app.route('/', partnerRoutes);
  app.route('/', relationshipRoutes);
  app.route('/', activityRoutes);
  app.route('/', usersRoutes);
  app.route('/', portalRoutes);

  app.notFound((c) => errorPage(c, 404, 'error.notFound.title', 'error.notFound.body'));
  app.onError((err, c) => {
    logError(err, c.req.method, c.req.path);
    if (!c.get('i18n')) return c.text('Internal Server Error', 500);
    return errorPage(c, 500, 'error.server.title', 'error.server.body');
  });
  return app;
}
