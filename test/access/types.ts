import type { Fixtures } from '../support/fixtures.ts';

export const callers = ['anon', 'user', 'billing', 'global', 'otherOrg', 'partner'] as const;
export type Caller = (typeof callers)[number];
/**
 * Customer people holding only a narrower admin role (src/authorization/roles.rules.ts), and a partner whose delegated
 * admin holds only "Domains" (Fabrikam's Northwind relationship, narrowed by the access test). A row checks
 * them where it names them.
 */
export const extraCallers = ['usersAdmin', 'domainsAdmin', 'partnerDomainsOnly'] as const;
export type ExtraCaller = (typeof extraCallers)[number];

/** A status, or 'signin': a redirect to the sign-in page that comes back here after. */
export type Expected = number | 'signin';

export interface AccessRow {
  method: 'GET' | 'POST';
  /** The route pattern exactly as the app registers it. */
  path: string;
  /** The concrete URL to request; defaults to `path`. Ids point at Contoso's data (the callers' own org). */
  url?: (fx: Fixtures) => string;
  form?: (fx: Fixtures) => Record<string, string | string[]>;
  expect: Record<Caller, Expected> & Partial<Record<ExtraCaller, Expected>>;
  /** Ends or changes the caller's session: run it with a newly signed-in client. */
  fresh?: boolean;
}

/** The same expectation for every caller. */
export const all = (e: Expected): Record<Caller, Expected> => ({ anon: e, user: e, billing: e, global: e, otherOrg: e, partner: e });

/** One expectation per caller, in the order of `callers`. */
export const e = (anon: Expected, user: Expected, billing: Expected, global: Expected, otherOrg: Expected, partner: Expected): Record<Caller, Expected> => ({
  anon,
  user,
  billing,
  global,
  otherOrg,
  partner,
});
