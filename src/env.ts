import { z } from 'zod';

/** The one reader of process.env: parsed once, a bad value stops start-up naming it. */
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  /** Connections per instance. postgres.js pipelines queries on each, so a few serve many requests. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(4),
  DATA_DIR: z.string().min(1).default('./data'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  PUBLIC_URL: z.url().optional(),
  /** Every organization's initial domain is `<name>.<DOMAIN_SUFFIX>`. */
  DOMAIN_SUFFIX: z
    .string()
    .regex(/^(?=.{1,200}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/, 'must be a lowercase domain name')
    .default('partnerdesk.local'),
  /** Comma-separated `ip` or `ip:port` DNS servers for domain verification; unset = the system resolver. */
  DNS_SERVERS: z
    .string()
    .regex(/^[0-9a-fA-F:.[\]]+(,[0-9a-fA-F:.[\]]+)*$/, 'must be comma-separated IP addresses, with optional :port')
    .optional(),
  /** Activity log → Verify: entries checked per request (a statement); the page goes on from the last. */
  VERIFY_PAGE_ROWS: z.coerce.number().int().min(2).max(1_000_000).default(50_000),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
});

export type Env = z.infer<typeof schema> & { PUBLIC_URL: string };

export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`Invalid environment variable ${issue.path.join('.')}: ${issue.message}`);
  }
  const env = result.data;
  return { ...env, PUBLIC_URL: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, '') };
}
