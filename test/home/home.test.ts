import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('home', () => {
  it('shows a signed-in person the licenses assigned to them', async () => {
    const admin = await (await t.signedIn(t.fx.emails.global)).get('/');
    expect(admin.text).toContain('Your licenses');
    expect(admin.text).toContain('Business Standard');
    const user = await (await t.signedIn(t.fx.emails.user)).get('/');
    expect(user.text).toContain('You have no licenses assigned yet.');
    expect(admin.text).toContain('This is your admin center');
    expect(user.text).not.toContain('This is your admin center');
  });
});
