/**
 * Users and licenses of one customer organization, for whoever acts: its own admins (`/users`) or a
 * delegated-admin partner (`/portal/customers/:id`). Every statement starts with the grant (`g`): for a
 * partner, an active, unexpired delegated_admin relationship, checked in the same statement that reads or
 * writes, so access ends the moment the relationship does.
 */
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../db/client.ts';
import type { Subscription, User } from '../db/schema.ts';
import { reachOf, withinReach, type Permission, type Reach, type UserAction } from '../authorization/roles.rules.ts';
import { audit, grant, may, userActorOf, type Scope } from '../authorization/scope.ts';

const reachPredicates: Record<Reach, SQL> = {
  anyone: sql`true`,
  notGlobalAdmin: sql`u.role <> 'global_admin'`,
  baseUser: sql`u.role = 'user'`,
  noAdminRole: sql`u.role = 'user' and cardinality(u.admin_roles) = 0`,
};
/** `withinReach` as SQL over the person `u`: the statement that acts holds the same rule the page offers. */
export const reachSql = (s: Scope, action: UserAction): SQL => reachPredicates[reachOf(userActorOf(s), action)];

/** The person the write was aimed at, as the rule reads them (null: not in this organization). */
const targetJson = (s: Scope, userId: string) =>
  sql`(select json_build_object('role', u.role, 'adminRoles', u.admin_roles, 'disabled', u.disabled_at is not null) from users u where u.org_id = ${s.orgId} and u.id = ${userId}) as target`;

export type UserRow = Pick<User, 'id' | 'name' | 'email' | 'role'> & { licenses: number };

export type SubscriptionLicenses = Pick<Subscription, 'id' | 'productId' | 'quantity'> & {
  /** The stored (English) name; views show productName(i18n, productId, productName). */
  productName: string;
  assigned: number;
  /** Whether the user on the page holds one (user page only). */
  holds: boolean;
};

export interface Access {
  orgName: string;
  roles: Permission[];
}

const subscriptionsJson = (orgId: string, userId: string | null) => sql`(select coalesce(json_agg(x order by x."createdAt" desc, x.id), '[]') from (
    select s.id, p.name as "productName", p.id as "productId", s.quantity, s.created_at as "createdAt",
      (select count(*) from license_assignments la where la.subscription_id = s.id)::int as assigned,
      ${userId ? sql`exists (select 1 from license_assignments la where la.subscription_id = s.id and la.user_id = ${userId})` : sql`false`} as holds
    from subscriptions s join products p on p.id = s.product_id
    where s.org_id = ${orgId} and s.status in ('active', 'trial') order by s.created_at desc, s.id limit 50) x)`;

export const PAGE_SIZE = 50;

/** The users list (keyset on name, id: users_org_idx) and the licenses summary. Null: no access (404). */
export async function usersPage(db: Queryable, s: Scope, now: Date, after: { name: string; id: string } | null) {
  const cursor = after ? sql`and (u.name, u.id) > (${after.name}, ${after.id}::uuid)` : sql``;
  const [row] = await rows<Access & { users: UserRow[]; subscriptions: SubscriptionLicenses[] }>(
    db,
    sql`with ${grant(s, now)},
      us as (select u.id, u.name, u.email, u.role from users u where exists (select 1 from g) and u.org_id = ${s.orgId} ${cursor}
        order by u.name, u.id limit ${PAGE_SIZE + 1})
      select g.org_name as "orgName", g.roles,
        (select coalesce(json_agg(json_build_object('id', us.id, 'name', us.name, 'email', us.email, 'role', us.role,
          'licenses', (select count(*) from license_assignments la where la.org_id = ${s.orgId} and la.user_id = us.id)) order by us.name, us.id), '[]') from us) as users,
        ${subscriptionsJson(s.orgId, null)} as subscriptions
      from g`,
  );
  if (!row) return null;
  return { ...row, users: row.users.slice(0, PAGE_SIZE), more: row.users.length > PAGE_SIZE };
}

export type UserDetails = Pick<User, 'id' | 'name' | 'email' | 'role' | 'adminRoles' | 'isBillingOwner'> & { disabled: boolean };

export type UserPageData = Access & { user: UserDetails | null; subscriptions: SubscriptionLicenses[] };

export const userPageSelect = (s: Scope, userId: string) => sql`select g.org_name as "orgName", g.roles,
    (select json_build_object('id', u.id, 'name', u.name, 'email', u.email, 'role', u.role, 'adminRoles', u.admin_roles, 'isBillingOwner', u.is_billing_owner, 'disabled', u.disabled_at is not null) from users u where u.org_id = ${s.orgId} and u.id = ${userId}) as "user",
    ${subscriptionsJson(s.orgId, userId)} as subscriptions
  from g`;

/** One user with the licenses they hold. Null: no access; `user` null: not in this organization. */
export async function userPage(db: Queryable, s: Scope, now: Date, userId: string): Promise<UserPageData | null> {
  const [row] = await rows<UserPageData>(db, sql`with ${grant(s, now)} ${userPageSelect(s, userId)}`);
  return row ?? null;
}

export interface WriteResult {
  /** The grant exists (else 404). */
  granted: boolean;
  /** The grant includes the permission (else 403). */
  allowed: boolean;
  /** The row was written (else: not found or not editable). */
  done: boolean;
  id?: string;
  /** The person aimed at (edit, password, disable): why a write that was allowed did nothing. */
  target?: { role: string; adminRoles: string[]; disabled: boolean } | null;
}

const outcome = (p: Permission, done: SQL) => sql`select exists (select 1 from g) as granted, ${may(p)} as allowed, ${done}`;

/** Admins create users of role user only. Throws on a taken e-mail (unique violation). */
export async function createUser(db: Queryable, s: Scope, now: Date, input: { name: string; email: string; passwordHash: string }): Promise<WriteResult> {
  const [row] = await rows<WriteResult>(
    db,
    sql`with ${grant(s, now)},
      made as (insert into users (org_id, email, name, password_hash, role, created_by_partner_org_id, created_by_user_id, created_in_relationship_id)
        select ${s.orgId}, ${input.email}, ${input.name}, ${input.passwordHash}, 'user', ${s.partner?.orgId ?? null}::uuid, ${s.partner ? s.actor.id : null}::uuid, g.rel_id
        from g where 'users' = any(g.roles) returning id, name, email),
      a as (${audit(s, 'user.created', 'user', sql`made.id::text`, sql`json_build_object('name', made.name, 'email', made.email)`, sql`made`)})
      ${outcome('users', sql`exists (select 1 from made) as done, (select id from made) as id`)}`,
  );
  return row;
}

/** Name and e-mail of a user of role user (admins are not edited from here). */
export async function updateUser(db: Queryable, s: Scope, now: Date, userId: string, input: { name: string; email: string }): Promise<WriteResult> {
  const [row] = await rows<WriteResult>(
    db,
    sql`with ${grant(s, now)},
      before as (select u.name, u.email from users u where u.org_id = ${s.orgId} and u.id = ${userId} and ${reachSql(s, 'edit')}),
      changed as (update users u set name = ${input.name}, email = ${input.email}
        where u.org_id = ${s.orgId} and u.id = ${userId} and ${reachSql(s, 'edit')} and ${may('users')} returning u.id, u.name, u.email),
      a as (${audit(s, 'user.updated', 'user', sql`changed.id::text`, sql`json_build_object('before', (select row_to_json(before) from before), 'name', changed.name, 'email', changed.email)`, sql`changed`)})
      ${outcome('users', sql`exists (select 1 from changed) as done, ${targetJson(s, userId)}`)}`,
  );
  return row;
}

/** Sets a new password and signs the user out everywhere. */
export async function resetPassword(db: Queryable, s: Scope, now: Date, userId: string, passwordHash: string): Promise<WriteResult> {
  const [row] = await rows<WriteResult>(
    db,
    sql`with ${grant(s, now)},
      changed as (update users u set password_hash = ${passwordHash}
        where u.org_id = ${s.orgId} and u.id = ${userId} and u.disabled_at is null and ${reachSql(s, 'password')} and ${may('passwords')} returning u.id),
      signed_out as (delete from sessions where user_id in (select id from changed)),
      a as (${audit(s, 'user.password_reset', 'user', sql`changed.id::text`, sql`null::jsonb`, sql`changed`)})
      ${outcome('passwords', sql`exists (select 1 from changed) as done, ${targetJson(s, userId)}`)}`,
  );
  return row;
}

/**
 * Disables the account: it can no longer sign in, and is signed out everywhere. Its password hash stays,
 * so that its owner, typing the right password, is told the account is disabled and whom to ask
 * (auth.routes.tsx); sign-in refuses a disabled account whatever the password.
 */
export async function disableUser(db: Queryable, s: Scope, now: Date, userId: string): Promise<WriteResult> {
  const [row] = await rows<WriteResult>(
    db,
    sql`with ${grant(s, now)},
      changed as (update users u set disabled_at = ${now.toISOString()}::timestamptz
        where u.org_id = ${s.orgId} and u.id = ${userId} and u.disabled_at is null and ${reachSql(s, 'disable')} and ${may('users')}
        returning u.id, u.name, u.email),
      signed_out as (delete from sessions where user_id in (select id from changed)),
      a as (${audit(s, 'user.disabled', 'user', sql`changed.id::text`, sql`json_build_object('name', changed.name, 'email', changed.email)`, sql`changed`)})
      ${outcome('users', sql`exists (select 1 from changed) as done, ${targetJson(s, userId)}`)}`,
  );
  return row;
}

export type LicenseOutcome = 'done' | 'full' | 'noAccess' | 'forbidden' | 'notFound' | 'adminTarget';

/**
 * Assigns or removes one license. Never more than bought: the first statement locks the subscription row,
 * the second counts the assignments with a fresh snapshot (so two admins at once cannot both take the
 * last license), writes the change and its audit row, and returns the user page as it now is.
 */
export async function changeLicense(
  db: Queryable,
  s: Scope,
  now: Date,
  input: { userId: string; subscriptionId: string; op: 'assign' | 'remove' },
): Promise<{ outcome: LicenseOutcome; page: UserPageData | null }> {
  return db.transaction(async (tx) => {
    const [lock] = await rows<{ granted: boolean; allowed: boolean; quantity: number | null }>(
      tx,
      sql`with ${grant(s, now)}
        select exists (select 1 from g) as granted, ${may('licenses')} as allowed,
          (select s.quantity from subscriptions s where s.org_id = ${s.orgId} and s.id = ${input.subscriptionId}
             and s.status in ('active', 'trial') and ${may('licenses')} for update of s) as quantity`,
    );
    if (!lock.granted) return { outcome: 'noAccess' as const, page: null };
    if (!lock.allowed) return { outcome: 'forbidden' as const, page: null };
    if (lock.quantity === null) return { outcome: 'notFound' as const, page: null };
    const { userId, subscriptionId } = input;
    const change =
      input.op === 'assign'
        ? sql`changed as (insert into license_assignments (org_id, subscription_id, user_id)
            select ${s.orgId}, ${subscriptionId}, u.id from users u
            where u.org_id = ${s.orgId} and u.id = ${userId} and ${reachSql(s, 'licenses')}
              and (select count(*) from license_assignments la where la.subscription_id = ${subscriptionId}) < ${lock.quantity}
            on conflict do nothing returning user_id)`
        : sql`changed as (delete from license_assignments la where la.org_id = ${s.orgId} and la.subscription_id = ${subscriptionId} and la.user_id = ${userId}
            and exists (select 1 from users u where u.id = la.user_id and ${reachSql(s, 'licenses')}) returning user_id)`;
    const [row] = await rows<UserPageData & { changed: boolean; held: boolean }>(
      tx,
      sql`with ${grant(s, now)}, ${change},
        a as (${audit(s, input.op === 'assign' ? 'license.assigned' : 'license.removed', 'subscription', sql`${subscriptionId}::text`, sql`json_build_object('userId', changed.user_id)`, sql`changed`)})
        select q.*, exists (select 1 from changed) as changed,
          exists (select 1 from license_assignments la where la.subscription_id = ${subscriptionId} and la.user_id = ${userId}) as held
        from (${userPageSelect(s, userId)}) q`,
    );
    if (!row || !row.user) return { outcome: 'notFound' as const, page: null };
    const { changed, held, ...page } = row;
    // The statement held the rule (reachSql): a person out of reach was not touched.
    if (!withinReach(reachOf(userActorOf(s), 'licenses'), row.user)) return { outcome: 'adminTarget' as const, page };
    // The statement reads its own snapshot, from before its change: apply the change to what it read.
    const holds = input.op === 'assign' ? changed || held : !changed && held;
    page.subscriptions = page.subscriptions.map((x) =>
      x.id === subscriptionId ? { ...x, holds, assigned: x.assigned + (changed ? (input.op === 'assign' ? 1 : -1) : 0) } : x,
    );
    const full = input.op === 'assign' && !changed && !held;
    return { outcome: full ? ('full' as const) : ('done' as const), page };
  });
}

/** Just the grant: for the new-user form. */
export async function accessOf(db: Queryable, s: Scope, now: Date): Promise<Access | null> {
  const [row] = await rows<Access>(db, sql`with ${grant(s, now)} select g.org_name as "orgName", g.roles from g`);
  return row ?? null;
}
