/** Admin roles on a user's page, for the organization and for its delegated-admin partner; the narrower roles' reach. */
import { UUID } from '../../src/http/cursor.ts';
import { e, type AccessRow } from './types.ts';

const acting = (path: string) => `/portal/customers/:id{${UUID}}${path}`;

// Harmless on the demo data: giving Uma the roles she already has changes nothing; Uma is no global admin, so
// she cannot be made billing account owner.
export const rows: AccessRow[] = [
  {
    method: 'POST',
    path: `/users/:userId{${UUID}}/roles`,
    url: (fx) => `/users/${fx.contosoUser}/roles`,
    form: () => ({ role: 'user' }),
    expect: { ...e('signin', 403, 403, 200, 404, 403), usersAdmin: 403, domainsAdmin: 403, partnerDomainsOnly: 403 },
  },
  {
    method: 'POST',
    path: `/users/:userId{${UUID}}/billing-owner`,
    url: (fx) => `/users/${fx.contosoUser}/billing-owner`,
    expect: { ...e('signin', 403, 403, 409, 404, 403), usersAdmin: 403, domainsAdmin: 403 },
  },
  {
    method: 'POST',
    path: acting(`/users/:userId{${UUID}}/roles`),
    url: (fx) => `/portal/customers/${fx.contoso}/users/${fx.contosoUser}/roles`,
    form: () => ({ role: 'user' }),
    expect: { ...e('signin', 403, 403, 403, 403, 200), partnerDomainsOnly: 404 },
  },
  {
    method: 'POST',
    path: acting(`/users/:userId{${UUID}}/billing-owner`),
    url: (fx) => `/portal/customers/${fx.contoso}/users/${fx.contosoUser}/billing-owner`,
    expect: { ...e('signin', 403, 403, 403, 403, 403), partnerDomainsOnly: 404 },
  },
];
