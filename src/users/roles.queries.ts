/**
 * Admin roles and billing account ownership, written under lock: the first statement locks the
 * organization's global admins and the person concerned (`for update`), so two removals at once see each
 * other and the organization never ends without a global admin; the second writes the change, one audit
 * row per role granted or removed, and the e-mail to the person, then returns the user page.
 */
import { sql, type SQL } from 'drizzle-orm';
import { auditInsert } from '../audit/audit.ts';
import { rows, type Queryable } from '../db/client.ts';
import { localizedMailInsert, type LocalizedMail } from '../mail/outbox.ts';
import { auditedBy, grant, withVia, type Scope } from '../authorization/scope.ts';
import { userPageSelect, type UserPageData } from './users.queries.ts';
import type { Person } from '../authorization/roles.rules.ts';
import type { Role } from '../db/schema.ts';

export interface Locked {
  /** The grant exists (else 404). */
  granted: boolean;
  /** What the actor's grant holds (a partner's relationship roles, or the own person's permissions). */
  roles: string[];
  orgName: string;
  target: (Person & { name: string; email: string }) | null;
  globalAdmins: number;
  /** The acting person's role as it is now, under the same lock (their session may be older than a change). */
  actorRole: string | null;
}

/** Locks the organization's global admins, `userId` and the acting person; reads what a decision needs. */
export async function lockPeople(tx: Queryable, s: Scope, now: Date, userId: string): Promise<Locked> {
  const [row] = await rows<Locked>(
    tx,
    sql`with ${grant(s, now)},
      locked as (select u.id, u.org_id, u.role, u.admin_roles, u.is_billing_owner, u.name, u.email from users u
        where u.org_id = ${s.orgId} and (u.role = 'global_admin' or u.id = ${userId} or u.id = ${s.actor.id}) and exists (select 1 from g)
        order by u.id for update of u)
      select exists (select 1 from g) as granted, coalesce((select g.roles from g), '{}') as roles, (select g.org_name from g) as "orgName",
        (select json_build_object('id', l.id, 'orgId', l.org_id, 'role', l.role, 'adminRoles', l.admin_roles,
          'isBillingOwner', l.is_billing_owner, 'name', l.name, 'email', l.email) from locked l where l.id = ${userId}) as target,
        (select count(*) from locked l where l.role = 'global_admin')::int as "globalAdmins",
        (select l.role from locked l where l.id = ${s.actor.id}) as "actorRole"`,
  );
  return row;
}

const auditRows = (s: Scope, entries: { action: string; role: string | null }[], from: SQL) =>
  auditInsert(
    {
      ...auditedBy(s),
      action: sql`v.action`,
      targetType: 'user',
      targetId: sql`c.id::text`,
      after: withVia(s, 'admin_roles', sql`json_build_object('name', c.name, 'email', c.email, 'role', v.role)`),
    },
    sql`${from} c, g, unnest(${`{${entries.map((e) => e.action).join(',')}}`}::text[], ${`{${entries.map((e) => e.role ?? 'NULL').join(',')}}`}::text[]) as v (action, role)`,
  );

/**
 * Who granted what, when a partner acts (issue 23): one row per role granted, naming the partner, its
 * person and the relationship, so the customer can review it when the relationship ends.
 */
const grantRecords = (s: Scope, granted: string[]) =>
  s.partner && granted.length > 0
    ? sql`rg as (insert into role_grants (org_id, user_id, role, partner_org_id, granted_by_user_id, relationship_id)
        select ${s.orgId}, c.id, v.role, ${s.partner.orgId}, ${s.actor.id}, g.rel_id from changed c, g, unnest(${`{${granted.join(',')}}`}::text[]) as v (role)
        where g.rel_id is not null),`
    : sql``;

/** Gives `userId` the base role and narrower roles decided, with its audit rows and mail; returns the page as it now is. */
export async function writeRoles(
  tx: Queryable,
  s: Scope,
  now: Date,
  input: { userId: string; role: Role; adminRoles: string[]; granted: string[]; removed: string[]; mail: LocalizedMail },
): Promise<UserPageData> {
  const entries = [
    ...input.granted.map((role) => ({ action: 'user.role_granted', role })),
    ...input.removed.map((role) => ({ action: 'user.role_removed', role })),
  ];
  const [row] = await rows<UserPageData>(
    tx,
    sql`with ${grant(s, now)},
      changed as (update users u set role = ${input.role}::role, admin_roles = ${`{${input.adminRoles.join(',')}}`}::text[]
        where u.org_id = ${s.orgId} and u.id = ${input.userId} and exists (select 1 from g) returning u.id, u.name, u.email),
      a as (${auditRows(s, entries, sql`changed`)}),
      ${grantRecords(s, input.granted)}
      m as (${localizedMailInsert([input.mail], sql`exists (select 1 from changed)`)})
      ${userPageSelect(s, input.userId)}`,
  );
  // The statement reads its snapshot from before its own update: show what it wrote.
  return { ...row, user: row.user && { ...row.user, role: input.role, adminRoles: input.adminRoles } };
}

/** Makes `userId` the billing account owner in place of whoever was. */
export async function writeBillingOwner(tx: Queryable, s: Scope, now: Date, input: { userId: string; mail: LocalizedMail }): Promise<UserPageData> {
  const [row] = await rows<UserPageData>(
    tx,
    sql`with ${grant(s, now)},
      changed as (update users u set is_billing_owner = (u.id = ${input.userId})
        where u.org_id = ${s.orgId} and (u.is_billing_owner or u.id = ${input.userId}) and exists (select 1 from g) returning u.id, u.name, u.email, u.is_billing_owner),
      a as (${auditRows(s, [{ action: 'user.billing_owner_changed', role: null }], sql`(select * from changed where is_billing_owner)`)}),
      m as (${localizedMailInsert([input.mail], sql`exists (select 1 from changed)`)})
      ${userPageSelect(s, input.userId)}`,
  );
  return { ...row, user: row.user && { ...row.user, isBillingOwner: true } };
}
