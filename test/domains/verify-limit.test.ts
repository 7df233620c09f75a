/**
 * Issue 23 §4: domain verification asks DNS, so it is limited per organization (its admins and its
 * partner together), with a clear message; and a name mixing scripts is shown with its punycode and a
 * warning.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/client.ts';
import { VERIFY_LIMIT } from '../../src/domains/domains.routes.tsx';
import { createTestApp, type TestApp } from '../support/app.ts';
import { startTestDns, type TestDns } from './dns-server.ts';

let t: TestApp;
let dns: TestDns;
beforeAll(async () => {
  dns = await startTestDns();
  t = await createTestApp({ DNS_SERVERS: dns.address });
});
afterAll(async () => {
  await t?.close();
  await dns?.close();
});

const idOf = async (name: string) => (await rows<{ id: string }>(t.db, sql`select id from domains where name = ${name}`))[0].id;

describe('domain verification is rate-limited per organization', () => {
  it(`allows ${VERIFY_LIMIT} tries per organization per 15 minutes, admins and partner together, then says when to try again`, async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const partner = await t.signedIn(t.fx.emails.partner);
    expect((await admin.post('/domains', { name: 'limit.example' })).status).toBe(303);
    const id = await idOf('limit.example');
    for (let i = 0; i < VERIFY_LIMIT; i++) {
      const who = i % 2 === 0 ? admin.post(`/domains/${id}/verify`) : partner.post(`/portal/customers/${t.fx.contoso}/domains/${id}/verify`);
      expect((await who).status, `try ${i + 1}`).toBe(409);
    }
    const limited = await admin.post(`/domains/${id}/verify`, {}, { 'hx-request': 'true', 'accept-language': 'pl' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited.text).toContain('Spróbuj ponownie za 15 minut');
    expect(limited.queries).toBeLessThanOrEqual(3);
    // Another organization is not held up.
    const other = await t.signedIn(t.fx.emails.otherOrg);
    expect((await other.post('/domains', { name: 'other-limit.example' })).status).toBe(303);
    expect((await other.post(`/domains/${await idOf('other-limit.example')}/verify`)).status).toBe(409);
    // The window passes: Contoso may try again.
    t.clock.now = new Date(Date.now() + 16 * 60 * 1000);
    expect((await admin.post(`/domains/${id}/verify`)).status).toBe(409);
    t.clock.now = new Date();
  });

  it('shows a name that mixes scripts with its punycode and a warning, in buttons too', async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    expect((await admin.post('/domains', { name: 'аpple.com' })).status).toBe(303);
    const page = await admin.get('/domains');
    expect(page.text).toContain('<strong>аpple.com</strong>');
    expect(page.text).toContain('(xn--pple-43d.com)');
    expect(page.text).toContain('Mixes scripts (Cyrillic, Latin)');
    expect(page.text).toContain('aria-label="Verify: аpple.com (xn--pple-43d.com)"');
    const zh = await admin.get('/domains', { 'accept-language': 'zh' });
    expect(zh.text).toContain('混用了多种文字（西里尔字母, 拉丁字母）');
  });
});
