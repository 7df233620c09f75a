/**
 * Admin roles, as pure decisions. A customer person has one base `role` (user, billing admin or global
 * admin) and a set of narrower admin roles (users, passwords, licenses, domains). A delegated-admin partner
 * holds the same narrower roles plus "admin roles" on its relationship. Routes and guards ask these
 * functions; the queries only lock, read and write.
 */

/** The narrower roles a customer person may hold next to their base role. */
export const narrowRoles = ['users', 'passwords', 'licenses', 'domains'] as const;
export type NarrowRole = (typeof narrowRoles)[number];

/** What an admin may do on a customer's pages: the narrower roles, and granting roles. */
export const permissions = [...narrowRoles, 'admin_roles'] as const;
export type Permission = (typeof permissions)[number];

/**
 * The activity-log actions each delegated role lets a partner take: what an audit row names as the role
 * used (issue 24 §3) and what counts as a role's last use in an access review (issue 25 §1). A new partner
 * action belongs here.
 */
export const actionsOfRole: Record<Permission, readonly string[]> = {
  users: ['user.created', 'user.updated', 'user.disabled'],
  passwords: ['user.password_reset'],
  licenses: ['license.assigned', 'license.removed'],
  domains: ['domain.added', 'domain.verified', 'domain.default_set', 'domain.removed'],
  admin_roles: ['user.role_granted', 'user.role_removed', 'user.billing_owner_changed'],
};
const roleByAction = new Map(Object.entries(actionsOfRole).flatMap(([role, actions]) => actions.map((a) => [a, role as Permission] as const)));
/** The delegated role an action uses; null for an action no delegated role covers. */
export const roleOfAction = (action: string): Permission | null => roleByAction.get(action) ?? null;

/** The base roles a customer person can be given. */
export const customerRoles = ['user', 'billing_admin', 'global_admin'] as const;
export type CustomerRole = (typeof customerRoles)[number];

export const isNarrowRole = (r: string): r is NarrowRole => (narrowRoles as readonly string[]).includes(r);
export const isCustomerRole = (r: string): r is CustomerRole => (customerRoles as readonly string[]).includes(r);

/** A customer person's own permissions: a global admin may do everything, others what their narrower roles say. */
export function permissionsOf(user: { role: string; adminRoles: readonly string[] }): Permission[] {
  if (user.role === 'global_admin') return [...permissions];
  if (!isCustomerRole(user.role)) return [];
  return narrowRoles.filter((r) => user.adminRoles.includes(r));
}

/** Who grants: the organization's own person, or a partner acting with the roles its relationship holds. */
export type Actor = { kind: 'own'; role: string } | { kind: 'partner'; orgId: string; roles: readonly string[] };

/** Only a global admin, or a partner whose delegated admin includes "Admin roles", assigns roles. */
export function mayManageRoles(actor: Actor): boolean {
  return actor.kind === 'own' ? actor.role === 'global_admin' : actor.roles.includes('admin_roles');
}

export interface Person {
  id: string;
  orgId: string;
  role: string;
  adminRoles: readonly string[];
  isBillingOwner: boolean;
}

export interface DesiredRoles {
  role: CustomerRole;
  adminRoles: NarrowRole[];
}

export type RoleRefusal = 'forbidden' | 'ownPeople' | 'notCustomerUser' | 'globalAdminOnly' | 'lastGlobalAdmin' | 'billingOwner' | 'unchanged';

/**
 * The base roles `actor` may give `target` (the page offers exactly these). The global admin role is the
 * customer's own: a partner never grants it nor takes it away, whatever its delegated roles, so it
 * outlives no relationship; a global admin's roles are changed by the organization's own global admins
 * only (issue 23). Billing account ownership is likewise theirs (`planBillingHandover`).
 */
export function offeredBaseRoles(actor: Actor, target: { role: string }): CustomerRole[] {
  if (actor.kind === 'own') return [...customerRoles];
  if (target.role === 'global_admin') return [];
  return customerRoles.filter((r) => r !== 'global_admin');
}
export type RolePlan = { ok: true; granted: string[]; removed: string[] } | { ok: false; reason: RoleRefusal };

/** The roles a person holds, as one list: the base role (unless plain user) and the narrower ones. */
export const heldRoles = (p: { role: string; adminRoles: readonly string[] }): string[] => [
  ...(p.role === 'user' ? [] : [p.role]),
  ...narrowRoles.filter((r) => p.adminRoles.includes(r)),
];

/**
 * Whether `actor` may give `target` the roles `desired`, and what that grants and removes. `globalAdmins`
 * is the organization's count of global admins, read under lock in the same transaction.
 */
export function planRoleChange(input: { actor: Actor; target: Person; desired: DesiredRoles; globalAdmins: number }): RolePlan {
  const { actor, target, desired } = input;
  if (!mayManageRoles(actor)) return { ok: false, reason: 'forbidden' };
  // A partner never grants anything to its own people, whatever page it came through.
  if (actor.kind === 'partner' && target.orgId === actor.orgId) return { ok: false, reason: 'ownPeople' };
  if (!isCustomerRole(target.role)) return { ok: false, reason: 'notCustomerUser' };
  if (!offeredBaseRoles(actor, target).includes(desired.role)) return { ok: false, reason: 'globalAdminOnly' };
  const losesGlobal = target.role === 'global_admin' && desired.role !== 'global_admin';
  if (losesGlobal && input.globalAdmins <= 1) return { ok: false, reason: 'lastGlobalAdmin' };
  if (losesGlobal && target.isBillingOwner) return { ok: false, reason: 'billingOwner' };
  const before = heldRoles(target);
  const after = heldRoles(desired);
  const granted = after.filter((r) => !before.includes(r));
  const removed = before.filter((r) => !after.includes(r));
  if (granted.length === 0 && removed.length === 0) return { ok: false, reason: 'unchanged' };
  return { ok: true, granted, removed };
}

export type HandoverRefusal = 'forbidden' | 'notGlobalAdmin' | 'alreadyOwner';

/**
 * The billing account owner hands ownership to another global admin. Only the organization's own global
 * admins do this: it is the customer's contract, not something a partner takes over.
 */
export function planBillingHandover(actor: Actor, target: Person): { ok: true } | { ok: false; reason: HandoverRefusal } {
  if (actor.kind !== 'own' || actor.role !== 'global_admin') return { ok: false, reason: 'forbidden' };
  if (target.role !== 'global_admin') return { ok: false, reason: 'notGlobalAdmin' };
  if (target.isBillingOwner) return { ok: false, reason: 'alreadyOwner' };
  return { ok: true };
}

/** What an admin does to another person's account from the users pages. */
export const userActions = ['edit', 'password', 'disable', 'licenses'] as const;
export type UserAction = (typeof userActions)[number];

/** The permission each action needs (a global admin holds them all). */
export const actionNeeds: Record<UserAction, NarrowRole> = { edit: 'users', password: 'passwords', disable: 'users', licenses: 'licenses' };

/**
 * Whom an action reaches:
 * - `anyone` in the organization;
 * - `notGlobalAdmin`: anyone but a global admin (so the organization never loses its last one this way);
 * - `baseUser`: people whose base role is user (narrower admin roles or not);
 * - `noAdminRole`: people who hold no admin role at all (base role user, no narrower role).
 */
export type Reach = 'anyone' | 'notGlobalAdmin' | 'baseUser' | 'noAdminRole';

/** Who acts on the users pages: the organization's own global admin, or anyone narrower (a narrower admin role, a partner). */
export interface UserActor {
  globalAdmin: boolean;
}

/**
 * The rule of the admin centers this one mirrors: a "Users" or "Passwords" admin — a person with that
 * narrower role, or a partner whose delegated admin holds it — acts only on people who hold no admin
 * role; a password admin cannot reset another admin's password and take the account. Only the
 * organization's own global admins reach further: they edit and reset any person of base role user,
 * disable anyone but a global admin, and manage everyone's licenses.
 */
export function reachOf(actor: UserActor, action: UserAction): Reach {
  if (!actor.globalAdmin) return 'noAdminRole';
  switch (action) {
    case 'edit':
    case 'password':
      return 'baseUser';
    case 'disable':
      return 'notGlobalAdmin';
    case 'licenses':
      return 'anyone';
  }
}

export function withinReach(reach: Reach, target: { role: string; adminRoles: readonly string[] }): boolean {
  switch (reach) {
    case 'anyone':
      return true;
    case 'notGlobalAdmin':
      return target.role !== 'global_admin';
    case 'baseUser':
      return target.role === 'user';
    case 'noAdminRole':
      return heldRoles(target).length === 0;
  }
}

export type ActRefusal = 'forbidden' | 'adminTarget';

/** Whether `actor`, holding `permissions`, may do `action` to `target`; why not otherwise. */
export function mayActOn(
  actor: UserActor,
  permissions: readonly string[],
  target: { role: string; adminRoles: readonly string[] },
  action: UserAction,
): { ok: true } | { ok: false; reason: ActRefusal } {
  if (!permissions.includes(actionNeeds[action])) return { ok: false, reason: 'forbidden' };
  if (!withinReach(reachOf(actor, action), target)) return { ok: false, reason: 'adminTarget' };
  return { ok: true };
}
