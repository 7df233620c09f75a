/**
 * The access table: every route and method, with the status each kind of caller gets. A route the app
 * registers without a row here fails the suite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../support/app.ts';
import { sql } from 'drizzle-orm';
import { callers, extraCallers, type AccessRow, type Caller, type ExtraCaller } from './types.ts';

const tables = import.meta.glob<{ rows: AccessRow[] }>('./*.rows.ts', { eager: true });
const rows = Object.values(tables).flatMap((m) => m.rows);

let t: TestApp;
const clients = new Map<Caller | ExtraCaller, Client>();

async function clientFor(caller: Caller | ExtraCaller, fresh = false): Promise<Client> {
  if (caller === 'anon') return t.client();
  if (fresh || !clients.has(caller)) {
    const emails = {
      user: t.fx.emails.user,
      billing: t.fx.emails.billing,
      global: t.fx.emails.global,
      otherOrg: t.fx.emails.otherOrg,
      partner: t.fx.emails.partner,
      usersAdmin: 'helpdesk@contoso.example',
      domainsAdmin: 'domains@contoso.example',
      partnerDomainsOnly: 'agent@adatum.example',
    };
    const c = await t.signedIn(emails[caller]);
    if (fresh) return c;
    clients.set(caller, c);
  }
  return clients.get(caller)!;
}

beforeAll(async () => {
  t = await createTestApp();
  // The extra callers: Contoso people with one narrower admin role each, and an Adatum partner agent whose
  // delegated admin for Contoso holds only "Domains".
  await t.db.execute(sql`insert into users (org_id, email, name, password_hash, role, admin_roles)
    select u.org_id, v.email, v.name, u.password_hash, 'user', v.roles::text[] from users u,
      (values ('helpdesk@contoso.example', 'Hana Helpdesk', '{users,passwords}'), ('domains@contoso.example', 'Dan Domains', '{domains}')) v (email, name, roles)
    where u.email = ${t.fx.emails.user}`);
  await t.db.execute(sql`insert into users (org_id, email, name, password_hash, role)
    select org_id, 'agent@adatum.example', 'Ada Agent', password_hash, 'partner_agent' from users where email = 'partner@adatum.example'`);
  await t.db.execute(sql`insert into partner_relationships (org_id, partner_org_id, type, roles, ends_at)
    values (${t.fx.contoso}, ${t.fx.adatum}, 'delegated_admin', '{domains}', now() + interval '30 days')`);
});
afterAll(() => t?.close());

describe('access table', () => {
  it('has a row for every route the app registers, and no row for a route it does not', () => {
    const registered = new Set(t.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`));
    const listed = new Set(rows.map((r) => `${r.method} ${r.path}`));
    expect(
      [...registered].filter((r) => !listed.has(r)),
      'routes without a row',
    ).toEqual([]);
    expect(
      [...listed].filter((r) => !registered.has(r)),
      'rows without a route',
    ).toEqual([]);
  });

  for (const row of rows) {
    it(`${row.method} ${row.path}`, async () => {
      const got: Record<string, string> = {};
      const want: Record<string, string> = {};
      for (const caller of [...callers, ...extraCallers.filter((x) => x in row.expect)]) {
        const client = await clientFor(caller, row.fresh);
        // A fresh row may end the caller's other sessions too ("Sign out everywhere else"): sign in anew after it.
        if (row.fresh) clients.delete(caller);
        const url = row.url?.(t.fx) ?? row.path;
        const res = row.method === 'GET' ? await client.get(url) : await client.post(url, row.form?.(t.fx) ?? {});
        const expected = row.expect[caller];
        want[caller] = String(expected);
        got[caller] = expected === 'signin' && res.status === 303 && res.location?.startsWith('/signin?next=') ? 'signin' : String(res.status);
      }
      expect(got).toEqual(want);
    });
  }
});
