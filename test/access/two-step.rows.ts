/** Two-step sign-in, the sign-in policy and the admin's reset (src/two-step/). */
import { all, e, type AccessRow } from './types.ts';

export const rows: AccessRow[] = [
  // Signed out there is no second step to do: back to the password; signed in and done: on to `next`.
  { method: 'GET', path: '/signin/two-step', expect: all(303) },
  { method: 'POST', path: '/signin/two-step', form: () => ({ code: '123456', next: '/' }), expect: all(303) },
  { method: 'GET', path: '/settings/two-step', expect: e('signin', 200, 200, 200, 200, 200) },
  // A key that is not one: the page again, with its message.
  { method: 'POST', path: '/settings/two-step/setup', form: () => ({ key: 'not-a-key', code: '123456' }), expect: e('signin', 422, 422, 422, 422, 422) },
  // Without two-step sign-in there is nothing to replace or turn off (the test partner staff have it on).
  { method: 'POST', path: '/settings/two-step/recovery-codes', expect: e('signin', 303, 303, 303, 303, 200) },
  { method: 'POST', path: '/settings/two-step/disable', form: () => ({ offCode: '' }), expect: e('signin', 303, 303, 303, 303, 422) },
  { method: 'GET', path: '/settings/security', expect: { ...e('signin', 403, 403, 200, 200, 403), usersAdmin: 403 } },
  { method: 'POST', path: '/settings/security', form: () => ({}), expect: { ...e('signin', 403, 403, 303, 303, 403), usersAdmin: 403 } },
  // Uma is no admin (and another organization's global admin gets 404 for her anyway).
  {
    method: 'POST',
    path: '/users/:id{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}/two-step/reset',
    url: (fx) => `/users/${fx.contosoUser}/two-step/reset`,
    expect: { ...e('signin', 403, 403, 404, 404, 403), usersAdmin: 403 },
  },
  // Passkeys: the script; challenges only for a second step to do, or with two-step sign-in on; a made-up
  // registration is refused with the page's message; another person's (or no) passkey is not found.
  { method: 'GET', path: '/two-step/passkey.js', expect: all(200) },
  { method: 'POST', path: '/signin/two-step/passkey/options', expect: all(409) },
  {
    method: 'POST',
    path: '/signin/two-step/passkey',
    form: () => ({ credentialId: 'AAAA', authenticatorData: 'AAAA', clientData: 'AAAA', signature: 'AAAA', next: '/' }),
    expect: all(303),
  },
  { method: 'POST', path: '/settings/two-step/passkeys/options', expect: e('signin', 409, 409, 409, 409, 200) },
  {
    method: 'POST',
    path: '/settings/two-step/passkeys',
    form: () => ({ name: 'Laptop', attestation: 'AAAA', clientData: 'AAAA' }),
    expect: e('signin', 303, 303, 303, 303, 422),
  },
  {
    method: 'POST',
    path: '/settings/two-step/passkeys/:id{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}/remove',
    url: () => '/settings/two-step/passkeys/00000000-0000-4000-8000-000000000000/remove',
    expect: e('signin', 404, 404, 404, 404, 404),
  },
  // Preferences → Password: too short a new one comes back with its message.
  { method: 'POST', path: '/settings/password', form: () => ({ currentPassword: 'x', newPassword: 'short' }), expect: e('signin', 422, 422, 422, 422, 422) },
  // Preferences → Signed-in sessions: another person's (or no) session is not found.
  {
    method: 'POST',
    path: '/settings/sessions/:id{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}/signout',
    url: () => '/settings/sessions/00000000-0000-4000-8000-000000000000/signout',
    expect: e('signin', 404, 404, 404, 404, 404),
  },
  { method: 'POST', path: '/settings/sessions/signout-others', expect: e('signin', 303, 303, 303, 303, 303), fresh: true },
];
