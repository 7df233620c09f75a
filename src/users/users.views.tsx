import { useRequestContext } from '#jsx/jsx-runtime';
import { TwoStepResetSection } from '../two-step/reset.views.tsx';
import { productName } from '../catalog/text.ts';
import { encodeCursor } from '../http/cursor.ts';
import type { AppEnv } from '../context.ts';
import type { MessageKey } from '../i18n/index.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors } from '../ui/form.tsx';
import { RolesSection, type RolesState } from './roles.views.tsx';
import { userActorOf, type Scope } from '../authorization/scope.ts';
import type { Access, SubscriptionLicenses, UserPageData, UserRow } from './users.queries.ts';
import { heldRoles, mayActOn, type UserAction } from '../authorization/roles.rules.ts';
import { Notice } from '../ui/notice.tsx';
import { Pager } from '../ui/pager.tsx';

/** Where this admin center lives: `/users` for the organization, `/portal/customers/:id` for its partner. */
export interface Links {
  list: string;
  users: string;
}

export function OnBehalf({ access, scope }: { access: Access; scope: Scope }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  if (!scope.partner) return null;
  const roles = access.roles.map((r) => t(`rel.role.${r}` as MessageKey)).join(t('common.listSeparator')) || '—';
  return <p class="pane">{t('users.onBehalf', { customer: access.orgName, partner: scope.partner.name, roles })}</p>;
}

export function LicensesSummary({ subscriptions }: { subscriptions: SubscriptionLicenses[] }) {
  const i18n = useRequestContext<AppEnv>().get('i18n');
  const { t, number } = i18n;
  if (subscriptions.length === 0) return <p class="muted">{t('users.licenses.none')}</p>;
  return (
    <div class="table-wrap">
      <table class="stack">
        <thead>
          <tr>
            <th>{t('users.licenses.product')}</th>
            <th>{t('users.licenses.bought')}</th>
            <th>{t('users.licenses.assigned')}</th>
            <th>{t('users.licenses.available')}</th>
          </tr>
        </thead>
        <tbody>
          {subscriptions.map((s) => (
            <tr>
              <td data-label={t('users.licenses.product')}>{productName(i18n, s.productId, s.productName)}</td>
              <td data-label={t('users.licenses.bought')}>{number(s.quantity)}</td>
              <td data-label={t('users.licenses.assigned')}>{number(s.assigned)}</td>
              <td data-label={t('users.licenses.available')}>{number(s.quantity - s.assigned)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function UsersPage(props: {
  data: Access & { users: UserRow[]; more: boolean; subscriptions: SubscriptionLicenses[] };
  scope: Scope;
  links: Links;
  paged: boolean;
}) {
  const { data, scope, links } = props;
  const { t, number } = useRequestContext<AppEnv>().get('i18n');
  const last = data.users[data.users.length - 1];
  return (
    <>
      <h1>{scope.partner ? `${data.orgName} · ${t('users.title')}` : t('users.title')}</h1>
      <OnBehalf access={data} scope={scope} />
      {scope.partner && data.roles.includes('domains') && (
        <p>
          <a href={`${links.list}/domains`}>{t('nav.domains')}</a>
        </p>
      )}
      {data.roles.includes('users') && (
        <p>
          <a class="button primary" href={`${links.users}/new`}>
            {t('users.add')}
          </a>
        </p>
      )}
      <div class="table-wrap">
        <table class="stack">
          <thead>
            <tr>
              <th>{t('users.col.name')}</th>
              <th>{t('users.col.email')}</th>
              <th>{t('users.col.role')}</th>
              <th>{t('users.col.licenses')}</th>
            </tr>
          </thead>
          <tbody>
            {data.users.map((u) => (
              <tr>
                <td data-label={t('users.col.name')}>
                  <a href={`${links.users}/${u.id}`}>{u.name}</a>
                </td>
                <td data-label={t('users.col.email')}>{u.email}</td>
                <td data-label={t('users.col.role')}>{t(`users.role.${u.role}` as MessageKey)}</td>
                <td data-label={t('users.col.licenses')}>{number(u.licenses)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager
        first={props.paged ? links.list : null}
        firstLabel={t('users.first')}
        next={data.more && last ? `${links.list}?after=${encodeCursor({ key: last.name, id: last.id })}` : null}
        nextLabel={t('users.next')}
      />
      <h2>{t('users.licenses.title')}</h2>
      <LicensesSummary subscriptions={data.subscriptions} />
    </>
  );
}

export interface SectionState {
  notice?: string;
  error?: string;
  errors?: FieldErrors;
  values?: { name?: string; email?: string };
}

/** Whether this actor may do `action` to the person on the page: the page offers only what the server accepts. */
const may = (data: UserPageData, scope: Scope, action: UserAction) => mayActOn(userActorOf(scope), data.roles, data.user!, action).ok;

/** Said where an action the actor's role names is not offered because the person holds an admin role. */
function OutOfReach({ data, scope, action }: { data: UserPageData; scope: Scope; action: UserAction }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  const refusal = mayActOn(userActorOf(scope), data.roles, data.user!, action);
  if (refusal.ok || refusal.reason !== 'adminTarget' || heldRoles(data.user!).length === 0) return null;
  return <p class="muted">{t('users.refused.adminTarget')}</p>;
}

export function ProfileSection({ data, scope, action, state = {} }: { data: UserPageData; scope: Scope; action: string; state?: SectionState }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  const user = data.user!;
  const editable = may(data, scope, 'edit');
  const values = state.values ?? user;
  return (
    <section id="user-profile">
      <h2>{t('users.profile')}</h2>
      <Notice message={state.notice} />
      <ErrorSummary errors={state.errors} />
      {editable ? (
        <form method="post" action={action} data-hx-post={action} data-hx-target="#user-profile" data-hx-swap="outerHTML">
          <CsrfField />
          <Field name="name" label={t('users.name')} value={values.name} error={state.errors?.name} required maxlength={120} />
          <Field name="email" type="email" label={t('users.email')} value={values.email} error={state.errors?.email} required maxlength={254} />
          <button class="primary">{t('common.save')}</button>
        </form>
      ) : (
        <>
          <dl class="facts">
            <dt>{t('users.email')}</dt>
            <dd>{user.email}</dd>
            <dt>{t('users.col.role')}</dt>
            <dd>{t(`users.role.${user.role}` as MessageKey)}</dd>
          </dl>
          {user.role !== 'user' && userActorOf(scope).globalAdmin && <p class="muted">{t('users.notEditable')}</p>}
          <OutOfReach data={data} scope={scope} action="edit" />
        </>
      )}
    </section>
  );
}

export function PasswordSection({ data, scope, action, state = {} }: { data: UserPageData; scope: Scope; action: string; state?: SectionState }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  if (data.user!.disabled || !may(data, scope, 'password')) return null;
  return (
    <section id="user-password">
      <h2>{t('users.password.title')}</h2>
      <Notice message={state.notice} />
      <form method="post" action={action} data-hx-post={action} data-hx-target="#user-password" data-hx-swap="outerHTML">
        <CsrfField />
        <Field
          name="password"
          type="password"
          label={t('users.password.label')}
          hint={t('users.password.hint')}
          error={state.error}
          autocomplete="new-password"
          maxlength={200}
        />
        <button>{t('users.password.submit')}</button>
      </form>
    </section>
  );
}

export function LicensesSection({ data, scope, action, state = {} }: { data: UserPageData; scope: Scope; action: string; state?: SectionState }) {
  const i18n = useRequestContext<AppEnv>().get('i18n');
  const { t, number } = i18n;
  const manage = may(data, scope, 'licenses');
  const shown = manage ? data.subscriptions : data.subscriptions.filter((s) => s.holds);
  return (
    <section id="user-licenses">
      <h2>{t('users.licenses.title')}</h2>
      <Notice message={state.notice} />
      <ErrorSummary errors={state.error} />
      <OutOfReach data={data} scope={scope} action="licenses" />
      {shown.length === 0 ? (
        <p class="muted">{t('users.licenses.none')}</p>
      ) : (
        <ul>
          {shown.map((s) => (
            <li>
              <strong>{productName(i18n, s.productId, s.productName)}</strong> · {t('users.licenses.available')}: {number(s.quantity - s.assigned)} /{' '}
              {number(s.quantity)}
              {s.holds && <> · {t('users.licenses.holds')}</>}{' '}
              {manage && (
                <form method="post" action={action} data-hx-post={action} data-hx-target="#user-licenses" data-hx-swap="outerHTML" class="inline">
                  <CsrfField />
                  <input type="hidden" name="subscriptionId" value={s.id} />
                  <button
                    name="op"
                    value={s.holds ? 'remove' : 'assign'}
                    class={s.holds ? 'danger' : undefined}
                    aria-label={`${t(s.holds ? 'users.licenses.remove' : 'users.licenses.assign')}: ${productName(i18n, s.productId, s.productName)}`}
                  >
                    {t(s.holds ? 'users.licenses.remove' : 'users.licenses.assign')}
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Disable the account (it can no longer sign in), for whoever the rule lets; "Disabled" once it is. */
export function DisableSection({ data, scope, action, state = {} }: { data: UserPageData; scope: Scope; action: string; state?: SectionState }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  const user = data.user!;
  if (!user.disabled && !may(data, scope, 'disable')) return null;
  return (
    <section id="user-disable">
      <h2>{t('users.disable.title')}</h2>
      <Notice message={state.notice} />
      {user.disabled ? (
        <p>{t('users.disable.done')}</p>
      ) : (
        <form method="post" action={action} data-hx-post={action} data-hx-target="#user-disable" data-hx-swap="outerHTML">
          <CsrfField />
          <p>{t('users.disable.hint', { name: user.name })}</p>
          <button class="danger">{t('users.disable.submit')}</button>
        </form>
      )}
    </section>
  );
}

export function UserPage(props: {
  data: UserPageData;
  scope: Scope;
  links: Links;
  profile?: SectionState;
  password?: SectionState;
  licenses?: SectionState;
  roles?: RolesState;
  disable?: SectionState;
}) {
  const { data, scope, links, profile, password, licenses } = props;
  const { t } = useRequestContext<AppEnv>().get('i18n');
  const base = `${links.users}/${data.user!.id}`;
  return (
    <>
      <p>
        <a href={links.list}>{t('users.back')}</a>
      </p>
      <h1>{data.user!.name}</h1>
      <OnBehalf access={data} scope={scope} />
      <ProfileSection data={data} scope={scope} action={base} state={profile} />
      <PasswordSection data={data} scope={scope} action={`${base}/password`} state={password} />
      <LicensesSection data={data} scope={scope} action={`${base}/licenses`} state={licenses} />
      <RolesSection data={data} scope={scope} action={`${base}/roles`} state={props.roles} />
      <DisableSection data={data} scope={scope} action={`${base}/disable`} state={props.disable} />
      <TwoStepResetSection user={data.user!} actor={{ ...scope.actor, partner: !!scope.partner }} />
    </>
  );
}

export function NewUserPage({
  access,
  scope,
  links,
  values = {},
  errors,
}: {
  access: Access;
  scope: Scope;
  links: Links;
  values?: { name?: string; email?: string };
  errors?: FieldErrors;
}) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <section class="narrow">
      <p>
        <a href={links.list}>{t('users.back')}</a>
      </p>
      <h1>{t('users.new.title')}</h1>
      <OnBehalf access={access} scope={scope} />
      <ErrorSummary errors={errors} />
      <form method="post" action={links.users}>
        <CsrfField />
        <Field name="name" label={t('users.name')} value={values.name} error={errors?.name} required maxlength={120} />
        <Field name="email" type="email" label={t('users.email')} value={values.email} error={errors?.email} required maxlength={254} />
        <Field
          name="password"
          type="password"
          label={t('users.password.label')}
          hint={t('users.password.hint')}
          error={errors?.password}
          autocomplete="new-password"
          maxlength={200}
        />
        <button class="primary">{t('users.new.submit')}</button>
      </form>
    </section>
  );
}
