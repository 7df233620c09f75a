import { describe, expect, it } from 'vitest';
import {
  mayActOn,
  mayManageRoles,
  offeredBaseRoles,
  permissionsOf,
  planBillingHandover,
  planRoleChange,
  reachOf,
  userActions,
  withinReach,
  type Actor,
  type Person,
} from '../../src/authorization/roles.rules.ts';

const own = (role: string): Actor => ({ kind: 'own', role });
const partner = (...roles: string[]): Actor => ({ kind: 'partner', orgId: 'northwind', roles });
const person = (p: Partial<Person> = {}): Person => ({ id: 'u1', orgId: 'contoso', role: 'user', adminRoles: [], isBillingOwner: false, ...p });

describe('admin roles rules', () => {
  it('a global admin may do everything; others only what their narrower roles say; partner staff nothing', () => {
    expect(permissionsOf({ role: 'global_admin', adminRoles: [] })).toEqual(['users', 'passwords', 'licenses', 'domains', 'admin_roles']);
    expect(permissionsOf({ role: 'user', adminRoles: ['domains', 'admin_roles'] })).toEqual(['domains']);
    expect(permissionsOf({ role: 'billing_admin', adminRoles: [] })).toEqual([]);
    expect(permissionsOf({ role: 'partner_admin', adminRoles: ['users'] })).toEqual([]);
  });

  it('only a global admin or a partner holding "Admin roles" may grant', () => {
    expect(mayManageRoles(own('global_admin'))).toBe(true);
    expect(mayManageRoles(own('billing_admin'))).toBe(false);
    expect(mayManageRoles(partner('users', 'admin_roles'))).toBe(true);
    expect(mayManageRoles(partner('users', 'passwords', 'licenses', 'domains'))).toBe(false);
    const plan = planRoleChange({ actor: own('billing_admin'), target: person(), desired: { role: 'billing_admin', adminRoles: [] }, globalAdmins: 2 });
    expect(plan).toEqual({ ok: false, reason: 'forbidden' });
  });

  it('granting billing admin and a narrower role lists exactly what was granted and removed', () => {
    const plan = planRoleChange({
      actor: own('global_admin'),
      target: person({ adminRoles: ['licenses'] }),
      desired: { role: 'billing_admin', adminRoles: ['domains'] },
      globalAdmins: 1,
    });
    expect(plan).toEqual({ ok: true, granted: ['billing_admin', 'domains'], removed: ['licenses'] });
  });

  it('the last global admin cannot be removed; one of two can', () => {
    const target = person({ role: 'global_admin' });
    const desired = { role: 'user', adminRoles: [] } as const;
    expect(planRoleChange({ actor: own('global_admin'), target, desired: { ...desired, adminRoles: [] }, globalAdmins: 1 })).toEqual({
      ok: false,
      reason: 'lastGlobalAdmin',
    });
    expect(planRoleChange({ actor: own('global_admin'), target, desired: { ...desired, adminRoles: [] }, globalAdmins: 2 })).toEqual({
      ok: true,
      granted: [],
      removed: ['global_admin'],
    });
  });

  it('the billing account owner stays a global admin until ownership is handed over', () => {
    const owner = person({ role: 'global_admin', isBillingOwner: true });
    expect(planRoleChange({ actor: own('global_admin'), target: owner, desired: { role: 'billing_admin', adminRoles: [] }, globalAdmins: 3 })).toEqual({
      ok: false,
      reason: 'billingOwner',
    });
    expect(planBillingHandover(own('global_admin'), person({ role: 'global_admin' }))).toEqual({ ok: true });
    expect(planBillingHandover(own('global_admin'), person({ role: 'billing_admin' }))).toEqual({ ok: false, reason: 'notGlobalAdmin' });
    expect(planBillingHandover(own('global_admin'), owner)).toEqual({ ok: false, reason: 'alreadyOwner' });
    expect(planBillingHandover(partner('admin_roles'), person({ role: 'global_admin' }))).toEqual({ ok: false, reason: 'forbidden' });
  });

  it('a partner never grants anything to its own people, and only touches customer people', () => {
    const desired = { role: 'global_admin', adminRoles: [] } as const;
    expect(
      planRoleChange({ actor: partner('admin_roles'), target: person({ orgId: 'northwind' }), desired: { ...desired, adminRoles: [] }, globalAdmins: 1 }),
    ).toEqual({ ok: false, reason: 'ownPeople' });
    expect(
      planRoleChange({ actor: own('global_admin'), target: person({ role: 'partner_agent' }), desired: { ...desired, adminRoles: [] }, globalAdmins: 1 }),
    ).toEqual({ ok: false, reason: 'notCustomerUser' });
    // Issue 23: not the global admin role, whatever the partner's roles.
    expect(planRoleChange({ actor: partner('admin_roles'), target: person(), desired: { ...desired, adminRoles: [] }, globalAdmins: 1 })).toEqual({
      ok: false,
      reason: 'globalAdminOnly',
    });
    expect(planRoleChange({ actor: partner('admin_roles'), target: person(), desired: { role: 'billing_admin', adminRoles: [] }, globalAdmins: 1 })).toEqual({
      ok: true,
      granted: ['billing_admin'],
      removed: [],
    });
  });

  it('saving the same roles again changes nothing', () => {
    expect(
      planRoleChange({
        actor: own('global_admin'),
        target: person({ adminRoles: ['users'] }),
        desired: { role: 'user', adminRoles: ['users'] },
        globalAdmins: 1,
      }),
    ).toEqual({ ok: false, reason: 'unchanged' });
  });
});

describe('issue 23: what a partner can never grant, and whom narrower admins reach', () => {
  const all = ['users', 'passwords', 'licenses', 'domains', 'admin_roles'];

  it('a partner is offered user and billing admin, never global admin, and nothing on a global admin', () => {
    expect(offeredBaseRoles(own('global_admin'), person())).toEqual(['user', 'billing_admin', 'global_admin']);
    expect(offeredBaseRoles(partner(...all), person())).toEqual(['user', 'billing_admin']);
    expect(offeredBaseRoles(partner(...all), person({ role: 'billing_admin' }))).toEqual(['user', 'billing_admin']);
    expect(offeredBaseRoles(partner(...all), person({ role: 'global_admin' }))).toEqual([]);
  });

  it('the server refuses what the page does not offer: a partner granting or removing global admin, whatever its roles', () => {
    const grant = planRoleChange({ actor: partner(...all), target: person(), desired: { role: 'global_admin', adminRoles: [] }, globalAdmins: 1 });
    expect(grant).toEqual({ ok: false, reason: 'globalAdminOnly' });
    const demote = planRoleChange({
      actor: partner(...all),
      target: person({ role: 'global_admin' }),
      desired: { role: 'user', adminRoles: [] },
      globalAdmins: 3,
    });
    expect(demote).toEqual({ ok: false, reason: 'globalAdminOnly' });
    const billing = planRoleChange({
      actor: partner('admin_roles'),
      target: person(),
      desired: { role: 'billing_admin', adminRoles: ['users'] },
      globalAdmins: 1,
    });
    expect(billing).toEqual({ ok: true, granted: ['billing_admin', 'users'], removed: [] });
    expect(planBillingHandover(partner(...all), person({ role: 'global_admin' }))).toEqual({ ok: false, reason: 'forbidden' });
  });

  it('only an own global admin reaches people who hold an admin role', () => {
    const narrow = { globalAdmin: false };
    const global = { globalAdmin: true };
    for (const a of userActions) expect(reachOf(narrow, a)).toBe('noAdminRole');
    expect(userActions.map((a) => reachOf(global, a))).toEqual(['baseUser', 'baseUser', 'notGlobalAdmin', 'anyone']);
    const helpdesk = { role: 'user', adminRoles: ['passwords'] };
    expect(withinReach('noAdminRole', helpdesk)).toBe(false);
    expect(withinReach('baseUser', helpdesk)).toBe(true);
    expect(withinReach('notGlobalAdmin', { role: 'billing_admin', adminRoles: [] })).toBe(true);
    expect(withinReach('notGlobalAdmin', { role: 'global_admin', adminRoles: [] })).toBe(false);
    expect(mayActOn(narrow, ['passwords'], { role: 'user', adminRoles: [] }, 'password')).toEqual({ ok: true });
    expect(mayActOn(narrow, ['passwords'], helpdesk, 'password')).toEqual({ ok: false, reason: 'adminTarget' });
    expect(mayActOn(narrow, ['passwords'], { role: 'user', adminRoles: [] }, 'disable')).toEqual({ ok: false, reason: 'forbidden' });
  });
});
