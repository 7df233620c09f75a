import { hash, verify, type Options } from '@node-rs/argon2';

/** argon2id with OWASP's minimum parameters (19 MiB, 2 passes). */
let options: Options = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string) => hash(password, options);

/** A hash of nothing in particular: verified when the account does not exist, so timing tells nothing. */
let decoy: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) {
    await verify(await (decoy ??= hashPassword('decoy-password')), password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}

/**
 * For the test harness only (test/support/setup.ts): argon2id at its lowest cost, so suites that sign in
 * thousands of times (fuzzing, rate limits) spend their time on what they test. Hashes stay argon2id and
 * carry their own parameters, so verification is unchanged; production never calls this.
 */
export function hashCheaplyForTests(): void {
  options = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
  decoy = undefined;
}
