import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/http/cursor.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { linkForm } from '../invitations/helpers.ts';

// One codec for every list: base64url of [key, id]. A cursor someone crafted must start the list again.
const crafted = (key: unknown, id: unknown = '00000000-0000-0000-0000-000000000000') => Buffer.from(JSON.stringify([key, id])).toString('base64url');

describe('the cursor codec', () => {
  it('reads back what it wrote, and refuses keys of the wrong kind', () => {
    const c = { key: '2026-02-28 10:00:00.123456+00', id: '00000000-0000-0000-0000-000000000001' };
    expect(decodeCursor(encodeCursor(c), 'timestamp')).toEqual(c);
    expect(decodeCursor(crafted('not-a-date'), 'timestamp')).toBeUndefined();
    expect(decodeCursor(crafted('2026-02-31 10:00:00+00'), 'timestamp')).toBeUndefined();
    expect(decodeCursor(crafted('not-a-date'), 'text')).toEqual({ key: 'not-a-date', id: '00000000-0000-0000-0000-000000000000' });
    expect(decodeCursor(crafted(42))).toBeUndefined();
    expect(decodeCursor(crafted('x', 'not-a-uuid'))).toBeUndefined();
    expect(decodeCursor(Buffer.from('{"a":1}').toString('base64url'))).toBeUndefined();
    expect(decodeCursor('%%%')).toBeUndefined();
  });
});

describe('every list restarts on a crafted cursor instead of failing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  // Not ours on any list: a key of the wrong type, an id that is not one, not JSON at all.
  const bad = [crafted(['nested']), crafted(42), crafted('Adatum', 'not-a-uuid'), 'bm90LWpzb24'];
  // Not ours where the key is a timestamp: the list would cast it.
  const badDates = [crafted('not-a-date'), crafted('2026-13-01 00:00:00+00'), crafted('2026-02-31 10:00:00+00')];

  it.each([
    ['created', [...bad, ...badDates]],
    ['renewal', [...bad, ...badDates]],
    ['product', bad],
  ] as const)('subscriptions sorted by %s', async (sort, cursors) => {
    const admin = await t.signedIn(t.fx.emails.global);
    const first = await admin.get(`/subscriptions?sort=${sort}`);
    for (const after of cursors) {
      const res = await admin.get(`/subscriptions?sort=${sort}&after=${after}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('Business Basic');
      expect(res.text.match(/<tbody>[\s\S]*<\/tbody>/)![0]).toBe(first.text.match(/<tbody>[\s\S]*<\/tbody>/)![0]);
    }
  });

  it('the partner finder', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    for (const after of bad) {
      const res = await admin.get(`/partners?after=${after}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('Adatum Consulting');
    }
  });

  it('users', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    for (const after of bad) {
      const res = await admin.get(`/users?after=${after}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('Uma User');
    }
  });

  it('the partner portal’s authorization links', async () => {
    const partner = await t.signedIn(t.fx.emails.partner);
    await partner.post('/portal/links', linkForm({ email: 'cursor@example.com' }));
    const first = await partner.get('/portal/links');
    expect(first.text).toContain('cursor@example.com');
    for (const after of [...bad, ...badDates, crafted(null)]) {
      const res = await partner.get(`/portal/links?after=${after}`);
      expect(res.status).toBe(200);
      expect(res.text.match(/<tbody>[\s\S]*<\/tbody>/)![0]).toBe(first.text.match(/<tbody>[\s\S]*<\/tbody>/)![0]);
    }
  });

  it('the partner portal’s customers', async () => {
    const partner = await t.signedIn(t.fx.emails.partner);
    for (const after of bad) {
      const res = await partner.get(`/portal?after=${after}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('Contoso');
    }
  });
});
