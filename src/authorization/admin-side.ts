/**
 * Who administers a customer organization's users, admin roles and domains: its own admins (at /users,
 * /domains) or a delegated-admin partner (under /portal/customers/:id). The users, roles and domains
 * routes are written once and mounted for each side with its guard and scope.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.ts';
import { permissionsOf } from './roles.rules.ts';
import type { Scope } from './scope.ts';

export interface AdminSide {
  guard: MiddlewareHandler<AppEnv>;
  /** Whose data, acting as whom. */
  scope: (c: Context<AppEnv>) => Scope;
}

/** The organization's own admin: what their role allows. */
export function ownScope(c: Context<AppEnv>): Scope {
  const auth = c.get('auth')!;
  return {
    orgId: auth.org.id,
    partner: null,
    actor: { id: auth.user.id, name: auth.user.name, role: auth.user.role },
    ownPermissions: permissionsOf(auth.user),
  };
}

/** A partner's people on behalf of the customer in the path (`:id`): what the relationship grants. */
export function onBehalfScope(c: Context<AppEnv>): Scope {
  const auth = c.get('auth')!;
  return {
    orgId: c.req.param('id')!,
    partner: { orgId: auth.org.id, name: auth.org.name },
    actor: { id: auth.user.id, name: auth.user.name },
    ownPermissions: [],
  };
}
