import type { AccessRow } from './types.ts';

/** Customer admins only; Fabrikam's admin gets 404 on Contoso's ids and 200 on its own pages. */
const admins = (ok: number, otherOrg: number) => ({ anon: 'signin', user: 403, billing: ok, global: ok, otherOrg, partner: 403 }) as const;

export const rows: AccessRow[] = [
  { method: 'GET', path: '/subscriptions', expect: admins(200, 200) },
  {
    method: 'POST',
    path: '/subscriptions/partner',
    form: (fx) => ({ ids: [fx.contosoTrialSub], partnerId: '1000549', action: 'add' }),
    expect: admins(303, 404),
  },
  { method: 'GET', path: '/subscriptions/:id', url: (fx) => `/subscriptions/${fx.contosoTrialSub}`, expect: admins(200, 404) },
  {
    method: 'POST',
    path: '/subscriptions/:id/partner',
    url: (fx) => `/subscriptions/${fx.contosoTrialSub}/partner`,
    form: () => ({ partnerId: '1000001', action: 'add', confirm: '1' }),
    expect: admins(303, 404),
  },
  { method: 'GET', path: '/purchase', expect: admins(200, 200) },
  { method: 'GET', path: '/purchase/:plan', url: () => '/purchase/business', expect: admins(200, 200) },
  { method: 'POST', path: '/checkout', form: () => ({ productId: 'business-basic' }), expect: admins(303, 303) },
  { method: 'GET', path: '/checkout/:id', url: (fx) => `/checkout/${fx.contosoCheckout}`, expect: admins(200, 404) },
  {
    method: 'POST',
    path: '/checkout/:id/licenses',
    url: (fx) => `/checkout/${fx.contosoCheckout}/licenses`,
    form: () => ({ quantity: '5', billingFrequency: 'monthly' }),
    expect: admins(303, 404),
  },
  {
    method: 'POST',
    path: '/checkout/:id/partner',
    url: (fx) => `/checkout/${fx.contosoCheckout}/partner`,
    form: () => ({ partnerId: '1000001', confirm: '1' }),
    expect: admins(303, 404),
  },
  { method: 'POST', path: '/checkout/:id/place', url: (fx) => `/checkout/${fx.contosoCheckout}/place`, expect: admins(303, 404) },
  { method: 'GET', path: '/partners', expect: { anon: 'signin', user: 200, billing: 200, global: 200, otherOrg: 200, partner: 200 } },
];
