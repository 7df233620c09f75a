import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { signUpAndVerify } from '../support/verification.ts';

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

  it("gives a new organization's admin its next steps, and drops each once done", async () => {
    const client = t.client();
    await signUpAndVerify(t.db, client, {
      orgName: 'Tailspin New',
      country: 'PL',
      name: 'Nina New',
      email: 'nina@tailspin-new.example',
      password: 'a-long-enough-password',
    });
    const page = await client.get('/');
    expect(page.queries).toBeLessThanOrEqual(3);
    for (const [href, label] of [
      ['/purchase', 'Buy a subscription'],
      ['/partners', 'Find a partner'],
      ['/users/new', 'Add users'],
      ['/domains', 'Verify a domain'],
    ])
      expect(page.text).toContain(`<a href="${href}">${label}</a>`);
    // Contoso has bought, has partners, people and a domain of its own: no steps left.
    const contoso = await (await t.signedIn(t.fx.emails.global)).get('/');
    expect(contoso.text).not.toContain('Next steps');
  });
});
