/**
 * Just-in-time elevation (issue 24 §1–2, decision 110). Partner: activate an eligible role of a customer
 * (/portal/customers/:id/elevations), end it early. Customer: decide on a request from its mail
 * (/elevations/:id, POST buttons that work without JavaScript; the first decision wins), end one early,
 * and per relationship set the approval policy and narrow the roles (/settings/partner-relationships/:id/access).
 */
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context.ts';
import { customerAdmin, partnerStaff, requireRole } from '../authorization/require-role.ts';
import { UUID } from '../http/cursor.ts';
import { errorPage, notFound } from '../http/middleware.tsx';
import { now, redirectWithFlash } from '../http/respond.ts';
import { form } from '../http/validate.ts';
import type { FieldErrors } from '../ui/form.tsx';
import { permissions } from '../authorization/roles.rules.ts';
import {
  decideElevation,
  elevationOf,
  endElevation,
  narrowRoles,
  partnerAccess,
  relationshipAccess,
  requestElevation,
  setApprovalPolicy,
} from './elevation.queries.ts';
import { checkActivation, eligibleOf, hoursOf } from './elevation.rules.ts';
import { AccessPage, ActivationPage, DecisionPage } from './elevation.views.tsx';

const ID = `:id{${UUID}}`;
const EID = `:eid{${UUID}}`;
const activationForm = z.object({
  role: z.string().max(40).default(''),
  hours: z.string().max(4).default(''),
  reason: z.string().max(2000).default(''),
  ticket: z.string().max(400).default(''),
});
const policyForm = z.object({ policy: z.enum(['required', 'auto']) });
const rolesForm = z.object(Object.fromEntries(permissions.map((p) => [`role_${p}`, z.string().max(8).optional()])));

const staff = requireRole(...partnerStaff);
const globalAdmin = requireRole('global_admin');
const admins = requireRole(...customerAdmin);
const publicUrl = (c: Context<AppEnv>) => c.get('deps').env.PUBLIC_URL;
const person = (c: Context<AppEnv>) => ({ id: c.get('auth')!.user.id, name: c.get('auth')!.user.name });

export const elevationRoutes = new Hono<AppEnv>()
  // ---- Partner ----
  .get(`/portal/customers/${ID}/elevations`, staff, async (c) => {
    const auth = c.get('auth')!;
    const at = now(c);
    const access = await partnerAccess(c.get('deps').db, auth.org.id, c.req.param('id'), auth.user.id, at);
    if (!access) return notFound(c);
    return c.render(<ActivationPage access={access} customerId={c.req.param('id')} now={at} />, {
      title: c.get('i18n').t('elev.title', { customer: access.customerName }),
    });
  })
  .post(`/portal/customers/${ID}/elevations`, staff, form(activationForm), async (c) => {
    const auth = c.get('auth')!;
    const { db } = c.get('deps');
    const { t } = c.get('i18n');
    const at = now(c);
    const customerId = c.req.param('id');
    const values = c.req.valid('form');
    const again = async (errors: FieldErrors) => {
      const access = await partnerAccess(db, auth.org.id, customerId, auth.user.id, at);
      if (!access) return notFound(c);
      c.status(422);
      return c.render(<ActivationPage access={access} customerId={customerId} now={at} values={values} errors={errors} />, {
        title: t('elev.title', { customer: access.customerName }),
      });
    };
    // The form's own checks first (the roles offered are re-checked by the statement, against the relationship as it is).
    const eligibleAll = Object.fromEntries(permissions.map((p) => [p, 8]));
    const checked = checkActivation(values, eligibleAll);
    if (!checked.ok) return again(Object.fromEntries(Object.entries(checked.errors).map(([k, key]) => [k, t(key)])));
    const result = await requestElevation(db, {
      id: randomUUID(),
      customerId,
      partnerOrgId: auth.org.id,
      user: person(c),
      ...checked.ok,
      now: at,
      publicUrl: publicUrl(c),
    });
    if (result.outcome === 'noRelationship') return notFound(c);
    if (result.outcome === 'duplicate') return again({ role: t('elev.error.duplicate') });
    if (result.outcome === 'notEligible') return again({ role: t('elev.error.role'), hours: t('elev.error.duration') });
    return redirectWithFlash(c, `/portal/customers/${customerId}/elevations`, result.outcome === 'active' ? 'elev.activated.flash' : 'elev.requested.flash');
  })
  .post(`/portal/customers/${ID}/elevations/${EID}/end`, staff, async (c) => {
    const auth = c.get('auth')!;
    const result = await endElevation(c.get('deps').db, {
      id: c.req.param('eid'),
      side: { partnerOrgId: auth.org.id, userId: auth.user.id },
      actor: person(c),
      now: now(c),
      publicUrl: publicUrl(c),
    });
    if (!result.found || result.customerId !== c.req.param('id')) return notFound(c);
    return redirectWithFlash(c, `/portal/customers/${c.req.param('id')}/elevations`, result.done ? 'elev.ended.flash' : 'elev.notEnded');
  })
  // ---- Customer: the decision from the mail ----
  .get(`/elevations/${EID}`, globalAdmin, async (c) => {
    const at = now(c);
    const e = await elevationOf(c.get('deps').db, c.get('auth')!.org.id, c.req.param('eid'), at);
    if (!e) return notFound(c);
    return c.render(<DecisionPage e={e} now={at} />, { title: c.get('i18n').t('elev.decide.title') });
  })
  .post(`/elevations/${EID}/:decision{approve|deny}`, globalAdmin, async (c) => {
    const { db } = c.get('deps');
    const orgId = c.get('auth')!.org.id;
    const at = now(c);
    const approve = c.req.param('decision') === 'approve';
    const result = await decideElevation(db, { id: c.req.param('eid'), orgId, approve, actor: person(c), now: at, publicUrl: publicUrl(c) });
    if (result.outcome === 'notFound') return notFound(c);
    if (result.outcome === 'done') return redirectWithFlash(c, `/elevations/${c.req.param('eid')}`, approve ? 'elev.approved.flash' : 'elev.denied.flash');
    // Someone decided first, it waited too long, or the relationship ended: the page says which, as it now is.
    const e = await elevationOf(db, orgId, c.req.param('eid'), at);
    if (!e) return notFound(c);
    c.status(409);
    return c.render(<DecisionPage e={e} now={at} />, { title: c.get('i18n').t('elev.decide.title') });
  })
  .post(`/elevations/${EID}/end`, admins, async (c) => {
    const result = await endElevation(c.get('deps').db, {
      id: c.req.param('eid'),
      side: { orgId: c.get('auth')!.org.id },
      actor: person(c),
      now: now(c),
      publicUrl: publicUrl(c),
    });
    if (!result.found) return notFound(c);
    // Back to the relationship's access page, which every customer admin may open (the decision page is the global admins').
    return redirectWithFlash(c, `/settings/partner-relationships/${result.relationshipId}/access`, result.done ? 'elev.ended.flash' : 'elev.notEnded');
  })
  // ---- Customer: a relationship's access ----
  .get(`/settings/partner-relationships/${ID}/access`, admins, async (c) => {
    const auth = c.get('auth')!;
    const at = now(c);
    const r = await relationshipAccess(c.get('deps').db, auth.org.id, c.req.param('id'), at);
    if (!r) return notFound(c);
    return c.render(<AccessPage r={r} now={at} globalAdmin={auth.user.role === 'global_admin'} />, {
      title: c.get('i18n').t('elev.access.title', { partner: r.partnerName }),
    });
  })
  .post(`/settings/partner-relationships/${ID}/access/policy`, globalAdmin, form(policyForm), async (c) => {
    const auth = c.get('auth')!;
    const at = now(c);
    const done = await setApprovalPolicy(c.get('deps').db, {
      orgId: auth.org.id,
      id: c.req.param('id'),
      required: c.req.valid('form').policy === 'required',
      actor: person(c),
      now: at,
    });
    if (!done) return notFound(c);
    return redirectWithFlash(c, `/settings/partner-relationships/${c.req.param('id')}/access`, 'elev.access.policy.saved');
  })
  .post(`/settings/partner-relationships/${ID}/access/roles`, globalAdmin, form(rolesForm), async (c) => {
    const auth = c.get('auth')!;
    const { db } = c.get('deps');
    const at = now(c);
    const r = await relationshipAccess(db, auth.org.id, c.req.param('id'), at);
    if (!r || !r.active) return notFound(c);
    const values = c.req.valid('form') as Record<string, string | undefined>;
    const eligible = eligibleOf(r.eligible);
    const roles: string[] = [];
    const next: Record<string, number> = {};
    for (const role of permissions) {
      const choice = values[`role_${role}`] ?? 'keep';
      const hours = hoursOf(choice);
      const standing = r.roles.includes(role);
      if (!standing && !eligible[role]) continue;
      if (choice === 'remove') continue;
      if (hours) next[role] = standing ? hours : Math.min(hours, eligible[role]);
      else if (standing) roles.push(role);
      else next[role] = eligible[role];
    }
    const done = await narrowRoles(db, { orgId: auth.org.id, id: r.id, roles, eligible: next, actor: person(c), now: at });
    if (!done) return errorPage(c, 409, 'elev.access.roles', 'elev.access.notSaved');
    return redirectWithFlash(c, `/settings/partner-relationships/${r.id}/access`, 'elev.access.saved');
  });
