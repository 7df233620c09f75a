import { brotliCompressSync, constants } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../src/db/schema.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 120_000);
afterAll(() => t?.close());

const stored = async (email: string) =>
  (await t.db.select({ locale: s.users.locale, timeZone: s.users.timeZone }).from(s.users).where(eq(s.users.email, email)))[0];

describe('preferences: language and time zone', () => {
  it("a person without a chosen zone sees their organization country's, and can choose another", async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    const page = await admin.get('/settings/preferences');
    expect(page.status).toBe(200);
    // Contoso is in Poland.
    expect(page.text).toMatch(/<option value="Europe\/Warsaw" selected="">Central European Time – Poland \(UTC\+01:00\)<\/option>/);
    const saved = await admin.post('/settings/preferences', { locale: 'zh', timeZone: 'Asia/Shanghai' });
    expect(saved.status).toBe(303);
    expect(await stored(t.fx.emails.global)).toEqual({ locale: 'zh', timeZone: 'Asia/Shanghai' });
    const after = await admin.get(saved.location!);
    expect(after.text).toContain('你的偏好设置已保存。');
    expect(after.text).toMatch(/<option value="Asia\/Shanghai" selected="">中国标准时间 \(UTC\+08:00\)<\/option>/);
    // Every zone named in Chinese (the longest names by bytes) still fits the page budget, as the server compresses it.
    const wire = brotliCompressSync(after.text, { params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_LGWIN]: 17 } }).length;
    expect(wire).toBeLessThanOrEqual(14 * 1024 - 600);
  });

  it("names the zones in the reader's language, grouped by region, the current one first, and stores the IANA name", async () => {
    const admin = await t.signedIn(t.fx.emails.global);
    await admin.post('/settings/preferences', { locale: 'pl', timeZone: 'Europe/Warsaw' });
    const page = await admin.get('/settings/preferences');
    const select = /<select id="f-timeZone"[\s\S]*?<\/select>/.exec(page.text)![0];
    const visible = select.replace(/<[^>]*>/g, '\n');
    expect(visible).toContain('czas środkowoeuropejski');
    expect(visible).toContain('czas wschodnioamerykański – Nowy Jork (UTC−05:00)');
    expect(visible).not.toMatch(/Europe\/Warsaw|America\//);
    const groups = [...select.matchAll(/<optgroup label="([^"]+)">/g)].map((m) => m[1]);
    expect(groups.slice(0, 4)).toEqual(['Twoja obecna strefa czasowa', 'Europa', 'Ameryka', 'Azja']);
    expect(select).toMatch(/^<select[^>]*><optgroup label="Twoja obecna strefa czasowa"><option value="Europe\/Warsaw" selected="">czas środkowoeuropejski/);
    expect((await admin.post('/settings/preferences', { locale: 'pl', timeZone: 'America/New_York' })).status).toBe(303);
    expect(await stored(t.fx.emails.global)).toEqual({ locale: 'pl', timeZone: 'America/New_York' });
  });

  it("refuses a zone that is not an IANA name, in the person's language, and changes nothing", async () => {
    const user = await t.signedIn(t.fx.emails.user);
    const before = await stored(t.fx.emails.user);
    const res = await user.post('/settings/preferences', { locale: 'pl', timeZone: 'Mars/Olympus' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Choose a time zone from the list.');
    expect(await stored(t.fx.emails.user)).toEqual(before);
  });

  it('the footer language switch stores the language of a signed-in person, who reads it on a new browser', async () => {
    const partner = await t.signedIn(t.fx.emails.partner);
    expect((await partner.post('/language', { locale: 'pl', back: '/portal' })).status).toBe(303);
    expect((await stored(t.fx.emails.partner)).locale).toBe('pl');
    const elsewhere = await t.signedIn(t.fx.emails.partner);
    elsewhere.cookies.delete('pd_locale');
    expect((await elsewhere.get('/settings/preferences')).text).toContain('<html lang="pl"');
  });

  it('the footer links to the preferences only for those signed in', async () => {
    const admin = await t.signedIn(t.fx.emails.billing);
    expect((await admin.get('/')).text).toContain('href="/settings/preferences"');
    const anon = t.client();
    expect((await anon.get('/signin')).text).not.toContain('href="/settings/preferences"');
  });
});
