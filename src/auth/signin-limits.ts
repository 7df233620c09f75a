/**
 * Sign-in limits that stop guessing without handing an attacker a lockout (decision 020).
 *
 * - per account and address: 5 attempts per 15 minutes. Guessing one person's password from one
 *   address stops here, and only that address is stopped.
 * - per address: 50 attempts per 15 minutes, across accounts (one address trying many accounts).
 * - per account, from everywhere: 40 counted failures per hour. Only attempts that got past the two
 *   limits above are counted, so one address can spend at most 5 of them per 15 minutes: it can never
 *   exhaust the budget, and the owner, from any other address, still signs in. A guess spread over many
 *   addresses is slowed to 40 per hour per account (about 1,000 a day instead of unlimited).
 * A successful sign-in clears its own account-and-address counter and gives back the one attempt it
 * spent of the other two, so people who type their password right are never counted.
 */
import type { Counter } from './rate-limit.ts';
import { retryAfter } from './rate-limit.ts';

export const SIGNIN_WINDOW = 15 * 60;
export const SIGNIN_LIMIT_PAIR = 5;
export const SIGNIN_LIMIT_ADDRESS = 50;
export const ACCOUNT_WINDOW = 60 * 60;
export const SIGNIN_LIMIT_ACCOUNT = 40;

export interface SignInKeys {
  pair: string;
  address: string;
  account: string;
}

export function signInKeys(email: string, address: string): SignInKeys {
  const account = email.toLowerCase().slice(0, 254);
  return { pair: `signin:pair:${account}:${address}`, address: `signin:address:${address}`, account: `signin:account:${account}` };
}

/** Seconds to wait before this account may be tried again from this address, or 0. */
export function signInWait(keys: SignInKeys, counters: Counter[], now: Date): number {
  return Math.max(
    retryAfter(counters, { [keys.pair]: SIGNIN_LIMIT_PAIR, [keys.address]: SIGNIN_LIMIT_ADDRESS }, SIGNIN_WINDOW, now),
    retryAfter(counters, { [keys.account]: SIGNIN_LIMIT_ACCOUNT }, ACCOUNT_WINDOW, now),
  );
}
