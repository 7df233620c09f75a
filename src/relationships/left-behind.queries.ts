/**
 * What a delegated-admin partner left behind (issue 23): the accounts it created and the admin roles it
 * granted during one relationship (users.created_in_relationship_id, role_grants). Once the relationship
 * has ended or expired, the customer's global admins review them on the relationship's page and in the
 * end mail, and disable an account, remove a role, or do all at once: one statement each, with its audit
 * rows.
 */
import { sql, type SQL } from 'drizzle-orm';
import { auditInsertEach } from '../audit/audit.ts';
import { rows, type Queryable } from '../db/client.ts';
import type { I18n } from '../i18n/index.ts';
import { locales, type Locale } from '../i18n/locales.ts';
import { filledSql } from '../mail/outbox.ts';
import { customerRoles, narrowRoles } from '../authorization/roles.rules.ts';
import { roleName } from '../users/roles.views.tsx';
import { effectiveStatusSql } from './relationships.queries.ts';
import type { RelationshipStatus, RelationshipType } from './relationships.rules.ts';

/** Shown on the page (and in the mail) at most this many of each; "Do all" covers every one. */
export const LEFT_BEHIND_SHOWN = 50;

export interface LeftAccount {
  id: string;
  name: string;
  email: string;
  /** Who at the partner created it. */
  by: string | null;
  disabled: boolean;
  /** A global admin is never disabled from here (the organization's own admins made it one). */
  globalAdmin: boolean;
}

export interface LeftGrant {
  id: string;
  userName: string;
  role: string;
  by: string | null;
  /** The person still holds the role (else someone already removed it). */
  held: boolean;
}

export interface LeftBehind {
  id: string;
  type: RelationshipType;
  status: RelationshipStatus;
  partnerOrgId: string;
  partnerName: string;
  roles: string[];
  startedAt: string;
  endsAt: string | null;
  endedAt: string | null;
  accounts: LeftAccount[];
  grants: LeftGrant[];
  /** All of them, beyond those shown. */
  accountCount: number;
  grantCount: number;
}

/** Whether the role is still held by the person `u`. */
const heldSql = (role: SQL) => sql`(${role} = u.role::text or ${role} = any(u.admin_roles))`;

/** One relationship of the organization with what its partner left behind; null when it is not the organization's. */
export async function leftBehind(db: Queryable, orgId: string, id: string, now: Date): Promise<LeftBehind | null> {
  const [row] = await rows<LeftBehind>(
    db,
    sql`select r.id, r.type, ${effectiveStatusSql(now)} as status, r.partner_org_id as "partnerOrgId", p.name as "partnerName", r.roles,
        r.started_at as "startedAt", r.ends_at as "endsAt", r.ended_at as "endedAt",
        coalesce((select json_agg(x order by x.name, x.id) from (
          select u.id, u.name, u.email, cu.name as by, u.disabled_at is not null as disabled, u.role = 'global_admin' as "globalAdmin"
          from users u left join users cu on cu.id = u.created_by_user_id
          where u.created_in_relationship_id = r.id and u.org_id = ${orgId} order by u.name, u.id limit ${LEFT_BEHIND_SHOWN}) x), '[]') as accounts,
        (select count(*)::int from users u where u.created_in_relationship_id = r.id and u.org_id = ${orgId}) as "accountCount",
        coalesce((select json_agg(x order by x."userName", x.role, x.id) from (
          select * from (
            -- A role granted twice to one person (granted, removed, granted again) is one line: the latest grant.
            select distinct on (g.user_id, g.role) g.id, u.name as "userName", g.role, gu.name as by, ${heldSql(sql`g.role`)} as held
            from role_grants g join users u on u.id = g.user_id left join users gu on gu.id = g.granted_by_user_id
            where g.relationship_id = r.id and g.org_id = ${orgId} order by g.user_id, g.role, g.granted_at desc, g.id) one
          order by one."userName", one.role, one.id limit ${LEFT_BEHIND_SHOWN}) x), '[]') as grants,
        (select count(distinct (g.user_id, g.role))::int from role_grants g where g.relationship_id = r.id and g.org_id = ${orgId}) as "grantCount"
      from partner_relationships r join partners p on p.org_id = r.partner_org_id
      where r.id = ${id} and r.org_id = ${orgId}`,
  );
  return row ?? null;
}

export type CleanUp = { kind: 'all' } | { kind: 'account'; userId: string } | { kind: 'grant'; grantId: string };

/**
 * Disables the accounts and removes the roles `what` names, of a relationship that is over, in one
 * statement with one audit row per account disabled and per role removed. Accounts already disabled,
 * roles already gone and global admins are left as they are. `known`: the relationship is the
 * organization's; `found`: it is a delegated admin that is over (else nothing is done); `changed`: how many
 * people were changed.
 */
export async function cleanUp(
  db: Queryable,
  input: { orgId: string; id: string; what: CleanUp; actor: { id: string; name: string }; now: Date },
): Promise<{ known: boolean; found: boolean; changed: number }> {
  const { orgId, what, now } = input;
  const grantFilter = what.kind === 'all' ? sql`true` : what.kind === 'grant' ? sql`g.id = ${what.grantId}` : sql`false`;
  const accountFilter = what.kind === 'all' ? sql`true` : what.kind === 'account' ? sql`u.id = ${what.userId}` : sql`false`;
  const by = {
    orgId,
    partnerOrgId: sql`t.partner_org_id`,
    actorUserId: input.actor.id,
    actorName: input.actor.name,
    targetType: 'user',
    targetId: sql`t.id::text`,
  };
  const [row] = await rows<{ known: boolean; found: boolean; changed: number }>(
    db,
    sql`with rel as (
        select r.id, r.partner_org_id from partner_relationships r
        where r.id = ${input.id} and r.org_id = ${orgId} and r.type = 'delegated_admin' and ${effectiveStatusSql(now)} <> 'active'),
      gs as (select g.user_id, g.role from role_grants g join rel on g.relationship_id = rel.id
        where g.org_id = ${orgId} and g.role <> 'global_admin' and ${grantFilter}),
      acc as (select u.id from users u join rel on u.created_in_relationship_id = rel.id
        where u.org_id = ${orgId} and u.disabled_at is null and u.role <> 'global_admin' and ${accountFilter}),
      t as (select u.id, u.name, u.email, rel.partner_org_id,
          coalesce((select array_agg(distinct gs.role) from gs where gs.user_id = u.id and ${heldSql(sql`gs.role`)}), '{}') as removing,
          u.id in (select id from acc) as disabling
        from users u, rel where u.org_id = ${orgId} and (u.id in (select user_id from gs) or u.id in (select id from acc))),
      todo as (select * from t where cardinality(t.removing) > 0 or t.disabling),
      changed as (update users u set
          role = case when u.role::text = any(todo.removing) then 'user'::role else u.role end,
          admin_roles = array(select x from unnest(u.admin_roles) x where not x = any(todo.removing)),
          disabled_at = case when todo.disabling then ${now.toISOString()}::timestamptz else u.disabled_at end
        from todo where u.id = todo.id returning u.id),
      signed_out as (delete from sessions where user_id in (select id from todo where disabling)),
      audited as (${auditInsertEach(
        [
          {
            ...by,
            action: 'user.role_removed',
            after: sql`json_build_object('name', t.name, 'email', t.email, 'role', v.role, 'leftBehind', true)`,
          },
          sql`todo t, unnest(t.removing) as v (role)`,
        ],
        [
          { ...by, action: 'user.disabled', after: sql`json_build_object('name', t.name, 'email', t.email, 'leftBehind', true)` },
          sql`todo t where t.disabling`,
        ],
      )})
      select exists (select 1 from partner_relationships r where r.id = ${input.id} and r.org_id = ${orgId}) as known,
        exists (select 1 from rel) as found, (select count(*)::int from changed) as changed`,
  );
  return row;
}

/** The texts of the left-behind list in one language, for the end mail (the database fills in the names). */
export interface LeftBehindMail {
  intro: string;
  account: string;
  grant: string;
  more: string;
  roleLabels: Record<string, string>;
}

export function leftBehindMailTexts(i: I18n): LeftBehindMail {
  return {
    intro: i.t('rel.left.mail.intro'),
    account: i.t('rel.left.mail.account'),
    grant: i.t('rel.left.mail.grant'),
    more: i.t('rel.left.mail.more'),
    roleLabels: Object.fromEntries([...customerRoles, ...narrowRoles].map((r) => [r, roleName(i.t, r)])),
  };
}

/**
 * The list appended to the end mail of the customer's global admins, in one language, as SQL over the
 * relationship `n` (`n.id`, `n.partner_name`): empty when the partner left nothing. The expiry job writes
 * the same list from `leftBehindRowsSql` with `leftBehindText`.
 */
export function leftBehindListSql(m: LeftBehindMail): SQL {
  const label = sql`case g.role ${sql.join(
    Object.entries(m.roleLabels).map(([r, l]) => sql`when ${r}::text then ${l}::text`),
    sql` `,
  )} else g.role end`;
  const account = filledSql(m.account, { name: sql`u.name`, email: sql`u.email`, person: sql`coalesce(cu.name, '')` });
  const grant = filledSql(m.grant, { name: sql`u.name`, role: label, person: sql`coalesce(gu.name, '')` });
  const intro = filledSql(m.intro, { partner: sql`n.partner_name` });
  return sql`coalesce((select E'\n\n' || ${intro} || E'\n' || string_agg(x.line, E'\n' order by x.ord, x.name, x.line)
      || case when (select count(*) from users u where u.created_in_relationship_id = n.id and u.disabled_at is null) > ${LEFT_BEHIND_SHOWN}
           or (select count(*) from role_grants g where g.relationship_id = n.id) > ${LEFT_BEHIND_SHOWN} then E'\n' || ${m.more}::text else '' end
    from (
      (select 1 as ord, u.name, ${account} as line from users u left join users cu on cu.id = u.created_by_user_id
        where u.created_in_relationship_id = n.id and u.disabled_at is null order by u.name, u.id limit ${LEFT_BEHIND_SHOWN})
      union all
      (select distinct 2, u.name, ${grant} from role_grants g join users u on u.id = g.user_id left join users gu on gu.id = g.granted_by_user_id
        where g.relationship_id = n.id and ${heldSql(sql`g.role`)} order by u.name limit ${LEFT_BEHIND_SHOWN})) x
    having count(*) > 0), '')`;
}

export type LeftBehindMails = Record<Locale, LeftBehindMail>;
export const leftBehindMails = (i18nOf: (l: Locale) => I18n): LeftBehindMails =>
  Object.fromEntries(locales.map((l) => [l, leftBehindMailTexts(i18nOf(l))])) as LeftBehindMails;

/** What the partner left behind during relationship `r.id`, as JSON for the expiry job (the accounts still enabled, the roles still held). */
export const leftBehindRowsSql = (rel: SQL) => sql`json_build_object(
    'accounts', coalesce((select json_agg(x order by x.name) from (select u.name, u.email, cu.name as person from users u left join users cu on cu.id = u.created_by_user_id
      where u.created_in_relationship_id = ${rel} and u.disabled_at is null order by u.name, u.id limit ${LEFT_BEHIND_SHOWN}) x), '[]'),
    'grants', coalesce((select json_agg(x order by x.name, x.role) from (select u.name, g.role, gu.name as person from role_grants g join users u on u.id = g.user_id
      left join users gu on gu.id = g.granted_by_user_id where g.relationship_id = ${rel} and ${heldSql(sql`g.role`)} order by u.name, g.role, g.id limit ${LEFT_BEHIND_SHOWN}) x), '[]'))`;

export interface LeftBehindRows {
  accounts: { name: string; email: string; person: string | null }[];
  grants: { name: string; role: string; person: string | null }[];
}

/** The same list as `leftBehindListSql`, in one language, from `leftBehindRowsSql`'s rows: empty when the partner left nothing. */
export function leftBehindText(i: I18n, partner: string, left: LeftBehindRows): string {
  if (left.accounts.length === 0 && left.grants.length === 0) return '';
  const m = leftBehindMailTexts(i);
  const fill = (tpl: string, v: Record<string, string>) => Object.entries(v).reduce((s, [k, x]) => s.replaceAll(`{${k}}`, x), tpl);
  const lines = [
    ...left.accounts.map((a) => fill(m.account, { name: a.name, email: a.email, person: a.person ?? '' })),
    ...left.grants.map((g) => fill(m.grant, { name: g.name, role: m.roleLabels[g.role] ?? g.role, person: g.person ?? '' })),
  ];
  const more = left.accounts.length >= LEFT_BEHIND_SHOWN || left.grants.length >= LEFT_BEHIND_SHOWN ? `\n${m.more}` : '';
  return `\n\n${fill(m.intro, { partner })}\n${lines.join('\n')}${more}`;
}
