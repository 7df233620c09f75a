/**
 * Verify over a long chain (issue 25 §3): 1,000,000 audit rows of one organization, written through the
 * audit writer (and so chained by the trigger) in statements of 100,000, then checked page by page as
 * the Verify page does. A benchmark, not a test: `npx tsx test/bench/verify-chain.ts` with DATABASE_URL
 * set to a PostgreSQL server (a database of its own is created and dropped). ROWS=… to change the size.
 */
import { sql } from 'drizzle-orm';
import { auditInsert } from '../../src/audit/audit.ts';
import { verifyAll } from '../../src/activity/verify.ts';
import { rows } from '../../src/db/client.ts';
import { openTestDatabase } from '../support/database.ts';

const ROWS = Number(process.env.ROWS ?? 1_000_000);
const BATCH = 100_000;
if (!process.env.DATABASE_URL) throw new Error('Set DATABASE_URL to a PostgreSQL server.');

const database = await openTestDatabase();
const { db } = database;
try {
  const [{ id: orgId }] = await rows<{ id: string }>(
    db,
    sql`insert into organizations (kind, name, country) values ('customer', 'Verify Bench', 'PL') returning id`,
  );
  let started = performance.now();
  for (let done = 0; done < ROWS; done += BATCH) {
    const n = Math.min(BATCH, ROWS - done);
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local statement_timeout = 0`);
      await tx.execute(sql`with g as (select k from generate_series(1, ${n}::int) k)
      ${auditInsert(
        {
          orgId,
          actorName: sql`'Agent ' || g.k`,
          action: 'license.assigned',
          targetType: 'subscription',
          targetId: sql`'sub-' || g.k`,
          before: sql`json_build_object('quantity', g.k % 50)`,
          after: sql`json_build_object('quantity', 1 + g.k % 50)`,
        },
        sql`g order by g.k`,
      )}`);
    });
  }
  console.log(`wrote ${ROWS.toLocaleString('en')} chained rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await db.execute(sql`analyze audit_log`);
  started = performance.now();
  const v = await verifyAll(db, orgId);
  const seconds = (performance.now() - started) / 1000;
  console.log(`verify: ${JSON.stringify({ kind: v.kind, ...(v.kind === 'intact' ? { count: v.count } : {}) })} in ${seconds.toFixed(1)} s`);
  if (v.kind !== 'intact' || v.count !== ROWS || seconds >= 60) process.exitCode = 1;
} finally {
  await database.close();
}
