/** Demo data for `npm start` on an empty database: a catalog, a partner directory, two customers. */
import { count, eq, inArray, sql } from 'drizzle-orm';
import { hashPassword } from '../auth/password.ts';
import { currencyFor } from '../catalog/currencies.ts';
import type { Db, Queryable } from '../db/client.ts';
import * as t from '../db/schema.ts';
import { DAY } from '../time.ts';
import { demoPlans, demoPrices, demoProductPrices, demoProducts, everywhere } from './seed-catalog.ts';

export const DEMO_PASSWORD = 'partnerdesk-demo';
/**
 * DEMO_PASSWORD's argon2id hash at the app's parameters, made once: the password is published, so a
 * fixed salt hides nothing, and the server's first start runs no argon2 (its 19 MB of working memory
 * came on top of the open database's; decision 104). test/foundation/start.test.ts signs in with it.
 */
export const DEMO_PASSWORD_HASH = '$argon2id$v=19$m=19456,t=2,p=1$p8tRChYX7XsXF2ufy6MRVA$JQ01B6w2wGRAZq795IhaIuK7gWdQFaYrYJ19/qrn7tc';

const partnerNames = [
  'Northwind Traders',
  'Adatum Consulting',
  'Litware Cloud',
  'Tailspin IT',
  'Wide World Importers IT',
  'Proseware Solutions',
  'Fourth Coffee Systems',
  'Woodgrove Services',
  'Lucerne Digital',
  'Margie Travel Tech',
  'Alpine Ski IT',
  'Blue Yonder Cloud',
  'Coho Networks',
  'Consolidated Messenger',
  'Graphic Design Institute IT',
  'Humongous Insurance Tech',
  'Lamna Healthcare IT',
  'Nod Publishers Cloud',
  'Relecloud',
  'School of Fine Art IT',
  'Southridge Video Systems',
  'Trey Research',
  'VanArsdel Partners',
  'Wingtip Toys IT',
  'Fabrikam Partners',
  'Datum Cloud Services',
  'Bellows College IT',
  'City Power Digital',
  'Contoso Pharmaceuticals IT',
  'Best For You Organics IT',
  'Liberty Delightful Sinful IT',
  'Munson Pickles IT',
  'Shanghai Yunhai Technology',
  'Beijing Tianqiao Cloud',
  'Kraków Chmura Sp. z o.o.',
  'Warszawa IT Partner S.A.',
];

/** A deterministic, realistic spread of countries, products and capabilities for each partner. */
export function demoPartners(): (typeof t.partners.$inferInsert & { orgCountry: string })[] {
  const productIds = demoProducts.map((p) => p.id!);
  return partnerNames.map((name, i) => {
    const home = everywhere[(i * 7) % everywhere.length];
    const countries = [...new Set([home, everywhere[(i * 3 + 1) % everywhere.length], ...(i % 4 === 0 ? ['PL', 'CN'] : [])])];
    const products = productIds.filter((_, j) => (i + j) % 3 !== 0 || i % 5 === 0);
    const capabilities = ['advisor', ...(i % 2 === 0 ? ['reseller'] : []), ...(i % 3 !== 2 ? ['delegated_admin'] : [])];
    const slug = name
      .toLowerCase()
      .replace(/[^a-z]+/g, '-')
      .replace(/^-|-$/g, '');
    return {
      orgId: '',
      partnerId: String(1000001 + i * 137),
      name,
      countries,
      productIds: products,
      capabilities,
      contactEmail: `hello@${slug}.example`,
      website: `https://${slug}.example`,
      description: `${name} helps organizations buy, set up and run their cloud office.`,
      orgCountry: home,
    };
  });
}

interface DemoUser {
  email: string;
  description: string;
}

async function insertOrg(db: Queryable, kind: 'customer' | 'partner', name: string, country: string) {
  const [org] = await db.insert(t.organizations).values({ kind, name, country }).returning({ id: t.organizations.id });
  return org.id;
}

const roleNames: Record<t.Role, string> = {
  global_admin: 'global admin',
  billing_admin: 'billing admin',
  user: 'user',
  partner_admin: 'partner admin',
  partner_agent: 'partner agent',
};

/** The demo accounts a database holds (after a restart too), for the start-up banner. */
async function existingDemoUsers(db: Db): Promise<DemoUser[]> {
  const found = await db
    .select({ email: t.users.email, role: t.users.role, org: t.organizations.name })
    .from(t.users)
    .innerJoin(t.organizations, eq(t.organizations.id, t.users.orgId))
    .where(inArray(sql`split_part(${t.users.email}, '@', 2)`, ['contoso.example', 'fabrikam.example', 'northwind.example', 'adatum.example']))
    .orderBy(t.organizations.kind, t.users.email)
    .limit(20);
  return found.map((u) => ({ email: u.email, description: `${roleNames[u.role]}, ${u.org}` }));
}

/**
 * Seeds an empty database. Returns the demo sign-ins (also when the data was seeded by an earlier
 * start), or null when the database holds no demo accounts. `passwordHash`: the demo accounts' (the
 * server passes DEMO_PASSWORD_HASH; without it, DEMO_PASSWORD is hashed, at the tests' cheap cost in tests).
 */
export async function seedDemo(db: Db, passwordHash?: string): Promise<{ password: string; users: DemoUser[] } | null> {
  const [{ n }] = await db.select({ n: count() }).from(t.plans);
  if (n > 0) {
    const existing = await existingDemoUsers(db);
    return existing.length > 0 ? { password: DEMO_PASSWORD, users: existing } : null;
  }
  passwordHash ??= await hashPassword(DEMO_PASSWORD);
  const users: DemoUser[] = [];
  await db.transaction(async (tx) => {
    await tx.insert(t.plans).values(demoPlans);
    await tx.insert(t.products).values(demoProducts);
    await tx.insert(t.productPrices).values(demoProductPrices());

    const partnerOrg: Record<string, string> = {};
    for (const p of demoPartners()) {
      const { orgCountry, ...profile } = p;
      const orgId = await insertOrg(tx, 'partner', p.name, orgCountry);
      await tx.insert(t.partners).values({ ...profile, orgId });
      partnerOrg[p.name] = orgId;
    }
    const northwind = partnerOrg['Northwind Traders'];
    const adatum = partnerOrg['Adatum Consulting'];

    const addUser = async (orgId: string, email: string, name: string, role: t.Role, description: string, isBillingOwner = false) => {
      const [u] = await tx.insert(t.users).values({ orgId, email, name, role, passwordHash, isBillingOwner }).returning({ id: t.users.id });
      users.push({ email, description });
      return u.id;
    };
    await addUser(northwind, 'partner@northwind.example', 'Nadia Partner', 'partner_admin', 'partner admin, Northwind Traders (Partner ID 1000001)');
    await addUser(northwind, 'agent@northwind.example', 'Noah Agent', 'partner_agent', 'partner agent, Northwind Traders');
    await addUser(adatum, 'partner@adatum.example', 'Ada Partner', 'partner_admin', 'partner admin, Adatum Consulting (Partner ID 1000138)');

    const now = Date.now();
    for (const customer of [
      { name: 'Contoso Sp. z o.o.', country: 'PL', domain: 'contoso.example' },
      { name: 'Fabrikam Ltd.', country: 'CN', domain: 'fabrikam.example' },
    ]) {
      const orgId = await insertOrg(tx, 'customer', customer.name, customer.country);
      const currency = currencyFor(customer.country);
      const charged = (productId: string) => ({ currency, priceCents: demoPrices[productId][currency] });
      // The initial domain every sign-up gets, and the verified domain the demo addresses use.
      await tx.execute(sql`insert into domains (org_id, name, txt_token, verified_at, is_default, is_initial) values
        (${orgId}, initial_domain_name(${customer.name}, ${orgId}, 'partnerdesk.local'), md5(random()::text), now(), true, true),
        (${orgId}, ${customer.domain}, md5(random()::text), now(), false, false)`);
      const label = customer.name;
      const admin = await addUser(orgId, `admin@${customer.domain}`, 'Alex Admin', 'global_admin', `global admin, ${label}`, true);
      await addUser(orgId, `billing@${customer.domain}`, 'Bea Billing', 'billing_admin', `billing admin, ${label}`);
      await addUser(orgId, `user@${customer.domain}`, 'Uma User', 'user', `user, ${label}`);
      const subs = await tx
        .insert(t.subscriptions)
        .values([
          {
            orgId,
            productId: 'business-standard',
            ...charged('business-standard'),
            quantity: 25,
            status: 'active',
            renewsAt: new Date(now + 200 * DAY),
            partnerOrgId: northwind,
            startedAt: new Date(now - 165 * DAY),
            createdAt: new Date(now - 165 * DAY),
          },
          {
            orgId,
            productId: 'business-basic',
            ...charged('business-basic'),
            quantity: 10,
            status: 'trial',
            renewsAt: new Date(now + 20 * DAY),
            startedAt: new Date(now - 10 * DAY),
            createdAt: new Date(now - 10 * DAY),
          },
          {
            orgId,
            productId: 'enterprise-e3',
            ...charged('enterprise-e3'),
            quantity: 50,
            status: 'active',
            renewsAt: new Date(now + 90 * DAY),
            partnerOrgId: adatum,
            startedAt: new Date(now - 275 * DAY),
            createdAt: new Date(now - 275 * DAY),
          },
        ])
        .returning({ id: t.subscriptions.id });
      await tx.insert(t.partnerRelationships).values([
        { orgId, partnerOrgId: northwind, type: 'reseller', startedAt: new Date(now - 200 * DAY), authorizedByUserId: admin },
        {
          orgId,
          partnerOrgId: northwind,
          type: 'delegated_admin',
          roles: ['users', 'passwords', 'licenses', 'domains', 'admin_roles'],
          startedAt: new Date(now - 200 * DAY),
          endsAt: new Date(now + 165 * DAY),
          authorizedByUserId: admin,
        },
        { orgId, partnerOrgId: northwind, type: 'advisor', startedAt: new Date(now - 165 * DAY), authorizedByUserId: admin },
        { orgId, partnerOrgId: adatum, type: 'advisor', startedAt: new Date(now - 275 * DAY), authorizedByUserId: admin },
      ]);
      await tx.insert(t.licenseAssignments).values({ orgId, subscriptionId: subs[0].id, userId: admin });
    }
  });
  return { password: DEMO_PASSWORD, users };
}
