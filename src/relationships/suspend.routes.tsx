/**
 * Settings → Partner relationships → Suspend / Resume a partner's delegated admin (issue 24 §4, decision
 * 111), and the partner's side: a request on behalf of a customer that suspended it gets a 403 page naming
 * both, not a 404. The URLs name the partner (at most one active delegated admin per partner), so an alert
 * mail about that partner links straight to its Suspend page.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.ts';
import { customerAdmin, requireRole } from '../authorization/require-role.ts';
import { UUID } from '../http/cursor.ts';
import { errorPage, notFound } from '../http/middleware.tsx';
import { isPartial, now, redirectWithFlash } from '../http/respond.ts';
import { fragment, respond } from '../ui/fragment.tsx';
import { listPartnersOfCustomer } from './relationships.queries.ts';
import { RelationshipsSection } from './relationships.views.tsx';
import { setSuspended, suspendTarget, suspensionOf, type SuspendResult } from './suspend.queries.ts';
import { maySuspend } from './suspend.rules.ts';
import { SuspendConfirm, SuspendedRefusal, SuspendPage, suspendMail, SUSPEND_BASE } from './suspend.views.tsx';

const PAGE = '/settings/partner-relationships';
const PARTNER = `${SUSPEND_BASE}/:id{${UUID}}`;

/** A customer admin who may not suspend (billing admin, narrower admins): 403, with the reason. */
const suspender: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!maySuspend(c.get('auth')!.user.role)) return errorPage(c, 403, 'rel.error.notAllowed.title', 'rel.suspend.why.globalAdminOnly');
  await next();
};
const guard = [requireRole(...customerAdmin), suspender] as const;

/** The list again with a notice or an error, for htmx (the third statement at most: session, change, list). */
async function list(c: Context<AppEnv>, extra: { notice?: string; error?: string }, status: 200 | 409 = 200) {
  const auth = c.get('auth')!;
  const at = now(c);
  const page = await listPartnersOfCustomer(c.get('deps').db, auth.org.id, at);
  return fragment(c, <RelationshipsSection {...page} role={auth.user.role} now={at} {...extra} />, status);
}

async function change(c: Context<AppEnv>, suspend: boolean) {
  const auth = c.get('auth')!;
  const partnerOrgId = c.req.param('id')!;
  const result: SuspendResult = await setSuspended(c.get('deps').db, {
    orgId: auth.org.id,
    partnerOrgId,
    suspend,
    actor: { id: auth.user.id, name: auth.user.name },
    now: now(c),
    mail: suspendMail(suspend),
  });
  if (result.outcome === 'notFound') return notFound(c);
  const done = suspend ? 'rel.suspend.done' : 'rel.suspend.resumed';
  if (result.outcome === 'done') return isPartial(c) ? list(c, { notice: c.get('i18n').t(done) }) : redirectWithFlash(c, PAGE, done);
  // Already suspended (or not suspended, for resume), or no active delegated admin: said plainly, nothing changed.
  const names = { partner: result.partnerName, customer: result.customerName };
  const { t } = c.get('i18n');
  const error = result.outcome === 'notActive' ? t('rel.suspend.notActive', names) : t(suspend ? 'rel.suspend.already' : 'rel.suspend.notSuspended', names);
  if (isPartial(c)) return list(c, { error }, 409);
  // The page as it now is (the third statement: session, change, this read), with why nothing changed.
  const found = await suspendTarget(c.get('deps').db, auth.org.id, partnerOrgId, now(c));
  if (!found) return notFound(c);
  c.status(409);
  return c.render(<SuspendPage s={{ partnerOrgId, ...found }} error={error} />, { title: t('rel.title') });
}

export const suspendRoutes = new Hono<AppEnv>()
  .get(`${PARTNER}/suspend`, ...guard, async (c) => {
    const auth = c.get('auth')!;
    const partnerOrgId = c.req.param('id');
    const found = await suspendTarget(c.get('deps').db, auth.org.id, partnerOrgId, now(c));
    if (!found) return notFound(c);
    const s = { partnerOrgId, ...found };
    return respond(c, { part: <SuspendConfirm s={s} />, page: <SuspendPage s={s} />, title: c.get('i18n').t('rel.title') });
  })
  .post(`${PARTNER}/suspend`, ...guard, (c) => change(c, true))
  .post(`${PARTNER}/resume`, ...guard, (c) => change(c, false));

const onBehalf = new RegExp(`^/portal/customers/(${UUID})(?:/|$)`);

/**
 * Around every request of a partner's people on behalf of a customer (`/portal/customers/:id/…`): when the
 * grant refused it (grant() in authorization/scope.ts answers as if nothing were there: 404) and the reason
 * is the customer's suspension, the answer becomes the 403 page naming both. Read only after a refusal.
 */
export const suspendedRefusal: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const auth = c.get('auth');
  if (c.res.status !== 404 || auth?.org.kind !== 'partner') return;
  const customerOrgId = onBehalf.exec(c.req.path)?.[1];
  if (!customerOrgId) return;
  const s = await suspensionOf(c.get('deps').db, customerOrgId, auth.org.id);
  if (!s) return;
  c.status(403);
  const page = await c.render(<SuspendedRefusal customer={s.customerName} partner={s.partnerName} />, { title: c.get('i18n').t('rel.suspend.refused.title') });
  c.res = undefined;
  c.res = page;
};
