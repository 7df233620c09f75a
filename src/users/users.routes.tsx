import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { isUniqueViolation } from '../auth/auth.queries.ts';
import { hashPassword } from '../auth/password.ts';
import { generateToken } from '../auth/session.ts';
import { productName } from '../catalog/text.ts';
import type { AppEnv } from '../context.ts';
import { decodeCursor, UUID } from '../http/cursor.ts';
import { errorPage, forbidden, notFound } from '../http/middleware.tsx';
import { requireRole, userAdmins } from '../authorization/require-role.ts';
import { isPartial, now, redirectWithFlash } from '../http/respond.ts';
import { form, query } from '../http/validate.ts';
import { fragment, respond } from '../ui/fragment.tsx';
import type { FieldErrors } from '../ui/form.tsx';
import {
  accessOf,
  changeLicense,
  createUser,
  disableUser,
  resetPassword,
  updateUser,
  userPage,
  usersPage,
  type UserPageData,
  type WriteResult,
} from './users.queries.ts';
import type { Permission } from '../authorization/roles.rules.ts';
import { ownScope, type AdminSide } from '../authorization/admin-side.ts';
import { roleRoutes } from './roles.routes.tsx';
import { DisableSection, LicensesSection, NewUserPage, PasswordSection, ProfileSection, UserPage, UsersPage, type Links } from './users.views.tsx';

const profileForm = z.object({ name: z.string().trim().default(''), email: z.string().trim().default('') });
const newUserForm = profileForm.extend({ password: z.string().default('') });
const passwordForm = z.object({ password: z.string().default('') });
const licenseForm = z.object({ subscriptionId: z.string().regex(new RegExp(`^${UUID}$`)), op: z.enum(['assign', 'remove']) });
const listQuery = z.object({ after: z.string().max(400).optional() });

function profileErrors(c: Context<AppEnv>, v: { name: string; email: string }): FieldErrors {
  const { t } = c.get('i18n');
  const errors: FieldErrors = {};
  if (v.name.length < 1 || v.name.length > 120) errors.name = t('users.error.name');
  if (!z.email().safeParse(v.email).success || v.email.length > 254) errors.email = t('users.error.email');
  return errors;
}

const passwordError = (c: Context<AppEnv>, p: string) => (p !== '' && (p.length < 10 || p.length > 200) ? c.get('i18n').t('users.error.password') : undefined);
/** 80 random bits, readable aloud: shown once to the admin who reset it. */
const generatePassword = () => generateToken().slice(0, 16);

/**
 * The users and licenses pages, once, for whoever acts: mounted at `/users` for the organization's admins
 * and at `/portal/customers/:id` for a delegated-admin partner (`scope` says who acts and for whom).
 */
export function userAdminRoutes(opts: AdminSide & { list: string; users: string; links: (c: Context<AppEnv>) => Links }) {
  const user = `${opts.users}/:userId{${UUID}}`;
  const ctx = (c: Context<AppEnv>) => ({ db: c.get('deps').db, scope: opts.scope(c), links: opts.links(c), at: now(c), t: c.get('i18n').t });
  /** A write's answer when the grant is gone or lacks the permission. */
  const refused = (c: Context<AppEnv>, r: { granted: boolean; allowed: boolean }) => (!r.granted ? notFound(c) : !r.allowed ? forbidden(c) : null);
  /** Why an allowed write did nothing: the person is out of this actor's reach (roles.rules.ts), disabled, or not here. */
  const untouched = (c: Context<AppEnv>, r: WriteResult) =>
    !r.target
      ? notFound(c)
      : r.target.disabled
        ? errorPage(c, 409, 'users.refused.title', 'users.refused.disabled')
        : errorPage(c, 403, 'users.refused.title', 'users.refused.adminTarget');
  /** Re-renders a user page for a bad form: 404 without access, 403 without the permission, else 422. */
  async function invalid(c: Context<AppEnv>, need: Permission, render: (data: UserPageData) => { part: unknown; page: unknown }) {
    const { db, scope, at, t } = ctx(c);
    const data = await userPage(db, scope, at, c.req.param('userId')!);
    if (!data?.user) return notFound(c);
    if (!data.roles.includes(need)) return forbidden(c);
    const { part, page } = render(data);
    return respond(c, { part: part as never, page: page as never, title: t('users.title'), status: 422 });
  }

  return new Hono<AppEnv>()
    .get(opts.list, opts.guard, query(listQuery), async (c) => {
      const { db, scope, links, at, t } = ctx(c);
      const cursor = decodeCursor(c.req.valid('query').after);
      // A cursor we did not make starts the list again.
      const after = cursor && cursor.key !== null ? { name: cursor.key, id: cursor.id } : null;
      const data = await usersPage(db, scope, at, after);
      if (!data) return notFound(c);
      return c.render(<UsersPage data={data} scope={scope} links={links} paged={!!after} />, { title: t('users.title') });
    })
    .get(`${opts.users}/new`, opts.guard, async (c) => {
      const { db, scope, links, at, t } = ctx(c);
      const access = await accessOf(db, scope, at);
      if (!access) return notFound(c);
      if (!access.roles.includes('users')) return forbidden(c);
      return c.render(<NewUserPage access={access} scope={scope} links={links} />, { title: t('users.new.title') });
    })
    .post(opts.users, opts.guard, form(newUserForm), async (c) => {
      const { db, scope, links, at, t } = ctx(c);
      const values = c.req.valid('form');
      const errors = profileErrors(c, values);
      const pwError = passwordError(c, values.password);
      if (pwError) errors.password = pwError;
      const again = async () => {
        const access = await accessOf(db, scope, at);
        if (!access) return notFound(c);
        if (!access.roles.includes('users')) return forbidden(c);
        c.status(422);
        return c.render(<NewUserPage access={access} scope={scope} links={links} values={values} errors={errors} />, { title: t('users.new.title') });
      };
      if (Object.keys(errors).length > 0) return again();
      const password = values.password || generatePassword();
      let result;
      try {
        result = await createUser(db, scope, at, { name: values.name, email: values.email, passwordHash: await hashPassword(password) });
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
        errors.email = t('users.error.emailTaken');
        return again();
      }
      const no = refused(c, result);
      if (no) return no;
      if (values.password) return redirectWithFlash(c, `${links.users}/${result.id}`, 'users.created');
      const data = await userPage(db, scope, at, result.id!);
      if (!data?.user) return notFound(c);
      return c.render(<UserPage data={data} scope={scope} links={links} profile={{ notice: t('users.created.withPassword', { password }) }} />, {
        title: data.user.name,
      });
    })
    .get(user, opts.guard, async (c) => {
      const { db, scope, links, at } = ctx(c);
      const data = await userPage(db, scope, at, c.req.param('userId')!);
      if (!data?.user) return notFound(c);
      return c.render(<UserPage data={data} scope={scope} links={links} />, { title: data.user.name });
    })
    .post(user, opts.guard, form(profileForm), async (c) => {
      const { db, scope, links, at, t } = ctx(c);
      const values = c.req.valid('form');
      const userId = c.req.param('userId')!;
      const action = `${links.users}/${userId}`;
      let errors = profileErrors(c, values);
      if (Object.keys(errors).length === 0) {
        try {
          const result = await updateUser(db, scope, at, userId, values);
          const no = refused(c, result);
          if (no) return no;
          if (!result.done) return untouched(c, { ...result, target: result.target && { ...result.target, disabled: false } });
          if (!isPartial(c)) return redirectWithFlash(c, action, 'users.saved');
          const data = await userPage(db, scope, at, userId);
          if (!data?.user) return notFound(c);
          return fragment(c, <ProfileSection data={data} scope={scope} action={action} state={{ notice: t('users.saved') }} />);
        } catch (e) {
          if (!isUniqueViolation(e)) throw e;
          errors = { email: t('users.error.emailTaken') };
        }
      }
      const state = { errors, values };
      return invalid(c, 'users', (data) => ({
        part: <ProfileSection data={data} scope={scope} action={action} state={state} />,
        page: <UserPage data={data} scope={scope} links={links} profile={state} />,
      }));
    })
    .post(`${user}/password`, opts.guard, form(passwordForm), async (c) => {
      const { db, scope, links, at, t } = ctx(c);
      const userId = c.req.param('userId')!;
      const action = `${links.users}/${userId}/password`;
      const typed = c.req.valid('form').password;
      const error = passwordError(c, typed);
      if (error) {
        return invalid(c, 'passwords', (data) => ({
          part: <PasswordSection data={data} scope={scope} action={action} state={{ error }} />,
          page: <UserPage data={data} scope={scope} links={links} password={{ error }} />,
        }));
      }
      const password = typed || generatePassword();
      const result = await resetPassword(db, scope, at, userId, await hashPassword(password));
      const no = refused(c, result);
      if (no) return no;
      if (!result.done) return untouched(c, result);
      const data = await userPage(db, scope, at, userId);
      if (!data?.user) return notFound(c);
      // Shown once, in this answer only: never in a redirect's flash cookie.
      const notice = typed ? t('users.password.done') : t('users.password.generated', { name: data.user.name, password });
      if (isPartial(c)) return fragment(c, <PasswordSection data={data} scope={scope} action={action} state={{ notice }} />);
      c.header('cache-control', 'no-store');
      return c.render(<UserPage data={data} scope={scope} links={links} password={{ notice }} />, { title: data.user.name });
    })
    .post(`${user}/licenses`, opts.guard, form(licenseForm), async (c) => {
      const { db, scope, links, at, t } = ctx(c);
      const userId = c.req.param('userId')!;
      const base = `${links.users}/${userId}`;
      const { subscriptionId, op } = c.req.valid('form');
      const { outcome, page } = await changeLicense(db, scope, at, { userId, subscriptionId, op });
      if (outcome === 'noAccess' || outcome === 'notFound') return notFound(c);
      if (outcome === 'forbidden') return forbidden(c);
      if (outcome === 'adminTarget') return errorPage(c, 403, 'users.refused.title', 'users.refused.adminTarget');
      if (outcome === 'done' && !isPartial(c)) return redirectWithFlash(c, base, 'users.licenses.done');
      const sub = page!.subscriptions.find((s) => s.id === subscriptionId);
      const state =
        outcome === 'full'
          ? {
              error: t('users.licenses.full', { quantity: sub?.quantity ?? 0, product: sub ? productName(c.get('i18n'), sub.productId, sub.productName) : '' }),
            }
          : { notice: t('users.licenses.done') };
      const status = outcome === 'full' ? 422 : 200;
      return respond(c, {
        part: <LicensesSection data={page!} scope={scope} action={`${base}/licenses`} state={state} />,
        page: <UserPage data={page!} scope={scope} links={links} licenses={state} />,
        title: page!.user!.name,
        status,
      });
    })
    .post(`${user}/disable`, opts.guard, async (c) => {
      const { db, scope, links, at, t } = ctx(c);
      const userId = c.req.param('userId')!;
      const base = `${links.users}/${userId}`;
      const result = await disableUser(db, scope, at, userId);
      const no = refused(c, result);
      if (no) return no;
      if (!result.done) return untouched(c, result);
      if (!isPartial(c)) return redirectWithFlash(c, base, 'users.disabled');
      const data = await userPage(db, scope, at, userId);
      if (!data?.user) return notFound(c);
      return fragment(c, <DisableSection data={data} scope={scope} action={`${base}/disable`} state={{ notice: t('users.disabled') }} />);
    })
    .route('/', roleRoutes(opts));
}

/** The organization's own admins: global admins manage, billing admins may look, narrower admin roles do their part. */
export const usersRoutes = userAdminRoutes({
  list: '/users',
  users: '/users',
  guard: requireRole(...userAdmins),
  scope: ownScope,
  links: () => ({ list: '/users', users: '/users' }),
});
