import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../src/db/client.ts';
import * as s from '../../src/db/schema.ts';

/** The newest audit row recorded with `action` (what the change under test just wrote). */
export async function newestAudit(db: Db, action: string) {
  const [row] = await db.select().from(s.auditLog).where(eq(s.auditLog.action, action)).orderBy(desc(s.auditLog.id)).limit(1);
  if (!row) throw new Error(`no audit row ${action}`);
  return row;
}
