/**
 * The pure rules of two-step sign-in: the authenticator app's codes (TOTP, RFC 6238: HOTP over 30-second
 * steps, 6 digits, SHA-1, as every authenticator app computes them, from @oslojs/otp), what a typed code is,
 * and recovery codes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp';
import { decodeHex, encodeBase32UpperCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

export const PERIOD = 30;
export const DIGITS = 6;
/** A code of the step before or after the current one is still accepted (a clock off by up to 30 s). */
export const WINDOW = 1;
export const RECOVERY_CODES = 10;

export const newTotpKey = (): Uint8Array => new Uint8Array(randomBytes(20));
export const keyHex = (key: Uint8Array) => encodeHexLowerCase(key);
export function keyFromHex(hex: string): Uint8Array | null {
  if (!/^[0-9a-f]{40}$/.test(hex)) return null;
  return decodeHex(hex);
}

/** The secret as people type it into an app: base32 in groups of four. */
export const keyText = (key: Uint8Array) => encodeBase32UpperCaseNoPadding(key).replace(/(.{4})(?=.)/g, '$1 ');

export const keyUri = (key: Uint8Array, account: string) => createTOTPKeyURI('partnerdesk', account, key, PERIOD, DIGITS);

export const timeStep = (now: Date) => Math.floor(now.getTime() / 1000 / PERIOD);

/** The code an authenticator app shows at time step `step`. */
export const codeAt = (key: Uint8Array, step: number) => generateHOTP(key, BigInt(step), DIGITS);

/**
 * The time step a code belongs to, within the window around now, that is later than the last one used;
 * null when it matches none (wrong, or the same code again: a reuse).
 */
export function acceptedStep(key: Uint8Array, code: string, now: Date, lastUsed: number | null): number | null {
  const current = timeStep(now);
  for (let step = current - WINDOW; step <= current + WINDOW; step++) {
    if (lastUsed !== null && step <= lastUsed) continue;
    if (timingSafeText(codeAt(key, step), code)) return step;
  }
  return null;
}

function timingSafeText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Whether the code was right for an earlier step of the window (it was used already): tells "used" from "wrong". */
export function reusedCode(key: Uint8Array, code: string, now: Date, lastUsed: number | null): boolean {
  if (lastUsed === null) return false;
  const current = timeStep(now);
  for (let step = current - WINDOW; step <= Math.min(lastUsed, current + WINDOW); step++) if (timingSafeText(codeAt(key, step), code)) return true;
  return false;
}

const RECOVERY_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** What a person typed in the code field, spaces (and a recovery code's dash) aside. */
export type TypedCode = { kind: 'totp'; code: string } | { kind: 'recovery'; code: string } | { kind: 'empty' } | { kind: 'letters' } | { kind: 'digits' };

export function readCode(raw: unknown): TypedCode {
  const text = typeof raw === 'string' ? raw.normalize('NFKC').replace(/[\s-]/g, '').toLowerCase() : '';
  if (text === '') return { kind: 'empty' };
  if (/^[0-9]+$/.test(text)) return text.length === DIGITS ? { kind: 'totp', code: text } : { kind: 'digits' };
  if (text.length === 10 && [...text].every((ch) => RECOVERY_ALPHABET.includes(ch))) return { kind: 'recovery', code: text };
  return { kind: 'letters' };
}

/** Ten new recovery codes, shown as `abcde-fghij` (letters and digits that cannot be mistaken for one another). */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODES }, () => {
    const bytes = randomBytes(10);
    const code = [...bytes].map((b) => RECOVERY_ALPHABET[b & 31]).join('');
    return `${code.slice(0, 5)}-${code.slice(5)}`;
  });
}

/** Only this is stored (codes carry 50 random bits and every try counts toward the sign-in limits). */
export const recoveryHash = (code: string) =>
  createHash('sha256')
    .update(`partnerdesk recovery\0${code.replace(/-/g, '').toLowerCase()}`)
    .digest('hex');
