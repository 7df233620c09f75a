/** Access reviews of delegated admin and Settings → Alerts (issue 25 §1, §2): the customer's global admins only. */
import { UUID } from '../../src/http/cursor.ts';
import { e, type AccessRow } from './types.ts';

const review = `/settings/partner-relationships/:id{${UUID}}/review`;
const url =
  (suffix = '') =>
  (fx: { contosoDelegatedAdmin: string }) =>
    `/settings/partner-relationships/${fx.contosoDelegatedAdmin}/review${suffix}`;
// Contoso's global admin gets through; Fabrikam's (otherOrg) finds no such relationship; everyone else is refused by role.
const globalOnly = (global: number) => ({ ...e('signin', 403, 403, global, 404, 403), usersAdmin: 403, domainsAdmin: 403 });

// No review is open on the demo data: an answer is "no longer open" (303 back to the page), and the
// settings row turns reviews off, so every later row finds delegated admin as it was.
export const rows: AccessRow[] = [
  { method: 'GET', path: review, url: url(), expect: globalOnly(200) },
  {
    method: 'POST',
    path: review,
    url: url(),
    form: () => ({ reviewId: '00000000-0000-4000-8000-000000000000', role_users: 'keep', role_passwords: 'remove' }),
    expect: globalOnly(303),
  },
  {
    method: 'POST',
    path: `${review}/keep-all`,
    url: url('/keep-all'),
    form: () => ({ reviewId: '00000000-0000-4000-8000-000000000000' }),
    expect: globalOnly(303),
  },
  { method: 'POST', path: `${review}/settings`, url: url('/settings'), form: () => ({ period: 'off', unanswered: 'remove_unused' }), expect: globalOnly(303) },
  // Each organization's own setting: Fabrikam's global admin sets Fabrikam's.
  { method: 'GET', path: '/settings/alerts', expect: { ...e('signin', 403, 403, 200, 200, 403), usersAdmin: 403, domainsAdmin: 403 } },
  {
    method: 'POST',
    path: '/settings/alerts',
    form: () => ({ resetLimit: '5' }),
    expect: { ...e('signin', 403, 403, 303, 303, 403), usersAdmin: 403, domainsAdmin: 403 },
  },
];
