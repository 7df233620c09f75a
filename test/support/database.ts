import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { migrate, openDatabase, type Database } from '../../src/db/client.ts';

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or, when DATABASE_URL
 * is set (CI's second run), a new database on that PostgreSQL server, dropped afterwards.
 */
export async function openTestDatabase(): Promise<Database & { url?: string }> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const database = await openDatabase({ countQueries: true });
    await migrate(database);
    return database;
  }
  const name = `pd_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolSize: 10, countQueries: true });
  await migrate(database);
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const again = postgres(base, { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}
