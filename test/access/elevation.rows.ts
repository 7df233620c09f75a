/** Eligible roles and just-in-time elevation (issue 24 §1–3): the partner's activation, the customer's decision and access page. */
import { UUID } from '../../src/http/cursor.ts';
import { e, type AccessRow } from './types.ts';

const none = '00000000-0000-4000-8000-000000000000';
const customer = `/portal/customers/:id{${UUID}}`;
const access = `/settings/partner-relationships/:id{${UUID}}/access`;

// Every POST here is harmless on the demo data: an invalid form, an elevation that does not exist, roles all kept.
export const rows: AccessRow[] = [
  {
    method: 'GET',
    path: `${customer}/elevations`,
    url: (fx) => `/portal/customers/${fx.contoso}/elevations`,
    expect: { ...e('signin', 403, 403, 403, 403, 200), partnerDomainsOnly: 200, usersAdmin: 403 },
  },
  {
    method: 'POST',
    path: `${customer}/elevations`,
    url: (fx) => `/portal/customers/${fx.contoso}/elevations`,
    form: () => ({ role: 'passwords', hours: '2', reason: '' }),
    expect: { ...e('signin', 403, 403, 403, 403, 422), partnerDomainsOnly: 422 },
  },
  {
    method: 'POST',
    path: `${customer}/elevations/:eid{${UUID}}/end`,
    url: (fx) => `/portal/customers/${fx.contoso}/elevations/${none}/end`,
    expect: { ...e('signin', 403, 403, 403, 403, 404), partnerDomainsOnly: 404 },
  },
  // The decision page: the customer's global admins only; another organization's id is not found.
  {
    method: 'GET',
    path: `/elevations/:eid{${UUID}}`,
    url: () => `/elevations/${none}`,
    expect: { ...e('signin', 403, 403, 404, 404, 403), usersAdmin: 403, partnerDomainsOnly: 403 },
  },
  {
    method: 'POST',
    path: `/elevations/:eid{${UUID}}/:decision{approve|deny}`,
    url: () => `/elevations/${none}/approve`,
    expect: { ...e('signin', 403, 403, 404, 404, 403), usersAdmin: 403, partnerDomainsOnly: 403 },
  },
  {
    method: 'POST',
    path: `/elevations/:eid{${UUID}}/end`,
    url: () => `/elevations/${none}/end`,
    expect: { ...e('signin', 403, 404, 404, 404, 403), usersAdmin: 403 },
  },
  // A relationship's access page: any customer admin reads it; only a global admin changes it.
  {
    method: 'GET',
    path: access,
    url: (fx) => `/settings/partner-relationships/${fx.contosoDelegatedAdmin}/access`,
    expect: { ...e('signin', 403, 200, 200, 404, 403), usersAdmin: 403 },
  },
  {
    method: 'POST',
    path: `${access}/policy`,
    url: (fx) => `/settings/partner-relationships/${fx.contosoDelegatedAdmin}/access/policy`,
    form: () => ({ policy: 'sometimes' }),
    expect: { ...e('signin', 403, 403, 400, 400, 403), usersAdmin: 403 },
  },
  {
    method: 'POST',
    path: `${access}/roles`,
    url: (fx) => `/settings/partner-relationships/${fx.contosoDelegatedAdmin}/access/roles`,
    expect: { ...e('signin', 403, 403, 303, 404, 403), usersAdmin: 403 },
  },
];
