/**
 * Issue 23 §3: admin scopes that match their names. A "Users", "Passwords" or "Licenses" admin — a
 * customer person holding that narrower role, or a partner whose delegated admin holds it — acts only on
 * people who hold no admin role; only the organization's own global admins reach further. The table:
 * actor's roles × target's roles × action → done or refused (403, the database untouched), in process,
 * on both databases (DATABASE_URL runs it on PostgreSQL).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import { createTestApp, type Client, type TestApp } from '../support/app.ts';

const actors = ['global', 'usersAdmin', 'passwordsAdmin', 'licensesAdmin', 'billing', 'partner'] as const;
const targets = ['plain', 'narrow', 'billingAdmin', 'globalAdmin'] as const;
const actions = ['edit', 'password', 'disable', 'licenses'] as const;
type Actor = (typeof actors)[number];
type Target = (typeof targets)[number];
type Action = (typeof actions)[number];

const Y = true;
const N = false;
/** Per actor, per target, the actions in the order edit, password, disable, licenses. Written out, not derived from the rule. */
const table: Record<Actor, Record<Target, [boolean, boolean, boolean, boolean]>> = {
  global: { plain: [Y, Y, Y, Y], narrow: [Y, Y, Y, Y], billingAdmin: [N, N, Y, Y], globalAdmin: [N, N, N, Y] },
  usersAdmin: { plain: [Y, N, Y, N], narrow: [N, N, N, N], billingAdmin: [N, N, N, N], globalAdmin: [N, N, N, N] },
  passwordsAdmin: { plain: [N, Y, N, N], narrow: [N, N, N, N], billingAdmin: [N, N, N, N], globalAdmin: [N, N, N, N] },
  licensesAdmin: { plain: [N, N, N, Y], narrow: [N, N, N, N], billingAdmin: [N, N, N, N], globalAdmin: [N, N, N, N] },
  billing: { plain: [N, N, N, N], narrow: [N, N, N, N], billingAdmin: [N, N, N, N], globalAdmin: [N, N, N, N] },
  partner: { plain: [Y, Y, Y, Y], narrow: [N, N, N, N], billingAdmin: [N, N, N, N], globalAdmin: [N, N, N, N] },
};

const targetRoles: Record<Target, { role: string; adminRoles: string }> = {
  plain: { role: 'user', adminRoles: '{}' },
  narrow: { role: 'user', adminRoles: '{passwords}' },
  billingAdmin: { role: 'billing_admin', adminRoles: '{}' },
  globalAdmin: { role: 'global_admin', adminRoles: '{}' },
};

let t: TestApp;
const clients = new Map<Actor, Client>();
let n = 0;

beforeAll(async () => {
  t = await createTestApp();
  await t.db.execute(sql`insert into users (org_id, email, name, password_hash, role, admin_roles)
    select u.org_id, v.email, v.name, u.password_hash, 'user', v.roles::text[] from users u,
      (values ('users-admin@contoso.example', 'Ula Users', '{users}'), ('passwords-admin@contoso.example', 'Piotr Passwords', '{passwords}'),
              ('licenses-admin@contoso.example', 'Lena Licenses', '{licenses}')) v (email, name, roles)
    where u.email = ${t.fx.emails.user}`);
  const emails: Record<Actor, string> = {
    global: t.fx.emails.global,
    usersAdmin: 'users-admin@contoso.example',
    passwordsAdmin: 'passwords-admin@contoso.example',
    licensesAdmin: 'licenses-admin@contoso.example',
    billing: t.fx.emails.billing,
    partner: t.fx.emails.partner,
  };
  for (const a of actors) clients.set(a, await t.signedIn(emails[a]));
}, 60_000);
afterAll(() => t?.close());

/** A new person of the target's roles in Contoso, holding a license of the trial subscription. */
async function newTarget(target: Target) {
  n += 1;
  const { role, adminRoles } = targetRoles[target];
  const [row] = await rows<{ id: string }>(
    t.db,
    sql`with made as (insert into users (org_id, email, name, password_hash, role, admin_roles)
        values (${t.fx.contoso}, ${`target-${n}@contoso.example`}, ${`Target ${n}`}, 'hash-before', ${role}::role, ${adminRoles}::text[]) returning id),
      l as (insert into license_assignments (org_id, subscription_id, user_id) select ${t.fx.contoso}, ${t.fx.contosoTrialSub}, id from made)
      select id from made`,
  );
  return row.id;
}

async function state(id: string) {
  const [row] = await rows<{ name: string; hash: string; disabled: boolean; licenses: number }>(
    t.db,
    sql`select u.name, u.password_hash as hash, u.disabled_at is not null as disabled,
        (select count(*)::int from license_assignments la where la.user_id = u.id) as licenses from users u where u.id = ${id}`,
  );
  return row;
}

function send(actor: Actor, action: Action, id: string) {
  const base = actor === 'partner' ? `/portal/customers/${t.fx.contoso}/users/${id}` : `/users/${id}`;
  const client = clients.get(actor)!;
  switch (action) {
    case 'edit':
      return client.post(base, { name: 'Renamed', email: `renamed-${id.slice(0, 8)}@contoso.example` });
    case 'password':
      return client.post(`${base}/password`, { password: 'a-new-long-password' });
    case 'disable':
      return client.post(`${base}/disable`, {});
    case 'licenses':
      return client.post(`${base}/licenses`, { subscriptionId: t.fx.contosoTrialSub, op: 'remove' });
  }
}

const changed: Record<Action, (before: Awaited<ReturnType<typeof state>>, after: Awaited<ReturnType<typeof state>>) => boolean> = {
  edit: (b, a) => a.name !== b.name,
  password: (b, a) => a.hash !== b.hash && !a.disabled,
  // The password hash stays (its owner is told the account is disabled); sign-in refuses it.
  disable: (b, a) => a.disabled,
  licenses: (b, a) => a.licenses === b.licenses - 1,
};

const cells = actors.flatMap((actor) => targets.flatMap((target) => actions.map((action, i) => ({ actor, target, action, allowed: table[actor][target][i] }))));

describe('admin scopes: actor × target × action', () => {
  it.each(cells)('$actor → $target: $action allowed=$allowed', async ({ actor, target, action, allowed }) => {
    const id = await newTarget(target);
    const before = await state(id);
    const res = await send(actor, action, id);
    const after = await state(id);
    if (allowed) {
      // The password page answers itself (the new password is shown once); every other action redirects.
      expect(res.status).toBe(action === 'password' ? 200 : 303);
      expect(changed[action](before, after)).toBe(true);
    } else {
      expect(res.status).toBe(403);
      expect(after).toEqual(before);
    }
  });

  it('the refusal says why, and the user page offers only what the server accepts', async () => {
    const id = await newTarget('narrow');
    const res = await send('passwordsAdmin', 'password', id);
    expect(res.text).toContain('This person holds an admin role. Only a global admin of the organization can reset their password');
    const page = await clients.get('passwordsAdmin')!.get(`/users/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(`action="/users/${id}/password"`);
    const plain = await newTarget('plain');
    expect((await clients.get('passwordsAdmin')!.get(`/users/${plain}`)).text).toContain(`action="/users/${plain}/password"`);
    const partnerPage = await clients.get('partner')!.get(`/portal/customers/${t.fx.contoso}/users/${id}`, { 'accept-language': 'pl' });
    expect(partnerPage.text).not.toContain('/password"');
    expect(partnerPage.text).not.toContain('/disable"');
    expect(partnerPage.text).toContain('Ta osoba ma rolę administratora.');
    const global = await clients.get('global')!.get(`/users/${id}`);
    for (const a of ['password', 'disable', 'licenses']) expect(global.text).toContain(`action="/users/${id}/${a}"`);
  });
});
