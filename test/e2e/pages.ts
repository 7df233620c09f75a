/**
 * Every page of the app, by who sees it, for the suites that must visit them all (a11y.test.ts,
 * no-english.test.ts). Error pages (404, 403, 410) are pages too. A new page belongs here.
 */
import type { Fixtures } from '../support/fixtures.ts';

export type Who = 'anon' | 'global' | 'user' | 'partner';

const unknownId = '00000000-0000-4000-8000-000000000000';

/** `token`: an open authorization link to newcomer@example.com; the fixture checkout must be at its review step. */
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
      '/settings/preferences',
      '/domains',
      '/activity',
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
      `/portal/relationships/${fx.contosoReseller}/remove`,
      `/portal/customers/${fx.fabrikam}`,
      '/partners',
      '/activity',
    ],
  };
}
