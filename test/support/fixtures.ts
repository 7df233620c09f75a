import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client.ts';
import * as t from '../../src/db/schema.ts';

/** Ids of the demo data that tests and the access table point at. */
export async function fixtures(db: Db) {
  const orgs = await db.select({ id: t.organizations.id, name: t.organizations.name }).from(t.organizations);
  const org = (name: string) => orgs.find((o) => o.name === name)!.id;
  const contoso = org('Contoso Sp. z o.o.');
  const fabrikam = org('Fabrikam Ltd.');
  const subs = await db
    .select({ id: t.subscriptions.id, productId: t.subscriptions.productId })
    .from(t.subscriptions)
    .where(eq(t.subscriptions.orgId, contoso));
  const fabrikamSubs = await db.select({ id: t.subscriptions.id }).from(t.subscriptions).where(eq(t.subscriptions.orgId, fabrikam));
  const [contosoAdmin] = await db.select({ id: t.users.id }).from(t.users).where(eq(t.users.email, 'admin@contoso.example'));
  const [checkout] = await db
    .insert(t.checkouts)
    // As the app starts one: priced in the organization's currency (Contoso is Polish: PLN) from the price list.
    .values({
      orgId: contoso,
      userId: contosoAdmin.id,
      productId: 'business-basic',
      currency: 'PLN',
      priceCents: sql`(select price_cents from product_prices where product_id = 'business-basic' and currency = 'PLN')`,
    })
    .returning({ id: t.checkouts.id });
  const rels = await db
    .select({ id: t.partnerRelationships.id, type: t.partnerRelationships.type, partnerOrgId: t.partnerRelationships.partnerOrgId })
    .from(t.partnerRelationships)
    .where(eq(t.partnerRelationships.orgId, contoso));
  const northwindRel = (type: string) => rels.find((r) => r.type === type && r.partnerOrgId === org('Northwind Traders'))!.id;
  const [contosoUser] = await db.select({ id: t.users.id }).from(t.users).where(eq(t.users.email, 'user@contoso.example'));
  const [contosoDomain] = await db.select({ id: t.domains.id }).from(t.domains).where(eq(t.domains.name, 'contoso.example'));
  return {
    contoso,
    fabrikam,
    northwind: org('Northwind Traders'),
    adatum: org('Adatum Consulting'),
    /** Contoso's Business Standard: partner of record Northwind, also Contoso's reseller. */
    contosoResoldSub: subs.find((s) => s.productId === 'business-standard')!.id,
    /** Contoso's Business Basic trial, no partner of record. */
    contosoTrialSub: subs.find((s) => s.productId === 'business-basic')!.id,
    fabrikamSub: fabrikamSubs[0].id,
    /** A checkout of Business Basic that Contoso's global admin has started (step 1). */
    contosoCheckout: checkout.id,
    /** Contoso's relationships with Northwind (reseller, delegated admin with every role, advisor). */
    contosoReseller: northwindRel('reseller'),
    contosoDelegatedAdmin: northwindRel('delegated_admin'),
    contosoAdvisor: northwindRel('advisor'),
    /** contoso.example: verified, not default, used by every Contoso address. */
    contosoDomain: contosoDomain.id,
    /** Uma User, Contoso's plain user. */
    contosoUser: contosoUser.id,
    emails: {
      global: 'admin@contoso.example',
      billing: 'billing@contoso.example',
      user: 'user@contoso.example',
      otherOrg: 'admin@fabrikam.example',
      partner: 'partner@northwind.example',
      partnerAgent: 'agent@northwind.example',
    },
  };
}

export type Fixtures = Awaited<ReturnType<typeof fixtures>>;
