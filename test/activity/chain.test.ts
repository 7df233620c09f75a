import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.ts';
import { rows } from '../../src/db/client.ts';
import { verifyAll } from '../../src/activity/verify.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const chain = (orgId: string) =>
  rows<{ seq: number; hash: string; ok: boolean }>(
    t.db,
    sql`select chain_seq::int as seq, hash, hash = audit_chain_hash(lag(hash) over (order by chain_seq), a) as ok
      from audit_log a where org_id = ${orgId} order by chain_seq`,
  );

describe('the audit hash chain', () => {
  it('chains every row of an organization, the seed’s and a multi-row insert’s, in order from 1', async () => {
    await audit(t.db, ...Array.from({ length: 5 }, (_, i) => ({ orgId: t.fx.contoso, actorUserId: null, actorName: `Bulk ${i}`, action: 'user.signed_in' })));
    const found = await chain(t.fx.contoso);
    expect(found.length).toBeGreaterThanOrEqual(5);
    expect(found.map((r) => r.seq)).toEqual(found.map((_, i) => i + 1));
    expect(found.every((r) => r.ok)).toBe(true);
    expect(found.every((r) => /^[0-9a-f]{64}$/.test(r.hash))).toBe(true);
    const [head] = await rows<{ seq: number; hash: string }>(t.db, sql`select seq::int as seq, hash from audit_chain_heads where org_id = ${t.fx.contoso}`);
    expect(head).toEqual({ seq: found.length, hash: found[found.length - 1].hash });
    expect(await verifyAll(t.db, t.fx.contoso, 4)).toMatchObject({ kind: 'intact', count: found.length });
  });

  it('keeps each organization’s chain when one statement interleaves rows of several', async () => {
    const orgs = [t.fx.contoso, t.fx.fabrikam, null, t.fx.contoso, t.fx.fabrikam, t.fx.contoso];
    await audit(t.db, ...orgs.map((orgId, i) => ({ orgId, actorUserId: null, actorName: `Mixed ${i}`, action: 'user.signed_in' })));
    for (const org of [t.fx.contoso, t.fx.fabrikam]) {
      const found = await chain(org);
      expect(found.map((r) => r.seq)).toEqual(found.map((_, i) => i + 1));
      expect(found.every((r) => r.ok)).toBe(true);
      expect(await verifyAll(t.db, org)).toMatchObject({ kind: 'intact', count: found.length });
    }
  });

  it('serializes parallel writers of one organization on the head: one chain, no fork', async () => {
    const before = (await chain(t.fx.fabrikam)).length;
    // Each writer in its own transaction (its own connection on PostgreSQL), all at once, two rows each.
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        t.db.transaction(async (tx) => {
          await audit(tx, { orgId: t.fx.fabrikam, actorUserId: null, actorName: `Writer ${i}`, action: 'user.signed_in' });
          await audit(tx, { orgId: t.fx.fabrikam, actorUserId: null, actorName: `Writer ${i} again`, action: 'user.signed_in' });
        }),
      ),
    );
    const found = await chain(t.fx.fabrikam);
    expect(found).toHaveLength(before + 24);
    expect(found.map((r) => r.seq)).toEqual(found.map((_, i) => i + 1));
    expect(found.every((r) => r.ok)).toBe(true);
    expect(await verifyAll(t.db, t.fx.fabrikam)).toMatchObject({ kind: 'intact', count: before + 24 });
  });
});
