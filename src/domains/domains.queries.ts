/**
 * An organization's domains, for its own admins and for a delegated-admin partner holding "Domains": every
 * statement starts with the grant (`g`, src/users/users.queries.ts), so without it nothing is read or written.
 */
import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../db/client.ts';
import { bumpCounters, countersJson, type Counter } from '../auth/rate-limit.ts';
import type { Domain } from '../db/schema.ts';
import { audit, grant, type Scope } from '../authorization/scope.ts';

const opens = ['domains'];
/** An organization has a handful of domains; the page shows the first 100 by name (domains_org_name_idx). */
export const MAX_DOMAINS = 100;

export type DomainRow = Pick<Domain, 'id' | 'name' | 'txtToken' | 'isDefault' | 'isInitial'> & { verified: boolean };

const rowJson = (alias: string) =>
  sql.raw(
    `json_build_object('id', ${alias}.id, 'name', ${alias}.name, 'txtToken', ${alias}.txt_token, 'verified', ${alias}.verified_at is not null, 'isDefault', ${alias}.is_default, 'isInitial', ${alias}.is_initial)`,
  );

/** The domains page: the grant and the organization's domains by name. Null: no access (404). */
export async function domainsPage(db: Queryable, s: Scope, now: Date): Promise<{ orgName: string; roles: string[]; domains: DomainRow[] } | null> {
  const [row] = await rows<{ orgName: string; roles: string[]; domains: DomainRow[] }>(
    db,
    sql`with ${grant(s, now, opens)}
      select g.org_name as "orgName", g.roles,
        (select coalesce(json_agg(${rowJson('d')} order by d.name), '[]') from (select * from domains where org_id = ${s.orgId} order by name limit ${MAX_DOMAINS}) d) as domains
      from g`,
  );
  return row ?? null;
}

export type AddOutcome = 'noAccess' | 'added' | 'exists' | 'taken';

/** Adds an unverified domain, unless the organization has it or another organization has verified it. */
export async function addDomain(db: Queryable, s: Scope, now: Date, name: string, token: string): Promise<AddOutcome> {
  const [row] = await rows<{ granted: boolean; added: boolean; taken: boolean }>(
    db,
    sql`with ${grant(s, now, opens)},
      taken as (select 1 from domains where name = ${name} and verified_at is not null and org_id <> ${s.orgId}),
      made as (insert into domains (org_id, name, txt_token) select ${s.orgId}, ${name}, ${token} from g where not exists (select 1 from taken)
        on conflict (org_id, name) do nothing returning id, name),
      a as (${audit(s, 'domain.added', 'domain', sql`made.id::text`, sql`json_build_object('name', made.name)`, sql`made`)})
      select exists (select 1 from g) as granted, exists (select 1 from made) as added, exists (select 1 from taken) as taken`,
  );
  return !row.granted ? 'noAccess' : row.added ? 'added' : row.taken ? 'taken' : 'exists';
}

/**
 * One domain, for a verification: the same read, and the organization's verification counter bumped in the
 * same statement when the domain is there and not yet verified (a DNS query will follow). The counter is the
 * organization's, whoever acts for it (its admins and its partner together).
 */
export async function findDomainToVerify(
  db: Queryable,
  s: Scope,
  now: Date,
  id: string,
  rate: { key: string; windowSeconds: number },
): Promise<{ domain: DomainRow | null; counters: Counter[] | null } | null> {
  const [row] = await rows<{ domain: DomainRow | null; counters: Counter[] | null }>(
    db,
    sql`with ${grant(s, now, opens)},
      d as (select d.* from domains d where d.org_id = ${s.orgId} and d.id = ${id} and exists (select 1 from g)),
      rl as (${bumpCounters([rate.key], rate.windowSeconds, now, sql`exists (select 1 from d where d.verified_at is null)`)})
      select (select ${rowJson('d')} from d) as domain, ${countersJson(sql`rl`)} as counters from g`,
  );
  return row ?? null;
}

/** Marks a domain verified. Throws a unique violation when another organization verified the name first. */
export async function markVerified(db: Queryable, s: Scope, now: Date, id: string): Promise<DomainRow | null> {
  const [row] = await rows<{ domain: DomainRow | null }>(
    db,
    sql`with ${grant(s, now, opens)},
      changed as (update domains d set verified_at = now() where d.org_id = ${s.orgId} and d.id = ${id} and exists (select 1 from g) returning d.*),
      a as (${audit(s, 'domain.verified', 'domain', sql`changed.id::text`, sql`json_build_object('name', changed.name)`, sql`changed`)})
      select (select ${rowJson('changed')} from changed) as domain`,
  );
  return row?.domain ?? null;
}

/** Makes a verified domain the default: two statements in one transaction, since one default per organization is checked row by row. */
export async function setDefault(db: Queryable, s: Scope, now: Date, id: string): Promise<'noAccess' | 'notFound' | 'done' | 'notVerified'> {
  return db.transaction(async (tx) => {
    const [cleared] = await rows<{ granted: boolean; found: boolean; verified: boolean }>(
      tx,
      sql`with ${grant(s, now, opens)},
        target as (select 1 from domains where org_id = ${s.orgId} and id = ${id} and verified_at is not null and exists (select 1 from g) for update),
        cleared as (update domains set is_default = false where org_id = ${s.orgId} and is_default and id <> ${id} and exists (select 1 from target) returning id)
        select exists (select 1 from g) as granted, exists (select 1 from target) as verified,
          exists (select 1 from domains where org_id = ${s.orgId} and id = ${id}) as found`,
    );
    if (!cleared.granted) return 'noAccess';
    if (!cleared.found) return 'notFound';
    if (!cleared.verified) return 'notVerified';
    await tx.execute(sql`with ${grant(s, now, opens)},
      changed as (update domains set is_default = true where org_id = ${s.orgId} and id = ${id} and not is_default returning id, name),
      a as (${audit(s, 'domain.default_set', 'domain', sql`changed.id::text`, sql`json_build_object('name', changed.name)`, sql`changed`)})
      select 1`);
    return 'done';
  });
}

/**
 * Removes a domain that is neither default nor initial and that no user's address uses (the conditions of
 * `whyNotRemovable`, held in the statement that deletes), and reads those users' names for the refusal.
 */
export async function removeDomain(
  db: Queryable,
  s: Scope,
  now: Date,
  id: string,
): Promise<{ domain: DomainRow | null; usersUsing: string[]; removed: boolean } | null> {
  const [row] = await rows<{ domain: DomainRow | null; usersUsing: string[]; removed: boolean }>(
    db,
    sql`with ${grant(s, now, opens)},
      target as (select * from domains d where d.org_id = ${s.orgId} and d.id = ${id} and exists (select 1 from g)),
      using_it as (select u.name from users u where u.org_id = ${s.orgId} and lower(split_part(u.email, '@', 2)) = (select name from target) order by u.name limit 5),
      removed as (delete from domains d using target t where d.id = t.id and not t.is_default and not t.is_initial and not exists (select 1 from using_it) returning d.id, d.name),
      a as (${audit(s, 'domain.removed', 'domain', sql`removed.id::text`, sql`json_build_object('name', removed.name)`, sql`removed`)})
      select (select ${rowJson('target')} from target) as domain, coalesce((select json_agg(name) from using_it), '[]') as "usersUsing",
        exists (select 1 from removed) as removed
      from g`,
  );
  return row ?? null;
}
