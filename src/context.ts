import type { Db } from './db/client.ts';
import type { Organization, User } from './db/schema.ts';
import type { Env } from './env.ts';
import type { I18n } from './i18n/index.ts';
import type { Locale } from './i18n/locales.ts';
import type { Assets } from './assets/manifest.ts';

export interface Deps {
  db: Db;
  env: Env;
  assets: Assets;
  /** Clock, replaceable in tests. */
  now?: () => Date;
}

export interface Auth {
  sessionId: string;
  /** `locale`: the stored language (null: never chosen); `timeZone`: the stored zone, else the organization country's. */
  user: Pick<User, 'id' | 'orgId' | 'email' | 'name' | 'role' | 'view' | 'isBillingOwner' | 'emailVerifiedAt' | 'adminRoles'> & {
    locale: Locale | null;
    timeZone: string;
  };
  org: Pick<Organization, 'id' | 'kind' | 'name' | 'country'>;
  /**
   * Two-step sign-in (src/two-step/): `on`, the person has it set up; `verified`, this session passed the
   * second step; `required`, the organization requires it of its admins; `sessionPublicId`, this session on
   * the sessions list.
   */
  twoStep: { on: boolean; verified: boolean; required: boolean; sessionPublicId: string };
}

export type AppEnv = {
  Variables: {
    deps: Deps;
    auth: Auth | null;
    i18n: I18n;
    csrf: string;
    /** A message key set by the previous request's redirect. */
    flash: string | null;
    /** The route's read, done with the session lookup (auth/session-read.ts). */
    preread: { plan: unknown; planned: unknown; read: unknown } | undefined;
  };
};

declare module 'hono' {
  interface ContextRenderer {
    (content: string | Promise<string>, props: { title: string }): Response | Promise<Response>;
  }
}
