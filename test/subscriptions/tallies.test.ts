import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import { createTestApp, type Client, type TestApp } from '../support/app.ts';

let t: TestApp;
let admin: Client;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signedIn(t.fx.emails.otherOrg);
});
afterAll(() => t?.close());

/** Groups whose tally differs from a count of the subscriptions themselves: none, if the triggers are right. */
const drift = () =>
  rows<{ org_id: string }>(
    t.db,
    sql`select coalesce(t.org_id, s.org_id) as org_id from subscription_tallies t
      full join (select org_id, partner_org_id, count(*)::int as n from subscriptions group by 1, 2) s
        on s.org_id = t.org_id and s.partner_org_id is not distinct from t.partner_org_id
      where coalesce(t.n, 0) <> coalesce(s.n, 0)`,
  );

const selectAllCount = async () =>
  Number((await admin.get('/subscriptions')).text.match(/Select (?:all|the) ([\d,]+) subscription/)?.[1].replaceAll(',', '') ?? 0);
const listVersion = async () => (await admin.get('/subscriptions')).text.match(/name="listVersion" value="([^"]+)"/)?.[1];

describe('the per-organization subscription tallies behind "Select all N"', () => {
  it('follow inserts, updates of the partner of record and deletes, in bulk and one by one', async () => {
    const before = await selectAllCount();
    const version = await listVersion();
    await t.db.execute(sql`insert into subscriptions (org_id, product_id, quantity, status)
      select ${t.fx.fabrikam}, 'frontline-f1', g, 'active' from generate_series(1, 30) g`);
    expect(await selectAllCount()).toBe(before + 30);
    expect(await listVersion()).not.toBe(version);
    const [partner] = await rows<{ org_id: string }>(t.db, sql`select org_id from partners order by partner_id limit 1 offset 1`);
    await t.db.execute(sql`update subscriptions set partner_org_id = ${partner.org_id}
      where id in (select id from subscriptions where org_id = ${t.fx.fabrikam} and product_id = 'frontline-f1' limit 10)`);
    await t.db.execute(sql`update subscriptions set quantity = quantity + 1 where org_id = ${t.fx.fabrikam} and product_id = 'frontline-f1'`);
    await t.db.execute(
      sql`delete from subscriptions where id in (select id from subscriptions where org_id = ${t.fx.fabrikam} and product_id = 'frontline-f1' limit 5)`,
    );
    expect(await drift()).toEqual([]);
    expect(await selectAllCount()).toBe(before + 25);
  });

  it('a change that leaves the count alone still changes the list version', async () => {
    const version = await listVersion();
    await t.db.execute(sql`update subscriptions set quantity = quantity + 1 where id = (select id from subscriptions where org_id = ${t.fx.fabrikam} limit 1)`);
    expect(await listVersion()).not.toBe(version);
    expect(await drift()).toEqual([]);
  });
});
