import { useRequestContext } from '#jsx/jsx-runtime';
import type { AppEnv } from '../context.ts';
import type { MessageKey } from '../i18n/index.ts';
import { CsrfField, ErrorSummary } from '../ui/form.tsx';
import { heldRoles, isCustomerRole, narrowRoles, offeredBaseRoles, type Actor } from '../authorization/roles.rules.ts';
import type { Scope } from '../authorization/scope.ts';
import type { UserPageData } from './users.queries.ts';
import { Notice } from '../ui/notice.tsx';

export interface RolesState {
  notice?: string;
  error?: string;
}

/** "Global admin", "Domains": the label of a base role or a narrower admin role. */
export const roleName = (t: (k: MessageKey) => string, r: string) => t((isCustomerRole(r) ? `users.role.${r}` : `rel.role.${r}`) as MessageKey);

/** The person's admin roles: a form for whoever may assign them, else the list. The htmx fragment of its own form. */
export function RolesSection({ data, scope, action, state = {} }: { data: UserPageData; scope: Scope; action: string; state?: RolesState }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  const user = data.user!;
  const held = heldRoles(user);
  // A partner is offered only what the server accepts from it: never the global admin role, nothing on a global admin.
  const actor: Actor = scope.partner ? { kind: 'partner', orgId: scope.partner.orgId, roles: data.roles } : { kind: 'own', role: scope.actor.role ?? '' };
  const offered = offeredBaseRoles(actor, user);
  const mayManage = data.roles.includes('admin_roles') && isCustomerRole(user.role);
  const manage = mayManage && offered.length > 0;
  const handover = !scope.partner && scope.actor.role === 'global_admin' && user.role === 'global_admin' && !user.isBillingOwner;
  return (
    <section id="user-roles">
      <h2>{t('users.roles.title')}</h2>
      <Notice message={state.notice} />
      <ErrorSummary errors={state.error} />
      <p>{held.length ? held.map((r) => roleName(t, r)).join(t('common.listSeparator')) : t('users.roles.none')}</p>
      {user.isBillingOwner && <p class="muted">{t('users.roles.billingOwner')}</p>}
      {manage && (
        <form method="post" action={action} data-hx-post={action} data-hx-target="#user-roles" data-hx-swap="outerHTML">
          <CsrfField />
          <fieldset class="field">
            <legend>{t('users.roles.base')}</legend>
            {offered.map((r) => (
              <label>
                <input type="radio" name="role" value={r} checked={user.role === r} /> {t(`users.role.${r}` as MessageKey)}
              </label>
            ))}
          </fieldset>
          <fieldset class="field">
            <legend>{t('users.roles.narrow')}</legend>
            {narrowRoles.map((r) => (
              <label>
                <input type="checkbox" name="adminRoles" value={r} checked={user.adminRoles.includes(r)} /> {roleName(t, r)}
              </label>
            ))}
          </fieldset>
          <button class="primary">{t('users.roles.save')}</button>
        </form>
      )}
      {mayManage && !manage && <p class="muted">{t('users.roles.refused.globalAdminOnly')}</p>}
      {mayManage && manage && scope.partner && <p class="muted">{t('users.roles.partnerNote')}</p>}
      {handover && (
        <form method="post" action={action.replace(/roles$/, 'billing-owner')} class="inline">
          <CsrfField />
          <button>{t('users.roles.makeOwner')}</button>
        </form>
      )}
    </section>
  );
}
