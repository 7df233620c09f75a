/** Sign-in state: sessions, e-mail verification links, rate-limit counters. */
import { boolean, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns.ts';
import { users } from './organizations.ts';

/** Lucia-style sessions: the id is the SHA-256 of the cookie token, never the token itself. */
export const sessions = pgTable(
  'sessions',
  {
    id: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: ts().notNull(),
    createdAt: createdAt(),
    /**
     * The Lucia guide's two-factor flag: false after the password alone, true once the second step is done
     * (or when the person has no two-step sign-in to do). A session is "full" only when the second step is.
     */
    twoStepVerified: boolean().notNull().default(false),
    /** Shown in Preferences → Signed-in sessions and used there to sign one out (never the id, a token's hash). */
    publicId: uuid().notNull().defaultRandom().unique(),
    /** Updated at most once an hour (a second statement, like the renewal). */
    lastSeenAt: ts().notNull().defaultNow(),
    /** The browser's User-Agent at sign-in (first 300 characters), described in words on the sessions list. */
    userAgent: text().notNull().default(''),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** E-mail verification links: only the SHA-256 of the token; single use (deleted when followed). */
export const emailVerifications = pgTable(
  'email_verifications',
  {
    tokenHash: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: ts().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('email_verifications_user_idx').on(t.userId)],
);

/** Fixed-window counters shared by every server instance (sign-in, link redemption). */
export const rateLimits = pgTable('rate_limits', {
  key: text().primaryKey(),
  windowStart: ts().notNull(),
  count: integer().notNull(),
});
