/** Partner relationships, activity log, users and licenses, partner portal and acting for a customer. */
import { UUID } from '../../src/http/cursor.ts';
import { e, type AccessRow, type Expected } from './types.ts';

const customerPage = e('signin', 403, 200, 200, 200, 403);
const partnerOnly = (partner: Expected) => e('signin', 403, 403, 403, 403, partner);
const customer = `/portal/customers/:id{${UUID}}`;
const acting = (path: string) => `${customer}${path}`;

// Every POST here is harmless on the demo data (a refused removal, an invalid form, removing a license no
// one holds), so the later rows still find delegated admin active.
export const rows: AccessRow[] = [
  { method: 'GET', path: '/settings/partner-relationships', expect: customerPage },
  { method: 'GET', path: '/settings/partner-relationships.csv', expect: customerPage },
  // The URL names a partner; each customer sees only its own ended relationships with it (Fabrikam has Northwind too).
  {
    method: 'GET',
    path: `/settings/partner-relationships/partners/:id{${UUID}}/ended`,
    url: (fx) => `/settings/partner-relationships/partners/${fx.northwind}/ended`,
    expect: customerPage,
  },
  {
    method: 'GET',
    path: `/settings/partner-relationships/:id{${UUID}}/remove`,
    url: (fx) => `/settings/partner-relationships/${fx.contosoDelegatedAdmin}/remove`,
    expect: e('signin', 403, 303, 200, 404, 403),
  },
  {
    method: 'POST',
    path: `/settings/partner-relationships/:id{${UUID}}/remove`,
    url: (fx) => `/settings/partner-relationships/${fx.contosoReseller}/remove`,
    expect: e('signin', 403, 403, 403, 404, 403),
  },
  // Suspend and resume a partner's delegated admin (issue 24 §4): global admins only. Harmless here: the POSTs
  // name a partner Contoso has no relationship with (404), or resume what is not suspended (409).
  {
    method: 'GET',
    path: `/settings/partner-relationships/partners/:id{${UUID}}/suspend`,
    url: (fx) => `/settings/partner-relationships/partners/${fx.northwind}/suspend`,
    expect: { ...e('signin', 403, 403, 200, 200, 403), usersAdmin: 403 },
  },
  {
    method: 'POST',
    path: `/settings/partner-relationships/partners/:id{${UUID}}/suspend`,
    url: (fx) => `/settings/partner-relationships/partners/${fx.fabrikam}/suspend`,
    expect: { ...e('signin', 403, 403, 404, 404, 403), usersAdmin: 403 },
  },
  {
    method: 'POST',
    path: `/settings/partner-relationships/partners/:id{${UUID}}/resume`,
    url: (fx) => `/settings/partner-relationships/partners/${fx.northwind}/resume`,
    expect: { ...e('signin', 403, 403, 409, 409, 403), usersAdmin: 403 },
  },
  // A relationship's page and what its partner left behind (issue 23). Delegated admin is still active, so
  // every action the global admin sends is refused (409): harmless for the later rows.
  {
    method: 'GET',
    path: `/settings/partner-relationships/:id{${UUID}}`,
    url: (fx) => `/settings/partner-relationships/${fx.contosoDelegatedAdmin}`,
    expect: { ...customerPage, otherOrg: 404, usersAdmin: 403 },
  },
  {
    method: 'POST',
    path: `/settings/partner-relationships/:id{${UUID}}/left-behind/accounts/:userId{${UUID}}/disable`,
    url: (fx) => `/settings/partner-relationships/${fx.contosoDelegatedAdmin}/left-behind/accounts/${fx.contosoUser}/disable`,
    expect: { ...e('signin', 403, 403, 409, 404, 403), usersAdmin: 403 },
  },
  {
    method: 'POST',
    path: `/settings/partner-relationships/:id{${UUID}}/left-behind/grants/:grantId{${UUID}}/remove`,
    url: (fx) => `/settings/partner-relationships/${fx.contosoDelegatedAdmin}/left-behind/grants/00000000-0000-4000-8000-000000000000/remove`,
    expect: { ...e('signin', 403, 403, 409, 404, 403), usersAdmin: 403 },
  },
  {
    method: 'POST',
    path: `/settings/partner-relationships/:id{${UUID}}/left-behind/all`,
    url: (fx) => `/settings/partner-relationships/${fx.contosoDelegatedAdmin}/left-behind/all`,
    expect: { ...e('signin', 403, 403, 409, 404, 403), usersAdmin: 403 },
  },
  { method: 'GET', path: '/activity', expect: customerPage },
  { method: 'GET', path: '/activity.csv', expect: customerPage },
  { method: 'GET', path: '/activity/verify', expect: customerPage },
  { method: 'GET', path: '/users', expect: { ...customerPage, usersAdmin: 200, domainsAdmin: 403 } },
  { method: 'GET', path: '/users/new', expect: { ...e('signin', 403, 403, 200, 200, 403), usersAdmin: 200, domainsAdmin: 403 } },
  { method: 'POST', path: '/users', form: () => ({ name: '' }), expect: e('signin', 403, 403, 422, 422, 403) },
  { method: 'GET', path: `/users/:userId{${UUID}}`, url: (fx) => `/users/${fx.contosoUser}`, expect: e('signin', 403, 200, 200, 404, 403) },
  {
    method: 'POST',
    path: `/users/:userId{${UUID}}`,
    url: (fx) => `/users/${fx.contosoUser}`,
    form: () => ({ name: '' }),
    expect: e('signin', 403, 403, 422, 404, 403),
  },
  {
    method: 'POST',
    path: `/users/:userId{${UUID}}/password`,
    url: (fx) => `/users/${fx.contosoUser}/password`,
    form: () => ({ password: 'short' }),
    expect: e('signin', 403, 403, 422, 404, 403),
  },
  {
    method: 'POST',
    path: `/users/:userId{${UUID}}/licenses`,
    url: (fx) => `/users/${fx.contosoUser}/licenses`,
    form: (fx) => ({ subscriptionId: fx.contosoTrialSub, op: 'remove' }),
    expect: e('signin', 403, 403, 303, 404, 403),
  },
  // Disabling is not harmless, so the rows aim at no one: who reaches the handler gets 404, who may not 403
  // (test/users/scopes.test.ts holds who may disable whom).
  {
    method: 'POST',
    path: `/users/:userId{${UUID}}/disable`,
    url: () => `/users/00000000-0000-4000-8000-000000000000/disable`,
    expect: { ...e('signin', 403, 403, 404, 404, 403), usersAdmin: 404, domainsAdmin: 403 },
  },
  { method: 'GET', path: '/portal', expect: partnerOnly(200) },
  {
    method: 'GET',
    path: `/portal/relationships/:id{${UUID}}/remove`,
    url: (fx) => `/portal/relationships/${fx.contosoReseller}/remove`,
    expect: partnerOnly(200),
  },
  {
    method: 'POST',
    path: `/portal/relationships/:id{${UUID}}/remove`,
    url: (fx) => `/portal/relationships/${fx.contosoAdvisor}/remove`,
    expect: partnerOnly(403),
  },
  { method: 'GET', path: customer, url: (fx) => `/portal/customers/${fx.contoso}`, expect: { ...partnerOnly(200), partnerDomainsOnly: 404 } },
  { method: 'GET', path: acting('/users/new'), url: (fx) => `/portal/customers/${fx.contoso}/users/new`, expect: partnerOnly(200) },
  { method: 'POST', path: acting('/users'), url: (fx) => `/portal/customers/${fx.contoso}/users`, form: () => ({ name: '' }), expect: partnerOnly(422) },
  {
    method: 'GET',
    path: acting(`/users/:userId{${UUID}}`),
    url: (fx) => `/portal/customers/${fx.contoso}/users/${fx.contosoUser}`,
    expect: { ...partnerOnly(200), partnerDomainsOnly: 404 },
  },
  {
    method: 'POST',
    path: acting(`/users/:userId{${UUID}}`),
    url: (fx) => `/portal/customers/${fx.contoso}/users/${fx.contosoUser}`,
    form: () => ({ name: '' }),
    expect: partnerOnly(422),
  },
  {
    method: 'POST',
    path: acting(`/users/:userId{${UUID}}/password`),
    url: (fx) => `/portal/customers/${fx.contoso}/users/${fx.contosoUser}/password`,
    form: () => ({ password: 'short' }),
    expect: partnerOnly(422),
  },
  {
    method: 'POST',
    path: acting(`/users/:userId{${UUID}}/licenses`),
    url: (fx) => `/portal/customers/${fx.contoso}/users/${fx.contosoUser}/licenses`,
    form: (fx) => ({ subscriptionId: fx.contosoTrialSub, op: 'remove' }),
    expect: partnerOnly(303),
  },
  {
    method: 'POST',
    path: acting(`/users/:userId{${UUID}}/disable`),
    url: (fx) => `/portal/customers/${fx.contoso}/users/00000000-0000-4000-8000-000000000000/disable`,
    expect: { ...partnerOnly(404), partnerDomainsOnly: 404 },
  },
];
