/**
 * Elevation under concurrency (issue 24 §2), on PostgreSQL only: two approvals at once have one winner,
 * and an approval racing the end of the relationship has one outcome, never power after the end.
 * An activation racing a suspension likewise: the activation share-locks the relationship row.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { rows } from '../../src/db/client.ts';
import * as s from '../../src/db/schema.ts';
import { decideElevation, requestElevation } from '../../src/elevation/elevation.queries.ts';
import { endRelationship } from '../../src/relationships/relationships.queries.ts';
import { endMail } from '../../src/relationships/remove.views.tsx';
import { setSuspended } from '../../src/relationships/suspend.queries.ts';
import { suspendMail } from '../../src/relationships/suspend.views.tsx';
import { grant } from '../../src/authorization/scope.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

const onPostgres = !!process.env.DATABASE_URL;

describe.skipIf(!onPostgres)('elevations under concurrency', () => {
  let t: TestApp;
  let partnerUser: { id: string; name: string };
  let admins: { id: string; name: string }[];
  const now = new Date('2026-12-07T10:00:00Z');
  beforeAll(async () => {
    t = await createTestApp();
    const [p] = await t.db.select({ id: s.users.id, name: s.users.name }).from(s.users).where(eq(s.users.email, t.fx.emails.partner));
    partnerUser = p;
    const [a] = await t.db.select({ id: s.users.id, name: s.users.name }).from(s.users).where(eq(s.users.email, t.fx.emails.global));
    const [b] = await t.db.select({ id: s.users.id, name: s.users.name }).from(s.users).where(eq(s.users.email, t.fx.emails.billing));
    admins = [a, b];
  }, 60_000);
  afterAll(() => t?.close());

  /** A fresh active delegated admin of Northwind for Contoso with Passwords eligible, and a pending request on it. */
  async function pending() {
    await t.db.execute(sql`update partner_relationships set status = 'ended', ended_at = now()
      where org_id = ${t.fx.contoso} and partner_org_id = ${t.fx.northwind} and type = 'delegated_admin' and status = 'active'`);
    const [rel] = await rows<{ id: string }>(
      t.db,
      sql`insert into partner_relationships (org_id, partner_org_id, type, roles, eligible, ends_at)
        values (${t.fx.contoso}, ${t.fx.northwind}, 'delegated_admin', '{users}', '{"passwords": 2}', '2027-06-01') returning id`,
    );
    const id = randomUUID();
    const asked = await requestElevation(t.db, {
      id,
      customerId: t.fx.contoso,
      partnerOrgId: t.fx.northwind,
      user: partnerUser,
      role: 'passwords',
      minutes: 120,
      reason: 'race',
      ticket: null,
      now,
      publicUrl: 'http://localhost',
    });
    expect(asked.outcome).toBe('pending');
    return { relId: rel.id, id };
  }

  const decide = (id: string, approve: boolean, actor: { id: string; name: string }) =>
    decideElevation(t.db, { id, orgId: t.fx.contoso, approve, actor, now, publicUrl: 'http://localhost' });

  it('two decisions at once: the first wins, the second is told it was decided', async () => {
    for (let round = 0; round < 10; round++) {
      const { id } = await pending();
      const results = await Promise.all([decide(id, true, admins[0]), decide(id, false, admins[1])]);
      expect(results.map((r) => r.outcome).sort(), `round ${round}`).toEqual(['decided', 'done']);
      const [e] = await t.db.select().from(s.elevations).where(eq(s.elevations.id, id));
      const winner = results[0].outcome === 'done' ? { status: 'approved', by: admins[0].name } : { status: 'denied', by: admins[1].name };
      expect(e.status).toBe(winner.status);
      expect(e.decidedByName).toBe(winner.by);
      const [audits] = await rows<{ n: number }>(
        t.db,
        sql`select count(*)::int as n from audit_log where target_id = ${id} and action in ('relationship.elevation.approved', 'relationship.elevation.denied')`,
      );
      expect(audits.n).toBe(1);
    }
  });

  it('an approval racing the end of the relationship: either it went first and the end ends its power, or it is refused', async () => {
    const seen = new Set<string>();
    for (let round = 0; round < 10; round++) {
      const { relId, id } = await pending();
      const [approval, ended] = await Promise.all([
        decide(id, true, admins[0]),
        endRelationship(t.db, {
          side: { orgId: t.fx.contoso },
          id: relId,
          allowedTypes: ['delegated_admin'],
          actor: admins[1],
          by: 'customer',
          now,
          mail: endMail(),
        }),
      ]);
      expect(ended.outcome).toBe('ended');
      expect(['done', 'relationshipGone', 'decided']).toContain(approval.outcome);
      seen.add(approval.outcome);
      const [e] = await t.db.select().from(s.elevations).where(eq(s.elevations.id, id));
      expect(e.status).toBe(approval.outcome === 'done' ? 'approved' : 'pending');
      // Whatever the order, the partner holds nothing now: the grant reads the relationship and the elevation together.
      const scope = { orgId: t.fx.contoso, partner: { orgId: t.fx.northwind, name: 'Northwind Traders' }, actor: partnerUser, ownPermissions: [] };
      const held = await rows<{ roles: string[] }>(t.db, sql`with ${grant(scope, new Date(now.getTime() + 60_000), ['passwords'])} select g.roles from g`);
      expect(held, `round ${round}`).toEqual([]);
    }
    expect(seen.size).toBeGreaterThan(0);
  });

  it('an activation racing a suspension: either it is active before the suspension (and held by nothing after), or refused', async () => {
    const seen = new Set<string>();
    for (let round = 0; round < 10; round++) {
      const { relId } = await pending();
      await t.db.execute(sql`update partner_relationships set approval_required = false, eligible = '{"passwords": 2, "domains": 2}' where id = ${relId}`);
      const [activation] = await Promise.all([
        requestElevation(t.db, {
          id: randomUUID(),
          customerId: t.fx.contoso,
          partnerOrgId: t.fx.northwind,
          user: partnerUser,
          role: 'domains',
          minutes: 60,
          reason: 'race',
          ticket: null,
          now,
          publicUrl: 'http://localhost',
        }),
        setSuspended(t.db, { orgId: t.fx.contoso, partnerOrgId: t.fx.northwind, suspend: true, actor: admins[0], now, mail: suspendMail(true) }),
      ]);
      expect(['active', 'noRelationship'], `round ${round}`).toContain(activation.outcome);
      seen.add(activation.outcome);
      const [r] = await t.db.select().from(s.partnerRelationships).where(eq(s.partnerRelationships.id, relId));
      expect(r.suspendedAt).not.toBeNull();
      const scope = { orgId: t.fx.contoso, partner: { orgId: t.fx.northwind, name: 'Northwind Traders' }, actor: partnerUser, ownPermissions: [] };
      // Suspended: the partner holds nothing, standing or elevated.
      expect(await rows(t.db, sql`with ${grant(scope, now, ['users', 'domains'])} select g.roles from g`)).toEqual([]);
    }
    expect(seen.size).toBeGreaterThan(0);
  });
});
