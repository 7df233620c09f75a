/** Two-step sign-in: the authenticator app's key, recovery codes, passkeys and their challenges (docs/decisions/106). */
import { bigint, boolean, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns.ts';
import { organizations, users } from './organizations.ts';

/**
 * A person's authenticator app (TOTP, RFC 6238). A row exists only once the person has entered a current
 * code: two-step sign-in is on exactly when the row exists. `lastTimeStep`: the 30-second step of the
 * last code accepted, so the same code (or an older one) is never accepted twice.
 */
export const twoStep = pgTable('two_step', {
  userId: uuid()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** The shared secret, 20 bytes, hex: the app needs it to compute the codes (it cannot be a hash). */
  totpKey: text().notNull(),
  lastTimeStep: bigint({ mode: 'number' }),
  enabledAt: createdAt(),
});

/** Ten single-use recovery codes per person: only SHA-256 of each; a new set replaces the old. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text().notNull(),
    usedAt: ts(),
    createdAt: createdAt(),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);

/** Passkeys (WebAuthn credentials) a person registered, with the name they gave each. */
export const passkeys = pgTable(
  'passkeys',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The credential id, base64url, as the authenticator made it. */
    credentialId: text().notNull().unique(),
    name: text().notNull(),
    /** -7 (ES256) or -257 (RS256). */
    algorithm: integer().notNull(),
    /** SEC1 uncompressed point (ES256) or PKCS#1 key (RS256), hex. */
    publicKey: text().notNull(),
    createdAt: createdAt(),
    lastUsedAt: ts(),
  },
  (t) => [index('passkeys_user_idx').on(t.userId, t.createdAt)],
);

/** A WebAuthn challenge, one per session at a time, for a few minutes (only its SHA-256). */
export const webauthnChallenges = pgTable('webauthn_challenges', {
  sessionId: text().primaryKey(),
  challengeHash: text().notNull(),
  expiresAt: ts().notNull(),
});

/** An organization's sign-in policy: its admins must have two-step sign-in on (set by a global admin). */
export const signInPolicies = pgTable('sign_in_policies', {
  orgId: uuid()
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  requireTwoStepForAdmins: boolean().notNull().default(false),
  updatedAt: createdAt(),
});
