/**
 * Every page of the app, by who sees it, for the suites that must visit them all (a11y.test.ts,
 * no-english.test.ts). Error pages (404, 403, 410) are pages too. A new page belongs here.
 */
import { sql } from 'drizzle-orm';
import { createLinkAs } from '../invitations/helpers.ts';
import type { TestApp } from '../support/app.ts';
import type { Fixtures } from '../support/fixtures.ts';

export type Who = 'anon' | 'global' | 'user' | 'partner';

const unknownId = '00000000-0000-4000-8000-000000000000';
/** A pending request of Northwind's partner admin for Passwords at Contoso (prepareEveryPage): its Approve / Deny page. */
const elevationId = '00000000-0000-4000-8000-0000000000e1';

/** Who signs in to see each list of pages (null: nobody). */
export const emailOf = (fx: Fixtures, who: Who): string | null =>
  ({ anon: null, global: fx.emails.global, user: fx.emails.user, partner: fx.emails.partner })[who];

/**
 * The state `everyPage` expects: an open authorization link to newcomer@example.com (its token is
 * returned) and the fixture checkout moved to its review step (step 2; ?step=1 reopens the licenses step).
 */
export async function prepareEveryPage(t: TestApp): Promise<string> {
  const { token } = await createLinkAs(t, t.fx.emails.partner, { email: 'newcomer@example.com' });
  const admin = await t.signedIn(t.fx.emails.global);
  const res = await admin.post(`/checkout/${t.fx.contosoCheckout}/licenses`, { quantity: '5', billingFrequency: 'monthly' });
  if (res.status !== 303) throw new Error(`checkout step 1 failed: ${res.status}`);
  await t.db
    .execute(sql`insert into elevations (id, relationship_id, org_id, partner_org_id, user_id, user_name, role, minutes, reason, ticket, status, requested_at)
    select ${elevationId}, ${t.fx.contosoDelegatedAdmin}, ${t.fx.contoso}, ${t.fx.northwind}, u.id, u.name, 'passwords', 120, 'User locked out', '4711', 'pending', now()
    from users u where u.email = ${t.fx.emails.partner}`);
  return token;
}

/** `token`: an open authorization link to newcomer@example.com; the fixture checkout must be at its review step (prepareEveryPage). */
export function everyPage(fx: Fixtures, token: string): Record<Who, string[]> {
  return {
    anon: ['/signin', '/signup', '/signup/sent', `/authorize/${token}`, '/authorize/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '/no-such-page'],
    global: [
      '/',
      '/subscriptions',
      `/subscriptions/${fx.contosoTrialSub}`,
      `/subscriptions/${fx.contosoResoldSub}`,
      '/purchase',
      '/purchase/business',
      '/purchase/addons',
      `/checkout/${fx.contosoCheckout}?step=1`,
      `/checkout/${fx.contosoCheckout}`,
      `/partners?checkout=${fx.contosoCheckout}`,
      '/settings/partner-relationships',
      `/settings/partner-relationships/partners/${fx.northwind}/ended`,
      `/settings/partner-relationships/${fx.contosoDelegatedAdmin}/remove`,
      `/settings/partner-relationships/${fx.contosoDelegatedAdmin}/access`,
      `/elevations/${elevationId}`,
      `/settings/partner-relationships/partners/${fx.northwind}/suspend`,
      '/settings/preferences',
      '/settings/two-step',
      '/settings/security',
      // Access reviews and the alert setting (issue 25 §1, §2).
      `/settings/partner-relationships/${fx.contosoDelegatedAdmin}/review`,
      '/settings/alerts',
      '/domains',
      '/activity',
      '/activity/verify',
      '/users',
      '/users/new',
      `/users/${fx.contosoUser}`,
      '/dev/mailbox',
      `/authorize/${token}`,
      `/subscriptions/${unknownId}`,
    ],
    user: ['/', '/subscriptions'],
    partner: [
      '/portal',
      '/portal/links',
      '/portal/links/new',
      `/portal/customers/${fx.contoso}`,
      `/portal/customers/${fx.contoso}/users/new`,
      `/portal/customers/${fx.contoso}/users/${fx.contosoUser}`,
      `/portal/customers/${fx.contoso}/domains`,
      `/portal/customers/${fx.contoso}/elevations`,
      `/portal/relationships/${fx.contosoReseller}/remove`,
      `/portal/customers/${fx.fabrikam}`,
      '/partners',
      '/activity',
      // Partner staff have two-step sign-in on (test/support/two-step.ts): the page with recovery codes and passkeys.
      '/settings/two-step',
    ],
  };
}
