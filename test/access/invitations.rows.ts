import { all, type AccessRow } from './types.ts';

const partnerOnly = { anon: 'signin', user: 403, billing: 403, global: 403, otherOrg: 403, partner: 200 } as const;
const unknownToken = '/authorize/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

export const rows: AccessRow[] = [
  { method: 'GET', path: '/portal/links', expect: partnerOnly },
  // The Copy button's script, as static as a stylesheet.
  { method: 'GET', path: '/portal/links/copy.js', expect: all(200) },
  // An empty form: the partner gets it back with its messages; nobody else gets that far.
  { method: 'POST', path: '/portal/links', form: () => ({}), expect: { ...partnerOnly, partner: 422 } },
  {
    method: 'POST',
    path: '/portal/links/:id/revoke',
    url: () => '/portal/links/00000000-0000-4000-8000-000000000000/revoke',
    expect: { ...partnerOnly, partner: 404 },
  },
  // Valid links are exercised in test/invitations/: here an unknown token, the same clear 404 for everyone.
  { method: 'GET', path: '/authorize/:token', url: () => unknownToken, expect: all(404) },
  {
    method: 'POST',
    path: '/authorize/:token',
    url: () => unknownToken,
    form: () => ({ step: '1', delegatedAdmin: 'yes' }),
    expect: { ...all(404), anon: 'signin' },
  },
  // No SMTP_URL in tests and NODE_ENV=test: the development mailbox shows each signed-in person their own mail.
  { method: 'GET', path: '/dev/mailbox', expect: { anon: 'signin', user: 200, billing: 200, global: 200, otherOrg: 200, partner: 200 } },
];
