import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import type { AppEnv } from '../context.ts';

export const healthRoutes = new Hono<AppEnv>()
  /** The process answers; the database is not asked. */
  .get('/healthz', (c) => c.text('ok'))
  /** One round trip to the database. */
  .get('/readyz', async (c) => {
    try {
      await c.get('deps').db.execute(sql`select 1`);
      return c.text('ready');
    } catch {
      return c.text('database unreachable', 503);
    }
  });
