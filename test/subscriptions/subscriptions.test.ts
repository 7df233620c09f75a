import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/client.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../support/app.ts';
import { DAY } from '../../src/time.ts';

let t: TestApp;
let admin: Client;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signedIn(t.fx.emails.global);
});
afterAll(() => t?.close());

describe('the subscriptions list', () => {
  it('shows each subscription with product, licenses, status, renewal date and partner of record, within the query budget', async () => {
    const res = await admin.get('/subscriptions');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Business Standard');
    expect(res.text).toContain('Enterprise E3');
    expect(res.text).toContain('>25<');
    expect(res.text).toContain('Trial');
    expect(res.text).toContain('Northwind Traders');
    expect(res.text).toContain('Partner ID 1000138');
    // The session and the page in one statement (auth/session-read.ts).
    expect(res.queries).toBe(1);
  });

  it('refuses a query no link of its own sends (a repeated key) with 400', async () => {
    expect((await admin.get('/subscriptions?sort=product&sort=renewal')).status).toBe(400);
  });

  it('a billing admin sees it too; a user gets 403', async () => {
    expect((await (await t.signedIn(t.fx.emails.billing)).get('/subscriptions')).status).toBe(200);
    expect((await (await t.signedIn(t.fx.emails.user)).get('/subscriptions')).status).toBe(403);
  });

  it('pages through many subscriptions with keyset pagination, every one once, at the same cost on every page', async () => {
    const other = await t.signedIn(t.fx.emails.otherOrg);
    await t.db.execute(sql`insert into subscriptions (org_id, product_id, quantity, status, renews_at)
      select ${t.fx.fabrikam}, 'frontline-f1', g, 'active', case when g % 7 = 0 then null else now() + (g % 5) * interval '1 day' end
      from generate_series(1, 45) g`);
    for (const [sort, dir] of [
      ['renewal', 'asc'],
      ['renewal', 'desc'],
      ['created', 'desc'],
      ['product', 'asc'],
    ]) {
      const seen: string[] = [];
      const costs: number[] = [];
      let url: string | null = `/subscriptions?sort=${sort}&dir=${dir}`;
      while (url) {
        const res = await other.get(url);
        expect(res.status).toBe(200);
        costs.push(res.queries);
        seen.push(...[...res.text.matchAll(/href="\/subscriptions\/([0-9a-f-]{36})"/g)].map((m) => m[1]));
        url = res.text.match(/href="([^"]+)" rel="next"/)?.[1].replaceAll('&amp;', '&') ?? null;
      }
      expect(seen.length, `${sort} ${dir}`).toBe(48);
      expect(new Set(seen).size).toBe(48);
      expect(new Set(costs).size).toBe(1);
      expect(costs[0]).toBe(1);
    }
  });
});

describe('the page read with the session in one statement', () => {
  it('an organization without subscriptions is told so, still in one statement', async () => {
    await t.db.execute(sql`with o as (insert into organizations (kind, name, country) values ('customer', 'Empty Co', 'PL') returning id)
      insert into users (org_id, email, name, password_hash, role, email_verified_at)
      select o.id, 'admin@empty.example', 'Ela Empty', u.password_hash, 'global_admin', now() from o, users u where u.email = ${t.fx.emails.global}`);
    const res = await (await t.signedIn('admin@empty.example')).get('/subscriptions');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Your organization has no subscriptions yet.');
    expect(res.text).not.toContain('Business Standard');
    expect(res.text).toContain('Ela Empty');
    expect(res.queries).toBe(1);
  });

  it('each organization sees only its own subscriptions', async () => {
    const other = await t.signedIn(t.fx.emails.otherOrg);
    for (const [client, org] of [
      [admin, t.fx.contoso],
      [other, t.fx.fabrikam],
    ] as const) {
      const shown = [...(await client.get('/subscriptions')).text.matchAll(/href="\/subscriptions\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
      expect(shown.length).toBeGreaterThan(0);
      const owners = await rows<{ orgId: string }>(t.db, sql`select distinct org_id as "orgId" from subscriptions where id::text in ${shown}`);
      expect(owners).toEqual([{ orgId: org }]);
    }
  });

  it('an ended or unknown session shows no rows: the visitor is sent to sign in', async () => {
    const gone = await t.signedIn(t.fx.emails.billing);
    const token = gone.cookies.get('pd_session')!;
    await gone.post('/signout', {});
    gone.cookies.set('pd_session', token);
    const res = await gone.get('/subscriptions');
    expect(res.status).toBe(303);
    expect(res.location).toMatch(/^\/signin\?next=/);
    const forged = t.client();
    forged.cookies.set('pd_session', 'a'.repeat(32));
    const again = await forged.get('/subscriptions');
    expect(again.status).toBe(303);
    expect(again.text).not.toContain('Business Standard');
  });

  /** The list as `client` sees it `days` from now on the app's clock. */
  async function listIn(days: number, client: Client) {
    const was = t.clock.now;
    t.clock.now = new Date(was.getTime() + days * DAY);
    try {
      return await client.get('/subscriptions');
    } finally {
      t.clock.now = was;
    }
  }

  it('an expired session is not extended by the page and shows nothing', async () => {
    const res = await listIn(31, await t.signedIn(t.fx.emails.billing));
    expect(res.status).toBe(303);
    expect(res.text).not.toContain('Business Standard');
  });

  it('a session in its second half is extended while the page is read', async () => {
    const res = await listIn(20, await t.signedIn(t.fx.emails.billing));
    expect(res.status).toBe(200);
    expect(res.text).toContain('Business Standard');
    expect(res.headers.get('set-cookie')).toMatch(/pd_session=/);
  });
});
