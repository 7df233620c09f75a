import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../src/db/schema.ts';
import { hashToken } from '../../src/auth/session.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { createLinkAs, linkForm } from './helpers.ts';
import { DAY } from '../../src/time.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe('authorization links in the partner portal', () => {
  it('a partner admin creates a link: it is e-mailed, shown once to copy, and only its hash is stored', async () => {
    const partner = await t.signedIn(t.fx.emails.partner);
    const res = await partner.post('/portal/links', linkForm({ email: 'Admin@Contoso.example' }));
    expect(res.status).toBe(303);
    const page = await partner.get(res.location!);
    // Shown whole in its field; <wbr> marks where it may wrap.
    const shown = /<code class="token" id="new-link">(http\S+\/authorize\/([a-z2-7]{32}))<\/code>/.exec(page.text.replace(/<wbr\/>/g, ''));
    expect(shown).not.toBeNull();
    const token = shown![2];
    expect(page.text).toContain('The authorization link was created and e-mailed.');
    expect(page.queries).toBeLessThanOrEqual(3);

    const [link] = await t.db
      .select()
      .from(s.invitations)
      .where(eq(s.invitations.tokenHash, hashToken(token)));
    expect(link).toMatchObject({
      email: 'admin@contoso.example',
      offersDelegatedAdmin: true,
      roles: ['users', 'passwords'],
      durationDays: 90,
      offersReseller: true,
      offerKind: 'trial',
      offerProductId: 'business-premium',
      offerQuantity: 5,
      partnerOrgId: t.fx.northwind,
    });
    expect(link.expiresAt.getTime() - t.clock.now.getTime()).toBeGreaterThan(29 * DAY);
    const stored = JSON.stringify(await t.db.select().from(s.invitations));
    expect(stored).not.toContain(token);

    const mails = await t.db.select().from(s.outbox).where(eq(s.outbox.toAddress, 'admin@contoso.example'));
    const mail = mails.find((m) => m.body.includes(token))!;
    // To an existing account: its language (Contoso's admin has chosen none; Contoso is in Poland), not the partner's.
    expect(mail.subject).toBe('Northwind Traders chce zostać Twoim partnerem');
    expect(mail.body).toContain(`http://localhost:3000/authorize/${token}`);
    expect(mail.body).toContain('We answer within one business day.');
    const [audit] = await t.db
      .select()
      .from(s.auditLog)
      .where(and(eq(s.auditLog.action, 'invitation.created'), eq(s.auditLog.targetId, link.id)));
    expect(audit.partnerOrgId).toBe(t.fx.northwind);

    // Shown once: the next visit lists the link but no longer shows it.
    const again = await partner.get('/portal/links');
    expect(again.text).not.toContain(token);
    expect(again.text).toContain('admin@contoso.example');
  });

  it('a partner agent may create links too', async () => {
    const { id } = await createLinkAs(t, t.fx.emails.partnerAgent, { email: 'someone@example.com', offerKind: '', offerReseller: '' });
    const [link] = await t.db.select().from(s.invitations).where(eq(s.invitations.id, id));
    expect(link.offerKind).toBeNull();
    expect(link.offersReseller).toBe(false);
  });

  it("the e-mail's language defaults to the partner person's own, not their country's, unless they choose another", async () => {
    const agent = await t.signedIn(t.fx.emails.partnerAgent);
    // Northwind is in China; Pat the agent reads partnerdesk in Polish.
    expect((await agent.post('/language', { locale: 'pl', back: '/portal/links' })).status).toBe(303);
    try {
      const page = await agent.get('/portal/links');
      const select = /<select id="f-mailLocale"[\s\S]*?<\/select>/.exec(page.text)![0];
      expect(select).toContain('<option value="pl" lang="pl" selected="">Polski</option>');
      expect(select).not.toMatch(/value="zh"[^>]*selected/);
      // Left as it is (and even left out), the mail to an address with no account is in Polish.
      expect((await agent.post('/portal/links', linkForm({ email: 'nobody-yet@example.pl', mailLocale: '' }))).status).toBe(303);
      const [mail] = await t.db.select().from(s.outbox).where(eq(s.outbox.toAddress, 'nobody-yet@example.pl'));
      expect(mail.subject).toBe('Northwind Traders chce zostać Twoim partnerem');
      // Chosen, another language wins.
      expect((await agent.post('/portal/links', linkForm({ email: 'nobody-yet@example.cn', mailLocale: 'zh' }))).status).toBe(303);
      const [chinese] = await t.db.select().from(s.outbox).where(eq(s.outbox.toAddress, 'nobody-yet@example.cn'));
      expect(chinese.subject).not.toBe(mail.subject);
      expect(chinese.subject).toMatch(/Northwind Traders/);
      expect(chinese.subject).toMatch(/[\u4e00-\u9fff]/);
    } finally {
      await t.db.update(s.users).set({ locale: null }).where(eq(s.users.email, t.fx.emails.partnerAgent));
    }
  });

  it('with "No offer" the product and licenses fields are ignored, even when they hold something (as they do without CSS)', async () => {
    const { id } = await createLinkAs(t, t.fx.emails.partner, { email: 'nooffer@example.com', offerKind: '', productId: 'no-such-product', quantity: '-5' });
    const [link] = await t.db.select().from(s.invitations).where(eq(s.invitations.id, id));
    expect(link).toMatchObject({ offerKind: null, offerProductId: null, offerQuantity: null });
  });

  it('the offer fields sit in one block that the stylesheet hides while "No offer" is chosen', async () => {
    const page = await (await t.signedIn(t.fx.emails.partner)).get('/portal/links');
    const block = /<div class="offer-fields">([\s\S]*?)<\/div>\s*<\/fieldset>/.exec(page.text);
    expect(block?.[1]).toContain('name="productId"');
    expect(block?.[1]).toContain('name="quantity"');
    expect(page.text).toMatch(/<input type="radio" name="offerKind" value="" checked/);
    // The rule as written, whatever its formatting: quotes and white space aside.
    const css = readFileSync(resolve('public/app.css'), 'utf8').replace(/['"\s]/g, '');
    expect(css).toContain('form:has(input[name=offerKind][value=]:checked).offer-fields{display:none');
  });

  it('a form with mistakes comes back with its messages, keeps what was typed and writes nothing', async () => {
    const partner = await t.signedIn(t.fx.emails.partner);
    const [{ n: before }] = await t.db.select({ n: count() }).from(s.invitations);
    const [{ n: mailsBefore }] = await t.db.select({ n: count() }).from(s.outbox);
    const res = await partner.post(
      '/portal/links',
      linkForm({ offerDelegatedAdmin: '', offerReseller: '', email: 'not-an-email', quantity: '-3', terms: 'Keep me' }),
    );
    expect(res.status).toBe(422);
    expect(res.text).toContain('Choose delegated admin, reseller or both.');
    expect(res.text).toContain('Enter the customer&#39;s e-mail address.');
    expect(res.text).toContain('Enter a number of licenses from 1 to 10000.');
    expect(res.text).toContain('value="not-an-email"');
    expect(res.text).toContain('Keep me');
    const noTrial = await partner.post('/portal/links', linkForm({ productId: 'enterprise-e1' }));
    expect(noTrial.status).toBe(422);
    expect(noTrial.text).toContain('This product has no trial.');
    const [{ n: after }] = await t.db.select({ n: count() }).from(s.invitations);
    const [{ n: mailsAfter }] = await t.db.select({ n: count() }).from(s.outbox);
    expect(after).toBe(before);
    expect(mailsAfter).toBe(mailsBefore);
  });

  it('with htmx, creating answers only the links section with the new link to copy', async () => {
    const partner = await t.signedIn(t.fx.emails.partner);
    const res = await partner.post('/portal/links', linkForm({ email: 'htmx@example.com' }), { 'hx-request': 'true', 'hx-request-type': 'partial' });
    expect(res.status).toBe(200);
    expect(res.text.startsWith('<section id="links">')).toBe(true);
    expect(res.text).not.toContain('<html');
    expect(res.text).toMatch(/\/authorize\/[a-z2-7]{32}/);
    expect(res.text).toContain('htmx@example.com');
    expect(res.queries).toBeLessThanOrEqual(3);
  });

  it('lists each link with its state: sent, accepted, expired, revoked', async () => {
    const revoked = await createLinkAs(t, t.fx.emails.partner, { email: 'revoked@example.com' });
    const expired = await createLinkAs(t, t.fx.emails.partner, { email: 'expired@example.com', validDays: '1' });
    await createLinkAs(t, t.fx.emails.partner, { email: 'sent@example.com' });
    await t.db.update(s.invitations).set({ revokedAt: t.clock.now }).where(eq(s.invitations.id, revoked.id));
    await t.db
      .update(s.invitations)
      .set({ expiresAt: new Date(t.clock.now.getTime() - 1000) })
      .where(eq(s.invitations.id, expired.id));
    const accepted = await createLinkAs(t, t.fx.emails.partner, { email: 'accepted@example.com' });
    await t.db.update(s.invitations).set({ acceptedAt: t.clock.now, acceptedOrgId: t.fx.fabrikam }).where(eq(s.invitations.id, accepted.id));

    const page = await (await t.signedIn(t.fx.emails.partner)).get('/portal/links');
    const stateOf = (email: string) => new RegExp(`${email}</td>.*?class="badge">([A-Za-z]+)<`, 's').exec(page.text)?.[1];
    expect(stateOf('revoked@example.com')).toBe('Revoked');
    expect(stateOf('expired@example.com')).toBe('Expired');
    expect(stateOf('sent@example.com')).toBe('Sent');
    expect(stateOf('accepted@example.com')).toBe('Accepted');
    expect(page.text).toContain('Fabrikam Ltd.');
  });

  it('pages through many links newest first with the same number of queries on every page', async () => {
    const [creator] = await t.db.select().from(s.users).where(eq(s.users.email, 'partner@adatum.example'));
    const base = Date.now() - 1000 * DAY;
    await t.db.insert(s.invitations).values(
      Array.from({ length: 45 }, (_, i) => ({
        partnerOrgId: t.fx.adatum,
        createdByUserId: creator.id,
        tokenHash: `seeded-${i}`,
        email: `customer-${String(i).padStart(2, '0')}@example.com`,
        offersDelegatedAdmin: false,
        offersReseller: true,
        terms: 'x',
        expiresAt: new Date(base + 40 * DAY),
        createdAt: new Date(base + i * 60_000),
      })),
    );
    const partner = await t.signedIn('partner@adatum.example');
    const seen: string[] = [];
    let url: string | null = '/portal/links';
    const queries: number[] = [];
    while (url) {
      const res = await partner.get(url);
      expect(res.status).toBe(200);
      queries.push(res.queries);
      seen.push(...[...res.text.matchAll(/<td[^>]*>(customer-\d\d@example\.com)<\/td>/g)].map((m) => m[1]));
      const next = /href="(\/portal\/links\?after=[^"]+)"/.exec(res.text)?.[1];
      url = next ? next.replace(/&amp;/g, '&') : null;
    }
    expect(seen).toHaveLength(45);
    expect(seen[0]).toBe('customer-44@example.com');
    expect(seen.at(-1)).toBe('customer-00@example.com');
    expect(new Set(seen).size).toBe(45);
    expect(queries).toHaveLength(3);
    expect(Math.max(...queries)).toBeLessThanOrEqual(3);
    expect(new Set(queries).size).toBe(1);
    // Adatum sees only its own links.
    const own = await partner.get('/portal/links');
    expect(own.text).not.toContain('sent@example.com');
  });

  it('the links page fits the first round trip', async () => {
    const res = await (await t.signedIn(t.fx.emails.partner)).get('/portal/links');
    expect(gzipSync(res.text).length).toBeLessThanOrEqual(14 * 1024);
  });

  it('revoking a link ends it (audited); another partner cannot revoke it', async () => {
    const { id, token, partner } = await createLinkAs(t, t.fx.emails.partner, { email: 'torevoke@example.com' });
    const adatum = await t.signedIn('partner@adatum.example');
    expect((await adatum.post(`/portal/links/${id}/revoke`)).status).toBe(404);
    const [still] = await t.db.select().from(s.invitations).where(eq(s.invitations.id, id));
    expect(still.revokedAt).toBeNull();

    const res = await partner.post(`/portal/links/${id}/revoke`, {}, { 'hx-request': 'true', 'hx-request-type': 'partial' });
    expect(res.status).toBe(200);
    expect(res.text.startsWith(`<tr id="link-${id}">`)).toBe(true);
    expect(res.text).toContain('Revoked');
    const [row] = await t.db.select().from(s.invitations).where(eq(s.invitations.id, id));
    expect(row.revokedAt).not.toBeNull();
    const audits = await t.db
      .select()
      .from(s.auditLog)
      .where(and(eq(s.auditLog.action, 'invitation.revoked'), eq(s.auditLog.targetId, id)));
    expect(audits).toHaveLength(1);
    // A second revoke changes nothing and says so.
    const again = await partner.post(`/portal/links/${id}/revoke`);
    expect(again.status).toBe(303);
    expect(
      (
        await t.db
          .select()
          .from(s.auditLog)
          .where(and(eq(s.auditLog.action, 'invitation.revoked'), eq(s.auditLog.targetId, id)))
      ).length,
    ).toBe(1);
    expect((await t.client().get(`/authorize/${token}`)).status).toBe(410);
  });
});
