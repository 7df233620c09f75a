/** Settings → Domains, for the organization (global admins and the "Domains" admin role) and for its partner holding "Domains". */
import { UUID } from '../../src/http/cursor.ts';
import { e, type AccessRow, type Expected } from './types.ts';

const own = (status: Expected, otherOrg: Expected = status) => ({
  ...e('signin', 403, 403, status, otherOrg, 403),
  usersAdmin: 403,
  domainsAdmin: status,
  partnerDomainsOnly: 403,
});
const partner = (status: Expected) => ({ ...e('signin', 403, 403, 403, 403, status), partnerDomainsOnly: status });
const acting = (path: string) => `/portal/customers/:id{${UUID}}/domains${path}`;

// contoso.example is verified and every Contoso address uses it: verifying it again asks no DNS server, making
// it the default is harmless, removing it is refused.
export const rows: AccessRow[] = [
  { method: 'GET', path: '/domains', expect: own(200) },
  { method: 'POST', path: '/domains', form: () => ({ name: '' }), expect: own(422) },
  { method: 'POST', path: `/domains/:domainId{${UUID}}/verify`, url: (fx) => `/domains/${fx.contosoDomain}/verify`, expect: own(200, 404) },
  { method: 'POST', path: `/domains/:domainId{${UUID}}/default`, url: (fx) => `/domains/${fx.contosoDomain}/default`, expect: own(303, 404) },
  { method: 'POST', path: `/domains/:domainId{${UUID}}/remove`, url: (fx) => `/domains/${fx.contosoDomain}/remove`, expect: own(409, 404) },
  { method: 'GET', path: acting(''), url: (fx) => `/portal/customers/${fx.contoso}/domains`, expect: partner(200) },
  { method: 'POST', path: acting(''), url: (fx) => `/portal/customers/${fx.contoso}/domains`, form: () => ({ name: '' }), expect: partner(422) },
  {
    method: 'POST',
    path: acting(`/:domainId{${UUID}}/verify`),
    url: (fx) => `/portal/customers/${fx.contoso}/domains/${fx.contosoDomain}/verify`,
    expect: partner(200),
  },
  {
    method: 'POST',
    path: acting(`/:domainId{${UUID}}/default`),
    url: (fx) => `/portal/customers/${fx.contoso}/domains/${fx.contosoDomain}/default`,
    expect: partner(303),
  },
  {
    method: 'POST',
    path: acting(`/:domainId{${UUID}}/remove`),
    url: (fx) => `/portal/customers/${fx.contoso}/domains/${fx.contosoDomain}/remove`,
    expect: partner(409),
  },
];
