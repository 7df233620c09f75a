import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueMail } from '../../src/mail/outbox.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  const e = t.fx.emails;
  await enqueueMail(
    t.db,
    { to: e.global, subject: 'For Contoso admin', body: 'secret link contoso-admin' },
    { to: e.user, subject: 'For Contoso user', body: 'secret link contoso-user' },
    { to: e.otherOrg.toUpperCase(), subject: 'For Fabrikam admin', body: 'secret link fabrikam' },
    { to: e.partner, subject: 'For Northwind admin', body: 'secret link northwind-admin' },
    { to: e.partnerAgent, subject: 'For Northwind agent', body: 'secret link northwind-agent' },
    { to: 'stranger@example.com', subject: 'For a stranger', body: 'secret link stranger' },
  );
});
afterAll(() => t?.close());

const subjectsSeenBy = async (email: string) => {
  const res = await (await t.signedIn(email)).get('/dev/mailbox');
  expect(res.status).toBe(200);
  return [...res.text.matchAll(/<h2>(For [^<]+)<\/h2>/g)].map((m) => m[1]).sort();
};

describe('the development mailbox', () => {
  it("shows a customer's people only the mail addressed to them, never another organization's", async () => {
    expect(await subjectsSeenBy(t.fx.emails.global)).toEqual(['For Contoso admin']);
    expect(await subjectsSeenBy(t.fx.emails.user)).toEqual(['For Contoso user']);
    expect(await subjectsSeenBy(t.fx.emails.otherOrg)).toEqual(['For Fabrikam admin']);
  });

  it("shows a partner admin the mail of their partner organization's people, and an agent only their own", async () => {
    expect(await subjectsSeenBy(t.fx.emails.partner)).toEqual(['For Northwind admin', 'For Northwind agent']);
    expect(await subjectsSeenBy(t.fx.emails.partnerAgent)).toEqual(['For Northwind agent']);
  });

  it("makes the app's own links in a mail links, and leaves any other address as text", async () => {
    await enqueueMail(t.db, {
      to: t.fx.emails.user,
      subject: 'For Contoso user: confirm',
      body: 'Confirm: http://localhost:3000/verify-email/confirm?token=abc\nNot ours: https://evil.example/x',
    });
    const res = await (await t.signedIn(t.fx.emails.user)).get('/dev/mailbox');
    expect(res.text).toContain('<a href="http://localhost:3000/verify-email/confirm?token=abc">http://localhost:3000/verify-email/confirm?token=abc</a>');
    expect(res.text).not.toContain('<a href="https://evil.example');
  });

  it('asks a signed-out visitor to sign in and shows nothing', async () => {
    const res = await t.client().get('/dev/mailbox');
    expect(res.location).toBe('/signin?next=%2Fdev%2Fmailbox');
    expect(res.text).not.toContain('secret link');
  });

  it('pages with a bad or huge cursor without an error', async () => {
    const client = await t.signedIn(t.fx.emails.global);
    expect((await client.get('/dev/mailbox?before=99999999999999999999999')).status).toBe(400);
    expect((await client.get('/dev/mailbox?before=1')).text).not.toContain('For Contoso admin');
  });
});
