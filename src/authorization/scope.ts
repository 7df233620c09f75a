/**
 * Who acts on a customer organization, and the grant every statement of theirs starts with (`g`): for a
 * partner, an active, unexpired, not suspended delegated_admin relationship, checked in the same statement
 * that reads or writes, so access ends the moment the relationship does (or is suspended). The users, admin-roles and domains queries
 * share it: the one home of the delegated-admin access check.
 */
import { sql, type SQL } from 'drizzle-orm';
import { auditInsert } from '../audit/audit.ts';
import type { Permission, UserActor } from './roles.rules.ts';

export interface Scope {
  /** The customer organization. */
  orgId: string;
  /** Set when a partner acts on behalf of the customer. */
  partner: { orgId: string; name: string } | null;
  /** `role`: the own person's base role (a partner's people act through the relationship). */
  actor: { id: string; name: string; role?: string };
  /** The customer's own admin: what the role allows (a partner's come from the relationship). */
  ownPermissions: Permission[];
}

/** The delegated roles that open the users pages: a partner holding none of them (only "Domains") gets 404 here. */
export const USER_PAGE_ROLES = ['users', 'passwords', 'licenses', 'admin_roles'];

export const grant = (s: Scope, now: Date, opens: string[] = USER_PAGE_ROLES): SQL =>
  s.partner
    ? sql`g as (select o.name as org_name, r.roles::text[] as roles, r.id as rel_id
        from partner_relationships r join organizations o on o.id = r.org_id
        where r.org_id = ${s.orgId} and r.partner_org_id = ${s.partner.orgId} and r.type = 'delegated_admin' and r.status = 'active'
          and r.roles && ${`{${opens.join(',')}}`}::text[]
          and (r.ends_at is null or r.ends_at > ${now.toISOString()}::timestamptz)
          -- Suspended by the customer (issue 24 §4, decision 111): refused. The share lock makes a suspend and this
          -- statement take turns: one racing the other sees it committed and is refused, or finishes first.
          and r.suspended_at is null
        limit 1 for share of r)`
    : sql`g as (select o.name as org_name, ${`{${s.ownPermissions.join(',')}}`}::text[] as roles, null::uuid as rel_id from organizations o where o.id = ${s.orgId})`;

export const may = (p: Permission) => sql`exists (select 1 from g where ${p} = any(g.roles))`;

// The person only: the activity log names the partner from partner_org_id, in the reader's language.
export const actorName = (s: Scope): SQL => sql`${s.actor.name}::text`;

export const audit = (s: Scope, action: string, targetType: string, targetId: SQL, after: SQL, from: SQL) =>
  auditInsert({ ...auditedBy(s), action, targetType, targetId, after }, sql`${from}, g`);

/** Who an audit row of this scope names: the organization, the partner acting on its behalf, the person. */
export const auditedBy = (s: Scope) => ({ orgId: s.orgId, partnerOrgId: s.partner?.orgId ?? null, actorUserId: s.actor.id, actorName: actorName(s) });

/** Who acts, for the reach of each action (roles.rules.ts `reachOf`): only the organization's own global admin reaches admins. */
export const userActorOf = (s: Scope): UserActor => ({ globalAdmin: !s.partner && s.actor.role === 'global_admin' });
