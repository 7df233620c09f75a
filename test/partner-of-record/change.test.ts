import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import * as s from '../../src/db/schema.ts';
import { createTestApp, type Client, type TestApp } from '../support/app.ts';
import { advisor, auditRows, mails, snapshot } from './snapshot.ts';

let t: TestApp;
let admin: Client;
const partial = { 'hx-request': 'true', 'hx-request-type': 'partial' };

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signedIn(t.fx.emails.global);
});
afterAll(() => t?.close());

async function partnerOf(id: string) {
  const [r] = await rows<{ name: string | null; version: number }>(
    t.db,
    sql`select p.name, s.version from subscriptions s left join partners p on p.org_id = s.partner_org_id where s.id = ${id}`,
  );
  return r;
}
async function setPartner(id: string, partnerId: string | null) {
  await t.db.execute(sql`update subscriptions set partner_org_id = (select org_id from partners where partner_id = ${partnerId}) where id = ${id}`);
}

describe('partner information of a subscription', () => {
  beforeEach(async () => {
    await setPartner(t.fx.contosoTrialSub, null);
  });

  it('adds a partner by Partner ID: audited, both partners e-mailed, advisor relationship started', async () => {
    const outboxBefore = (await mails(t.db)).length;
    const res = await admin.post(`/subscriptions/${t.fx.contosoTrialSub}/partner`, {
      partnerId: '1000549',
      action: 'add',
      confirm: '1',
      version: String((await partnerOf(t.fx.contosoTrialSub)).version),
    });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/subscriptions/${t.fx.contosoTrialSub}`);
    const page = await admin.get(res.location!);
    expect(page.text).toContain('The partner of record has been saved.');
    expect(page.text).toContain('Wide World Importers IT');
    expect(page.queries).toBeLessThanOrEqual(3);
    const audit = (await auditRows(t.db, 'subscription.partner_of_record.added')).filter((a) => a.targetId === t.fx.contosoTrialSub);
    expect(audit.at(-1)?.after.partner?.name).toBe('Wide World Importers IT');
    const sent = (await mails(t.db)).slice(outboxBefore);
    expect(sent.map((m) => m.toAddress)).toEqual(['hello@wide-world-importers-it.example']);
    expect(sent[0].body).toContain('Business Basic');
    const wideWorld = (await t.db.select({ orgId: s.partners.orgId }).from(s.partners).where(eq(s.partners.partnerId, '1000549')))[0].orgId;
    expect((await advisor(t.db, t.fx.contoso, wideWorld)).map((r) => r.status)).toEqual(['active']);
  });

  it('a change is a removal and an addition: the old partner and the new one are both e-mailed, and the old advisor relationship ends with its last subscription', async () => {
    await admin.post(`/subscriptions/${t.fx.contosoTrialSub}/partner`, { partnerId: '1000549', action: 'add', confirm: '1' });
    const before = (await mails(t.db)).length;
    const res = await admin.post(`/subscriptions/${t.fx.contosoTrialSub}/partner`, { partnerId: '1001097', action: 'add', confirm: '1' });
    expect(res.status).toBe(303);
    expect((await partnerOf(t.fx.contosoTrialSub)).name).toBe('Lucerne Digital');
    const sent = (await mails(t.db)).slice(before);
    expect(sent.map((m) => m.toAddress).sort()).toEqual(['hello@lucerne-digital.example', 'hello@wide-world-importers-it.example']);
    const audit = await auditRows(t.db, 'subscription.partner_of_record.changed');
    expect(audit.at(-1)?.before.partner?.name).toBe('Wide World Importers IT');
    expect(audit.at(-1)?.after.partner?.name).toBe('Lucerne Digital');
    const wideWorld = (await t.db.select({ orgId: s.partners.orgId }).from(s.partners).where(eq(s.partners.partnerId, '1000549')))[0].orgId;
    expect((await advisor(t.db, t.fx.contoso, wideWorld)).at(-1)?.status).toBe('ended');
  });

  it('removes a partner of record that is not the reseller, ending its advisor relationship', async () => {
    const [e3] = await rows<{ id: string; version: number }>(
      t.db,
      sql`select id, version from subscriptions where org_id = ${t.fx.contoso} and product_id = 'enterprise-e3'`,
    );
    const res = await admin.post(`/subscriptions/${e3.id}/partner`, { action: 'remove', version: String(e3.version) });
    expect(res.status).toBe(303);
    expect((await admin.get(res.location!)).text).toContain('The partner of record has been removed.');
    expect((await partnerOf(e3.id)).name).toBeNull();
    expect((await advisor(t.db, t.fx.contoso, t.fx.adatum)).at(-1)?.status).toBe('ended');
    expect((await mails(t.db)).at(-1)?.toAddress).toBe('hello@adatum-consulting.example');
  });

  const refusals: [string, Record<string, string>, string][] = [
    ['a Partner ID with letters', { partnerId: '10abc', action: 'add' }, 'A Partner ID has digits only'],
    ['an unknown Partner ID', { partnerId: '999999', action: 'add', confirm: '1' }, 'No partner has this Partner ID.'],
    ['a partner that does not serve the country/region', { partnerId: '1000138', action: 'add', confirm: '1' }, 'Adatum Consulting does not serve Poland.'],
    [
      'a partner that is not a partner for the product',
      { partnerId: '1001645', action: 'add', confirm: '1' },
      'Coho Networks is not a partner for Business Basic.',
    ],
    ['removing when there is no partner', { action: 'remove' }, 'This subscription has no partner of record to remove.'],
  ];
  for (const [what, form, message] of refusals) {
    it(`refuses ${what} with a clear message, keeps what was typed and changes nothing`, async () => {
      const before = await snapshot(t.db);
      const res = await admin.post(`/subscriptions/${t.fx.contosoTrialSub}/partner`, form);
      expect(res.status).toBe(422);
      expect(res.text).toContain(message);
      if (form.partnerId) expect(res.text).toContain(`value="${form.partnerId}"`);
      expect(await snapshot(t.db)).toBe(before);
    });
  }

  it('refuses a stale form and changes nothing', async () => {
    const { version } = await partnerOf(t.fx.contosoTrialSub);
    await admin.post(`/subscriptions/${t.fx.contosoTrialSub}/partner`, { partnerId: '1000549', action: 'add', confirm: '1', version: String(version) });
    const before = await snapshot(t.db);
    const res = await admin.post(`/subscriptions/${t.fx.contosoTrialSub}/partner`, {
      partnerId: '1001097',
      action: 'add',
      confirm: '1',
      version: String(version),
    });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Someone else changed this subscription meanwhile.');
    expect(await snapshot(t.db)).toBe(before);
  });

  it('a typed Partner ID shows the partner by name to confirm first, with and without JavaScript, and changes nothing until then', async () => {
    const before = await snapshot(t.db);
    const plain = await admin.post(`/subscriptions/${t.fx.contosoTrialSub}/partner`, { partnerId: '1000549', action: 'add' });
    expect(plain.status).toBe(303);
    expect(plain.location).toBe(`/subscriptions/${t.fx.contosoTrialSub}?partnerId=1000549`);
    const page = await admin.get(plain.location!);
    expect(page.text).toContain('Add this partner?');
    expect(page.text).toContain('<strong>Wide World Importers IT</strong>');
    expect(page.text).toContain('<input type="hidden" name="confirm" value="1"/>');
    expect(page.queries).toBeLessThanOrEqual(3);
    const unknown = await admin.get(`/subscriptions/${t.fx.contosoTrialSub}?partnerId=999999`);
    expect(unknown.text).toContain('No partner has this Partner ID.');
    const swapped = await admin.post(`/subscriptions/${t.fx.contosoTrialSub}/partner`, { partnerId: '1000549', action: 'add' }, partial);
    expect(swapped.status).toBe(200);
    expect(swapped.text.startsWith('<section id="partner-info"')).toBe(true);
    expect(swapped.text).toContain('Add this partner?');
    expect(await snapshot(t.db)).toBe(before);
  });

  it('an htmx request gets only the Partner information section back', async () => {
    const res = await admin.post(`/subscriptions/${t.fx.contosoTrialSub}/partner`, { partnerId: '1000549', action: 'add', confirm: '1' }, partial);
    expect(res.status).toBe(200);
    expect(res.text.startsWith('<section id="partner-info"')).toBe(true);
    expect(res.text).not.toContain('<html');
    expect(res.text).toContain('The partner of record has been saved.');
    const refused = await admin.post(`/subscriptions/${t.fx.contosoTrialSub}/partner`, { partnerId: '999999', action: 'add', confirm: '1' }, partial);
    expect(refused.status).toBe(422);
    expect(refused.text.startsWith('<section id="partner-info"')).toBe(true);
    expect(refused.text).toContain('No partner has this Partner ID.');
  });

  it('another organization’s subscription is a 404, and a partner admin gets 403', async () => {
    expect((await admin.get(`/subscriptions/${t.fx.fabrikamSub}`)).status).toBe(404);
    expect((await admin.post(`/subscriptions/${t.fx.fabrikamSub}/partner`, { partnerId: '1000001', action: 'add', confirm: '1' })).status).toBe(404);
    expect((await admin.get('/subscriptions/not-a-uuid')).status).toBe(404);
    expect((await (await t.signedIn(t.fx.emails.partner)).get(`/subscriptions/${t.fx.contosoTrialSub}`)).status).toBe(403);
  });
});

describe('changing the partner of several subscriptions at once', () => {
  it('changes all of them in one action, each change audited', async () => {
    await setPartner(t.fx.contosoTrialSub, null);
    const [e3] = await rows<{ id: string }>(t.db, sql`select id from subscriptions where org_id = ${t.fx.contoso} and product_id = 'enterprise-e3'`);
    await setPartner(e3.id, '1000138');
    const before =
      (await auditRows(t.db, 'subscription.partner_of_record.added')).length + (await auditRows(t.db, 'subscription.partner_of_record.changed')).length;
    const res = await admin.post('/subscriptions/partner', { ids: [t.fx.contosoTrialSub, e3.id], partnerId: '1000549', action: 'add' });
    expect(res.status).toBe(303);
    expect((await admin.get(res.location!)).text).toContain('The partner of record of the selected subscriptions has been changed.');
    expect((await partnerOf(t.fx.contosoTrialSub)).name).toBe('Wide World Importers IT');
    expect((await partnerOf(e3.id)).name).toBe('Wide World Importers IT');
    const after =
      (await auditRows(t.db, 'subscription.partner_of_record.added')).length + (await auditRows(t.db, 'subscription.partner_of_record.changed')).length;
    expect(after - before).toBe(2);
  });

  it('removes the partner of three subscriptions at once (more ids than a power of two: the spare slot matches nothing)', async () => {
    const three = await rows<{ id: string }>(
      t.db,
      sql`insert into subscriptions (org_id, product_id, quantity, status, partner_org_id)
        select ${t.fx.contoso}, 'business-basic', 1, 'active', (select org_id from partners where partner_id = '1000138') from generate_series(1, 3)
        returning id`,
    );
    const before = (await auditRows(t.db, 'subscription.partner_of_record.removed')).length;
    const res = await admin.post('/subscriptions/partner', { ids: three.map((s) => s.id), action: 'remove' });
    expect(res.status).toBe(303);
    for (const { id } of three) expect((await partnerOf(id)).name).toBeNull();
    expect((await auditRows(t.db, 'subscription.partner_of_record.removed')).length - before).toBe(3);
    await t.db.execute(
      sql`delete from subscriptions where id in (${sql.join(
        three.map((s) => sql`${s.id}`),
        sql`, `,
      )})`,
    );
  });

  it('is all or nothing: one subscription the partner may not take refuses the whole change', async () => {
    const before = await snapshot(t.db);
    const res = await admin.post('/subscriptions/partner', { ids: [t.fx.contosoTrialSub, t.fx.contosoResoldSub], partnerId: '1001097', action: 'add' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Lucerne Digital is not a partner for Business Standard.');
    expect(res.text).toMatch(new RegExp(`value="${t.fx.contosoTrialSub}" checked`));
    expect(await snapshot(t.db)).toBe(before);
  });

  it('asks to select something, refuses another organization’s id with 404, and answers htmx with the list only', async () => {
    expect((await admin.post('/subscriptions/partner', { partnerId: '1000549', action: 'add', confirm: '1' })).text).toContain(
      'Select at least one subscription.',
    );
    const before = await snapshot(t.db);
    expect((await admin.post('/subscriptions/partner', { ids: [t.fx.contosoTrialSub, t.fx.fabrikamSub], action: 'remove' })).status).toBe(404);
    expect(await snapshot(t.db)).toBe(before);
    const res = await admin.post('/subscriptions/partner', { ids: [t.fx.contosoTrialSub], action: 'remove' }, partial);
    expect(res.status).toBe(200);
    expect(res.text.startsWith('<section id="subscription-list"')).toBe(true);
  });
});

describe('a change that fails part-way', () => {
  it('writes nothing: the subscription, its audit row and its mails stay as they were when the advisor sync fails', async () => {
    // The change's write and the advisor sync go to the server together (decision 096): make the sync, the
    // second of the two, fail after the write has run, by refusing any change to a partner relationship.
    const wideWorld = (await t.db.select({ orgId: s.partners.orgId }).from(s.partners).where(eq(s.partners.partnerId, '1000549')))[0].orgId;
    await t.db.execute(sql`update subscriptions set partner_org_id = null where org_id = ${t.fx.contoso} and partner_org_id = ${wideWorld}`);
    await setPartner(t.fx.contosoTrialSub, null);
    expect((await admin.post(`/subscriptions/${t.fx.contosoTrialSub}/partner`, { partnerId: '1000549', action: 'add', confirm: '1' })).status).toBe(303);
    expect((await advisor(t.db, t.fx.contoso, wideWorld)).at(-1)?.status).toBe('active');
    await t.db.execute(
      sql.raw(`create function refuse_relationship_change() returns trigger language plpgsql as $$
      begin raise exception 'relationship changes refused by the test'; end $$`),
    );
    await t.db.execute(
      sql.raw(`create trigger refuse_relationship_change before update on partner_relationships
      for each row execute function refuse_relationship_change()`),
    );
    try {
      const before = await snapshot(t.db);
      const res = await admin.post(`/subscriptions/${t.fx.contosoTrialSub}/partner`, { action: 'remove' });
      expect(res.status).toBe(500);
      expect(res.text).toContain('Something went wrong');
      expect(await snapshot(t.db)).toBe(before);
      expect((await partnerOf(t.fx.contosoTrialSub)).name).toBe('Wide World Importers IT');
    } finally {
      await t.db.execute(sql.raw('drop trigger refuse_relationship_change on partner_relationships'));
      await t.db.execute(sql.raw('drop function refuse_relationship_change()'));
    }
    // And the same change goes through once the sync may run.
    expect((await admin.post(`/subscriptions/${t.fx.contosoTrialSub}/partner`, { action: 'remove' })).status).toBe(303);
    expect((await advisor(t.db, t.fx.contoso, wideWorld)).at(-1)?.status).toBe('ended');
  });
});

describe.runIf(process.env.DATABASE_URL)('two admins at the same moment (PostgreSQL)', () => {
  it('end with one consistent result and two audit rows, never an error page', async () => {
    const billing = await t.signedIn(t.fx.emails.billing);
    const changes = async () => (await auditRows(t.db, 'subscription.partner_of_record.%')).filter((r) => r.targetId === t.fx.contosoTrialSub);
    for (let round = 0; round < 5; round++) {
      await setPartner(t.fx.contosoTrialSub, null);
      const before = (await changes()).length;
      const [a, b] = await Promise.all([
        admin.post(`/subscriptions/${t.fx.contosoTrialSub}/partner`, { partnerId: '1000549', action: 'add', confirm: '1' }),
        billing.post(`/subscriptions/${t.fx.contosoTrialSub}/partner`, { partnerId: '1001097', action: 'add', confirm: '1' }),
      ]);
      expect([a.status, b.status]).toEqual([303, 303]);
      const audit = (await changes()).slice(before).sort((x, y) => x.after.version - y.after.version);
      expect(audit).toHaveLength(2);
      // The second change starts from the first one's result: no lost update.
      expect(audit[0].before.partner).toBeNull();
      expect(audit[1].before.version).toBe(audit[0].after.version);
      expect(audit[1].before.partner?.name).toBe(audit[0].after.partner?.name);
      const final = await partnerOf(t.fx.contosoTrialSub);
      expect(final.version).toBe(audit[1].after.version);
      expect(final.name).toBe(audit[1].after.partner?.name);
    }
  });
});
