/** Settings → Alerts: a global admin sets N of "more than N password resets within 10 minutes" (1–100, default 5). */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context.ts';
import { requireRole } from '../authorization/require-role.ts';
import { redirectWithFlash } from '../http/respond.ts';
import { form } from '../http/validate.ts';
import { parseResetLimit, resetLimit, saveResetLimit } from './settings.queries.ts';
import { ALERTS_PAGE, AlertSettingsPage } from './settings.views.tsx';

const globalAdmin = requireRole('global_admin');

export const alertSettingsRoutes = new Hono<AppEnv>()
  .get(ALERTS_PAGE, globalAdmin, async (c) => {
    const limit = await resetLimit(c.get('deps').db, c.get('auth')!.org.id);
    return c.render(<AlertSettingsPage value={String(limit)} />, { title: c.get('i18n').t('alerts.settings.title') });
  })
  .post(ALERTS_PAGE, globalAdmin, form(z.object({ resetLimit: z.string().max(1000) })), async (c) => {
    const auth = c.get('auth')!;
    const typed = c.req.valid('form').resetLimit;
    const limit = parseResetLimit(typed);
    if (limit === null) {
      // The form again with what was typed and why it is refused.
      c.status(422);
      return c.render(<AlertSettingsPage value={typed} error={c.get('i18n').t('alerts.settings.invalid')} />, {
        title: c.get('i18n').t('alerts.settings.title'),
      });
    }
    await saveResetLimit(c.get('deps').db, { orgId: auth.org.id, limit, actor: { id: auth.user.id, name: auth.user.name } });
    return redirectWithFlash(c, ALERTS_PAGE, 'alerts.settings.saved');
  });
