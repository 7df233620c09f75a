import { serve } from '@hono/node-server';
import { createApp } from './app.tsx';
import { loadAssets } from './assets/manifest.ts';
import { copyEmbeddedTemplate } from './assets/embedded-template.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { migrate, openDatabase } from './db/client.ts';
import { DEMO_PASSWORD_HASH, seedDemo } from './seed/seed.ts';
import { parseEnv } from './env.ts';
import { expiredSessionsJob } from './auth/cleanup.ts';
import { logError } from './http/errors.ts';
import { serverTimeouts } from './health/slow-clients.ts';
import { registerPeriodicJob, startMailWorker } from './mail/worker.ts';
import { delegatedAdminExpiryJob } from './relationships/expiry.ts';
import { alertsJob } from './alerts/alerts.ts';
import { accessReviewsJob } from './reviews/reviews.job.ts';
import { elevationEndJob } from './elevation/elevation.queries.ts';

/** Every background job, run by the mail worker beside outbox delivery on every instance (each is idempotent). */
const backgroundJobs = [expiredSessionsJob, delegatedAdminExpiryJob];

/** Reads the environment, opens and migrates the database, seeds demo data when empty, listens. */
async function main() {
  // A promise nobody awaited that fails (e.g. a query after the database went away) is logged, safely,
  // instead of ending the process: every request path already awaits its own work.
  process.on('unhandledRejection', (e) => logError('unhandled rejection', e));
  let env;
  try {
    env = parseEnv(process.env);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
  const assets = loadAssets();
  const options = { url: env.DATABASE_URL, dataDir: env.DATA_DIR, poolSize: env.DATABASE_POOL_SIZE };
  const created = !env.DATABASE_URL && !env.DATA_DIR.includes('://') && !existsSync(join(env.DATA_DIR, 'PG_VERSION'));
  // A new embedded database starts as a copy of the empty, migrated cluster `npm run build` made
  // (decision 104) and is then opened as any later start opens its data: no initdb runs in this process.
  // Without that cluster (`npm run dev`, or another PGlite version), PGlite's initdb runs in WebAssembly
  // instances of its own, which the instance keeps (some 370 MB): once created, migrated and seeded, that
  // database is closed and opened again as a later start opens it (decision 084).
  const initdb = created && !copyEmbeddedTemplate(env.DATA_DIR);
  let database = await openDatabase(options);
  await migrate(database);
  const demo = await seedDemo(database.db, DEMO_PASSWORD_HASH);
  if (initdb) {
    await database.close();
    database = await openDatabase(options);
  }
  const app = createApp({ db: database.db, env, assets });
  const server = serve({ fetch: app.fetch, port: env.PORT, serverOptions: serverTimeouts }, (info) => {
    console.log(`partnerdesk on ${env.PUBLIC_URL} (port ${info.port}, ${database.kind === 'pglite' ? `embedded database in ${env.DATA_DIR}` : 'PostgreSQL'})`);
    if (demo) {
      console.log(`Demo sign-ins (password for all: ${demo.password}):`);
      for (const u of demo.users) console.log(`  ${u.email.padEnd(32)} ${u.description}`);
    }
  });
  for (const job of backgroundJobs) registerPeriodicJob(job);
  registerPeriodicJob(alertsJob(env.PUBLIC_URL));
  registerPeriodicJob(accessReviewsJob(env.PUBLIC_URL));
  registerPeriodicJob(elevationEndJob(env.PUBLIC_URL));
  const stopMailWorker = startMailWorker({ db: database.db, env });
  const stop = () => {
    server.close();
    void stopMailWorker()
      .then(() => database.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
