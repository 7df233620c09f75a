import { loadAssets } from '../../src/assets/manifest.ts';
import { all, type AccessRow } from './types.ts';

const signedIn303 = { anon: 200, user: 303, billing: 303, global: 303, otherOrg: 303, partner: 303 } as const;

export const rows: AccessRow[] = [
  { method: 'GET', path: '/healthz', expect: all(200) },
  { method: 'GET', path: '/readyz', expect: all(200) },
  { method: 'GET', path: '/assets/:file{[a-z]+\\.[0-9a-f]{12}\\.(css|js)}', url: () => loadAssets().css, expect: all(200) },
  { method: 'GET', path: '/favicon.ico', expect: all(200) },
  { method: 'GET', path: '/signin', expect: signedIn303 },
  { method: 'POST', path: '/signin', form: () => ({ email: `nobody-${Math.random()}@example.com`, password: 'wrong-password' }), expect: all(401) },
  { method: 'GET', path: '/signup', expect: signedIn303 },
  { method: 'POST', path: '/signup', form: () => ({ orgName: '' }), expect: all(422) },
  { method: 'POST', path: '/signout', expect: all(303), fresh: true },
  { method: 'GET', path: '/signup/sent', expect: all(200) },
  // Every demo person is verified: the pending page and a resend send them home.
  { method: 'GET', path: '/verify-email', expect: { anon: 'signin', user: 303, billing: 303, global: 303, otherOrg: 303, partner: 303 } },
  { method: 'POST', path: '/verify-email/resend', expect: { anon: 'signin', user: 303, billing: 303, global: 303, otherOrg: 303, partner: 303 } },
  { method: 'GET', path: '/verify-email/confirm', url: () => '/verify-email/confirm?token=abc', expect: all(200) },
  { method: 'POST', path: '/verify-email/confirm', form: () => ({ token: 'unknowntoken' }), expect: all(410) },
  { method: 'GET', path: '/', expect: { anon: 'signin', user: 200, billing: 200, global: 200, otherOrg: 200, partner: 303 } },
  {
    method: 'POST',
    path: '/settings/view',
    form: () => ({ view: 'simplified', back: '/' }),
    expect: { anon: 'signin', user: 403, billing: 303, global: 303, otherOrg: 303, partner: 403 },
  },
  { method: 'GET', path: '/settings/preferences', expect: { anon: 'signin', user: 200, billing: 200, global: 200, otherOrg: 200, partner: 200 } },
  {
    method: 'POST',
    path: '/settings/preferences',
    form: () => ({ locale: 'en', timeZone: 'Europe/Warsaw' }),
    expect: { anon: 'signin', user: 303, billing: 303, global: 303, otherOrg: 303, partner: 303 },
  },
  { method: 'POST', path: '/language', form: () => ({ locale: 'en', back: '/' }), expect: all(303) },
];
