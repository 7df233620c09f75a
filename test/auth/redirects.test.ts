import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeNext } from '../../src/http/respond.ts';
import { DEMO_PASSWORD } from '../../src/seed/seed.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

describe('safeNext keeps every redirect on this site', () => {
  const hostile = [
    '/\t/evil.example',
    decodeURIComponent('%2F%09%2Fevil.example'),
    '/\n/evil.example',
    '/\r\n/evil.example',
    '/\u0000/evil.example',
    '//evil',
    '//evil.example/path',
    '/\\evil',
    '/\\\\evil',
    '\\\\evil',
    '\\/evil',
    'https://evil',
    'http://evil.example/',
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'data:text/html,hi',
    'evil.example',
    ' /evil',
    '',
    '/\u2028/evil.example',
    '/\u0085/evil.example',
  ];
  for (const value of hostile) {
    it(`sends ${JSON.stringify(value)} to /`, () => {
      expect(safeNext(value)).toBe('/');
    });
  }

  it('sends anything that is not a string to /', () => {
    for (const value of [undefined, null, 42, ['/x'], { toString: () => '/x' }]) expect(safeNext(value)).toBe('/');
  });

  it('keeps a same-site path with its query and fragment, percent-encoded', () => {
    expect(safeNext('/?from=mail')).toBe('/?from=mail');
    expect(safeNext('/authorize/abc234')).toBe('/authorize/abc234');
    expect(safeNext('/partners?q=a%2F%2Fb#top')).toBe('/partners?q=a%2F%2Fb#top');
    // Still encoded after the form's one decoding: inert path text under this origin.
    expect(safeNext('/%2F%09%2Fevil.example')).toBe('/%2F%09%2Fevil.example');
    expect(safeNext('/partners?q=zażółć')).toBe('/partners?q=za%C5%BC%C3%B3%C5%82%C4%87');
  });
});

describe('redirects after sign-in and language change', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('GET /signin?next=%2F%09%2Fevil.example, signed in, answers Location /', async () => {
    const client = await t.signedIn(t.fx.emails.global);
    const res = await client.get('/signin?next=%2F%09%2Fevil.example');
    expect(res.status).toBe(303);
    expect(res.location).toBe('/');
  });

  it('POST /signin with a hostile next lands on the home page', async () => {
    for (const next of ['/\t/evil.example', '/\\evil', 'https://evil', 'javascript:alert(1)']) {
      const res = await t.client().post('/signin', { email: t.fx.emails.global, password: DEMO_PASSWORD, next });
      expect(res.location, JSON.stringify(next)).toBe('/');
    }
  });

  it('the sign-in form never carries a hostile next into its hidden field or the sign-up link', async () => {
    const res = await t.client().get('/signin?next=%2F%09%2Fevil.example');
    expect(res.text).toContain('name="next" value="/"');
    expect(res.text).not.toContain('evil.example');
  });

  it('POST /language with a hostile back lands on the home page', async () => {
    for (const back of ['/\t/evil.example', '//evil', '/\\evil', 'https://evil']) {
      const res = await t.client().post('/language', { locale: 'pl', back });
      expect(res.location, JSON.stringify(back)).toBe('/');
    }
    expect((await t.client().post('/language', { locale: 'pl', back: '/partners?q=x' })).location).toBe('/partners?q=x');
  });
});
