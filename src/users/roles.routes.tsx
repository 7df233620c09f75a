import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context.ts';
import { UUID } from '../http/cursor.ts';
import { errorPage, forbidden, notFound } from '../http/middleware.tsx';
import { isPartial, now, redirectWithFlash } from '../http/respond.ts';
import { form } from '../http/validate.ts';
import type { I18n } from '../i18n/index.ts';
import { localizedMail, type LocalizedMail } from '../mail/outbox.ts';
import { respond } from '../ui/fragment.tsx';
import type { AdminSide } from '../authorization/admin-side.ts';
import { lockPeople, writeBillingOwner, writeRoles, type Locked } from './roles.queries.ts';
import { isCustomerRole, narrowRoles, planBillingHandover, planRoleChange, type Actor, type RoleRefusal } from '../authorization/roles.rules.ts';
import { roleName, RolesSection, type RolesState } from './roles.views.tsx';
import type { Scope } from '../authorization/scope.ts';
import { userPage, type UserPageData } from './users.queries.ts';
import { UserPage, type Links } from './users.views.tsx';

const rolesForm = z.object({ role: z.string().default(''), adminRoles: z.union([z.string(), z.array(z.string())]).optional() });

const actorOf = (s: Scope, locked: Locked): Actor =>
  s.partner ? { kind: 'partner', orgId: s.partner.orgId, roles: locked.roles } : { kind: 'own', role: locked.actorRole ?? '' };

/** The e-mail to the person whose roles changed, in their language (mail/outbox.ts); the actor's when nothing is known. */
function rolesMail(fallback: I18n, to: string, p: { org: string; granted: string[]; removed: string[] }): LocalizedMail {
  return localizedMail(to, fallback.locale, (i) => {
    const list = (rs: string[]) => rs.map((r) => roleName(i.t, r)).join(', ');
    return {
      subject: i.t('users.roles.mail.subject', { org: p.org }),
      body: [
        ...(p.granted.length ? [i.t('users.roles.mail.granted', { roles: list(p.granted), org: p.org })] : []),
        ...(p.removed.length ? [i.t('users.roles.mail.removed', { roles: list(p.removed), org: p.org })] : []),
      ].join('\n'),
    };
  });
}

/** The e-mail to the new billing account owner, in their language. */
const ownerMail = (fallback: I18n, to: string, org: string): LocalizedMail =>
  localizedMail(to, fallback.locale, (i) => ({ subject: i.t('users.roles.mail.ownerSubject', { org }), body: i.t('users.roles.mail.ownerBody', { org }) }));

type Outcome = { status: 'noAccess' | 'notFound' | RoleRefusal | 'notGlobalAdmin' | 'alreadyOwner' } | { status: 'done'; page: UserPageData };

/** Assigning admin roles and handing over billing ownership, under `/users/:id` for both the organization and its partner. */
export function roleRoutes(opts: AdminSide & { users: string; links: (c: Context<AppEnv>) => Links }) {
  const user = `${opts.users}/:userId{${UUID}}`;

  async function answer(c: Context<AppEnv>, out: Outcome, flash: 'users.roles.saved' | 'users.roles.ownerChanged') {
    const scope = opts.scope(c);
    const links = opts.links(c);
    const { t } = c.get('i18n');
    const userId = c.req.param('userId')!;
    const action = `${links.users}/${userId}/roles`;
    if (out.status === 'noAccess' || out.status === 'notFound') return notFound(c);
    if (out.status === 'forbidden') return forbidden(c);
    if (out.status === 'done' && !isPartial(c)) return redirectWithFlash(c, `${links.users}/${userId}`, flash);
    let data: UserPageData | null;
    let state: RolesState;
    let status: 200 | 403 | 409 = 200;
    if (out.status === 'done') [data, state] = [out.page, { notice: t(flash) }];
    else {
      data = await userPage(c.get('deps').db, scope, now(c), userId);
      if (!data?.user) return notFound(c);
      [state, status] =
        out.status === 'unchanged'
          ? [{ notice: t('users.roles.unchanged') }, 200]
          : [{ error: t(`users.roles.refused.${out.status}`) }, out.status === 'globalAdminOnly' ? 403 : 409];
    }
    return respond(c, {
      part: <RolesSection data={data} scope={scope} action={action} state={state} />,
      page: <UserPage data={data} scope={scope} links={links} roles={state} />,
      title: data.user!.name,
      status,
    });
  }

  return new Hono<AppEnv>()
    .post(`${user}/roles`, opts.guard, form(rolesForm), async (c) => {
      const scope = opts.scope(c);
      const at = now(c);
      const userId = c.req.param('userId')!;
      const values = c.req.valid('form');
      if (!isCustomerRole(values.role)) return errorPage(c, 400, 'error.badRequest.title', 'error.badRequest.body');
      const desired = { role: values.role, adminRoles: narrowRoles.filter((r) => [values.adminRoles ?? []].flat().includes(r)) };
      const i = c.get('i18n');
      const out = await c.get('deps').db.transaction(async (tx): Promise<Outcome> => {
        const locked = await lockPeople(tx, scope, at, userId);
        if (!locked.granted) return { status: 'noAccess' };
        if (!locked.target) return { status: 'notFound' };
        const plan = planRoleChange({ actor: actorOf(scope, locked), target: locked.target, desired, globalAdmins: locked.globalAdmins });
        if (!plan.ok) return { status: plan.reason };
        const mail = rolesMail(i, locked.target.email, { org: locked.orgName, granted: plan.granted, removed: plan.removed });
        return { status: 'done', page: await writeRoles(tx, scope, at, { userId, ...desired, granted: plan.granted, removed: plan.removed, mail }) };
      });
      return answer(c, out, 'users.roles.saved');
    })
    .post(`${user}/billing-owner`, opts.guard, async (c) => {
      const scope = opts.scope(c);
      const at = now(c);
      const userId = c.req.param('userId')!;
      const i = c.get('i18n');
      const out = await c.get('deps').db.transaction(async (tx): Promise<Outcome> => {
        const locked = await lockPeople(tx, scope, at, userId);
        if (!locked.granted) return { status: 'noAccess' };
        if (!locked.target) return { status: 'notFound' };
        const plan = planBillingHandover(actorOf(scope, locked), locked.target);
        if (!plan.ok) return { status: plan.reason };
        const mail = ownerMail(i, locked.target.email, locked.orgName);
        return { status: 'done', page: await writeBillingOwner(tx, scope, at, { userId, mail }) };
      });
      return answer(c, out, 'users.roles.ownerChanged');
    });
}
