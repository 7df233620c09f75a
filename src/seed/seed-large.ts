/**
 * `npm run seed`: a large data set on real PostgreSQL for the benchmark (test/bench/run.ts).
 *
 * On top of the demo data: 10,000 customer organizations ("Bench Org 1" ... "Bench Org 10000"), each
 * with a global admin (one shared argon2 hash of the demo password), 1,000,000 subscriptions spread
 * over them (skewed: Bench Org 1 has about 10,000, the smallest about 50), partners of record and
 * partner relationships on partners of the demo directory (Northwind Traders gets about 2,000
 * customers), one audit row per new organization, and for the demo customer Contoso 100,000 more
 * subscriptions and 10,000 audit rows so that paging its lists is a real test.
 *
 * Everything is set-based SQL (INSERT ... SELECT FROM generate_series) in ONE transaction, so a run
 * that is stopped halfway leaves nothing; a second run finds "Bench Org 1" and stops.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { auditInsert } from '../audit/audit.ts';
import { hashPassword } from '../auth/password.ts';
import { migrate, openDatabase, rows, type Queryable } from '../db/client.ts';
import { DEMO_PASSWORD, seedDemo } from './seed.ts';

export const BENCH_ORGS = 10_000;
export const BENCH_SUBSCRIPTIONS = 1_000_000;
export const CONTOSO_SUBSCRIPTIONS = 100_000;
export const CONTOSO_AUDIT_ROWS = 10_000;
export const MARKER_ORG = 'Bench Org 1';

const COUNTRIES = ['CN', 'HK', 'TW', 'SG', 'JP', 'KR', 'IN', 'AU', 'PL', 'DE', 'FR', 'GB', 'US', 'CA', 'BR'];

/** A deterministic number in [0, 1) from an integer expression: stable data from run to run. */
const unit = (expr: string) => `((hashint4(${expr})::bigint + 2147483648) / 4294967296.0)`;

async function step(label: string, fn: () => Promise<unknown>) {
  const started = performance.now();
  await fn();
  console.log(`  ${label.padEnd(58)} ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s`);
}

async function fill(tx: Queryable, passwordHash: string) {
  const exec = (q: ReturnType<typeof sql>) => tx.execute(q);
  await exec(sql`set local work_mem = '256MB'`);
  await exec(sql`set local maintenance_work_mem = '512MB'`);
  await exec(sql`set local synchronous_commit = off`);
  // The app's connections stop a statement after 10 s (client.ts); a million-row insert takes longer.
  await exec(sql`set local statement_timeout = 0`);
  await exec(sql`set local idle_in_transaction_session_timeout = 0`);

  await step(`${BENCH_ORGS.toLocaleString('en')} customer organizations`, async () => {
    // n, id, country and (for every second organization) a partner of record that serves its country.
    await exec(
      sql.raw(`
      create temp table bench_orgs on commit drop as
      select g as n, gen_random_uuid() as id,
        (array['${COUNTRIES.join("','")}'])[1 + (g * 7) % ${COUNTRIES.length}] as country,
        null::uuid as partner_org_id,
        now() - make_interval(days => (${unit('g * 13')} * 1500)::int) as created_at
      from generate_series(1, ${BENCH_ORGS}) g`),
    );
    await exec(sql`
      with eligible as (
        select p.org_id, c as country,
          row_number() over (partition by c order by p.partner_id) - 1 as k,
          count(*) over (partition by c) as cnt
        from partners p, unnest(p.countries) c where 'advisor' = any(p.capabilities))
      update bench_orgs o set partner_org_id = e.org_id
      from eligible e where e.country = o.country and o.n % 2 = 0 and e.k = (o.n / 2) % e.cnt`);
    await exec(sql`create unique index on bench_orgs (n)`);
    await exec(sql`analyze bench_orgs`);
    await exec(sql`
      insert into organizations (id, kind, name, country, created_at)
      select id, 'customer', 'Bench Org ' || n, country, created_at from bench_orgs order by n`);
    // Products sold in each country, so no subscription is for a product its country cannot buy.
    await exec(
      sql.raw(`
      create temp table bench_products on commit drop as
      select c.country, array_agg(p.id order by p.plan_id, p.sort) as ids, count(*)::int as cnt
      from unnest(array['${COUNTRIES.join("','")}']) as c(country)
      join products p on c.country = any(p.countries)
      group by c.country`),
    );
  });

  await step(`${BENCH_ORGS.toLocaleString('en')} global admins (one shared password hash)`, () =>
    exec(sql`
      insert into users (org_id, email, name, password_hash, role, is_billing_owner, created_at)
      select id, 'admin@bench-org-' || n || '.example', 'Bench Admin ' || n, ${passwordHash}, 'global_admin', true, created_at
      from bench_orgs order by n`),
  );

  await step(`${BENCH_SUBSCRIPTIONS.toLocaleString('en')} subscriptions`, () =>
    exec(
      sql.raw(`
      insert into subscriptions (org_id, product_id, quantity, status, billing_frequency, started_at, renews_at, ends_at, partner_org_id, version, created_at)
      select o.id, s.product_id, s.quantity, s.status::subscription_status, s.freq::billing_frequency, s.started,
        case when s.status in ('active', 'trial') then now() + make_interval(days => 1 + s.g % 365) end,
        case when s.status in ('expired', 'cancelled') then now() - make_interval(days => s.g % 90) end,
        case when s.g % 3 = 0 and p.product_ids @> array[s.product_id] then o.partner_org_id end,
        1 + s.g % 4, s.started
      from (
        select x.*, bp.ids[1 + (x.g * 7) % bp.cnt] as product_id
        from (
          select g, o.id as org, o.country,
            1 + (g * 17) % 300 as quantity,
            case when g % 100 < 70 then 'active' when g % 100 < 80 then 'trial' when g % 100 < 92 then 'expired' else 'cancelled' end as status,
            case when g % 4 = 0 then 'yearly' else 'monthly' end as freq,
            now() - make_interval(secs => (${unit('g * 31')} * 1000 * 86400)::int) as started
          from generate_series(1, ${BENCH_SUBSCRIPTIONS}) g
          join bench_orgs o on o.n = 1 + floor(${BENCH_ORGS} * power(${unit('g')}, 2))::int
        ) x join bench_products bp on bp.country = x.country
      ) s
      join bench_orgs o on o.id = s.org
      left join partners p on p.org_id = o.partner_org_id`),
    ),
  );

  await step('partner relationships', () =>
    exec(sql`
      with northwind as (select org_id from partners where name = 'Northwind Traders'),
      rel as (
        -- the partner of record is an advisor
        select o.id as org_id, o.partner_org_id, 'advisor' as type, 'active' as status,
          '{}'::text[] as roles, o.created_at + interval '1 day' as started_at, null::timestamptz as ends_at, null::timestamptz as ended_at
        from bench_orgs o where o.partner_org_id is not null
        union all
        -- Northwind is delegated admin of every fifth organization (expired for every fiftieth) ...
        select o.id, nw.org_id, 'delegated_admin', case when o.n % 50 = 0 then 'expired' else 'active' end,
          array['users', 'passwords', 'licenses'], o.created_at + interval '2 days',
          case when o.n % 50 = 0 then now() - interval '3 days' else now() + make_interval(days => 5 + o.n % 400) end,
          case when o.n % 50 = 0 then now() - interval '3 days' end
        from bench_orgs o, northwind nw where o.n % 5 = 0
        union all
        -- ... and reseller of every tenth
        select o.id, nw.org_id, 'reseller', 'active', '{}', o.created_at + interval '2 days', null, null
        from bench_orgs o, northwind nw where o.n % 10 = 0)
      insert into partner_relationships (org_id, partner_org_id, type, status, roles, started_at, ends_at, ended_at, authorized_by_user_id)
      select r.org_id, r.partner_org_id, r.type::relationship_type, r.status::relationship_status, r.roles, r.started_at, r.ends_at, r.ended_at, u.id
      from rel r join users u on u.org_id = r.org_id`),
  );

  await step(`Contoso: ${CONTOSO_SUBSCRIPTIONS.toLocaleString('en')} more subscriptions`, () =>
    exec(
      sql.raw(`
      with contoso as (select u.org_id as id, o.country from users u join organizations o on o.id = u.org_id where lower(u.email) = 'admin@contoso.example'),
      nw as (select org_id, product_ids from partners where name = 'Northwind Traders'),
      ad as (select org_id, product_ids from partners where name = 'Adatum Consulting')
      insert into subscriptions (org_id, product_id, quantity, status, billing_frequency, started_at, renews_at, ends_at, partner_org_id, version, created_at)
      select c.id, s.product_id, s.quantity, s.status::subscription_status, s.freq::billing_frequency, s.started,
        case when s.status in ('active', 'trial') then now() + make_interval(days => 1 + s.g % 365) end,
        case when s.status in ('expired', 'cancelled') then now() - make_interval(days => s.g % 90) end,
        case when s.g % 5 = 0 and nw.product_ids @> array[s.product_id] then nw.org_id
             when s.g % 5 = 1 and ad.product_ids @> array[s.product_id] then ad.org_id end,
        1 + s.g % 4, s.started
      from contoso c cross join nw cross join ad
      join bench_products bp on bp.country = c.country
      cross join lateral (
        select g, bp.ids[1 + (g * 7) % bp.cnt] as product_id, 1 + (g * 17) % 300 as quantity,
          case when g % 100 < 70 then 'active' when g % 100 < 80 then 'trial' when g % 100 < 92 then 'expired' else 'cancelled' end as status,
          case when g % 4 = 0 then 'yearly' else 'monthly' end as freq,
          now() - make_interval(secs => (${unit('g * 37')} * 1000 * 86400)::int) as started
        from generate_series(1, ${CONTOSO_SUBSCRIPTIONS}) g) s`),
    ),
  );

  await step('audit rows', async () => {
    await exec(
      auditInsert(
        {
          orgId: sql`o.id`,
          actorUserId: sql`u.id`,
          actorName: sql`u.name`,
          action: 'organization.created',
          targetType: 'organization',
          targetId: sql`o.id::text`,
          after: sql`json_build_object('name', 'Bench Org ' || o.n, 'country', o.country)`,
          createdAt: sql`o.created_at`,
        },
        sql`bench_orgs o join users u on u.org_id = o.id order by o.created_at`,
      ),
    );
    // Contoso's activity log: its admin's own changes and Northwind's, on its behalf, oldest first.
    const n = sql.raw(String(CONTOSO_AUDIT_ROWS));
    const byPartner = sql`s.k % 2 = 0`;
    await exec(sql`
      with contoso as (select u.org_id as id, u.id as admin_id, u.name as admin_name from users u where lower(u.email) = 'admin@contoso.example'),
      nw as (select p.org_id, u.id as user_id, u.name as actor
             from partners p join users u on u.org_id = p.org_id and lower(u.email) = 'partner@northwind.example'),
      subs as (select s.id, row_number() over (order by s.id) as k from subscriptions s, contoso c where s.org_id = c.id limit ${n})
      ${auditInsert(
        {
          orgId: sql`c.id`,
          partnerOrgId: sql`case when ${byPartner} then nw.org_id end`,
          actorUserId: sql`case when ${byPartner} then nw.user_id else c.admin_id end`,
          actorName: sql`case when ${byPartner} then nw.actor else c.admin_name end`,
          action: sql`(array['subscription.quantity.changed', 'subscription.partner_of_record.changed', 'subscription.partner_of_record.removed', 'license.assigned'])[1 + s.k % 4]`,
          targetType: 'subscription',
          targetId: sql`s.id::text`,
          before: sql`json_build_object('quantity', 1 + s.k % 50)`,
          after: sql`json_build_object('quantity', 2 + s.k % 50)`,
          createdAt: sql`now() - make_interval(mins => (${n} - s.k)::int * 30)`,
        },
        sql`subs s, contoso c, nw order by s.k`,
      )}`);
  });
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\//.test(url)) {
    console.error('npm run seed needs DATABASE_URL=postgres://... (a real PostgreSQL; it does not fill the embedded database).');
    process.exit(1);
  }
  const started = performance.now();
  const database = await openDatabase({ url, poolSize: 1 });
  try {
    await migrate(database);
    const demo = await seedDemo(database.db);
    if (demo) console.log('Demo data ready.');
    const [done] = await rows<{ n: string }>(database.db, sql`select count(*) as n from organizations where name = ${MARKER_ORG}`);
    if (Number(done.n) > 0) {
      console.log(`The large data set is already there ('${MARKER_ORG}' exists): nothing to do.`);
      return;
    }
    console.log(`Seeding the large data set into ${new URL(url).pathname.slice(1) || 'the database'}:`);
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    await database.db.transaction((tx) => fill(tx, passwordHash));
    await step('analyze', () => database.db.execute(sql`analyze`));
    const [counts] = await rows<{ orgs: string; subs: string; rels: string; audit: string }>(
      database.db,
      sql`select (select count(*) from organizations where kind = 'customer') as orgs, (select count(*) from subscriptions) as subs,
        (select count(*) from partner_relationships) as rels, (select count(*) from audit_log) as audit`,
    );
    const n = (v: string) => Number(v).toLocaleString('en');
    console.log(
      `Done in ${((performance.now() - started) / 1000).toFixed(1)} s: ${n(counts.orgs)} customer organizations, ${n(counts.subs)} subscriptions, ` +
        `${n(counts.rels)} partner relationships, ${n(counts.audit)} audit rows. Sign in as admin@bench-org-<n>.example, password ${DEMO_PASSWORD}.`,
    );
  } finally {
    await database.close();
  }
}

// Run when started as a script (npm run seed), not when imported (the bench reads MARKER_ORG).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
