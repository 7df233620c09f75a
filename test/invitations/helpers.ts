import { count, desc, eq, isNotNull } from 'drizzle-orm';
import * as s from '../../src/db/schema.ts';
import type { TestApp } from '../support/app.ts';
import { signUpAndVerify } from '../support/verification.ts';

export const linkForm = (over: Record<string, string | string[]> = {}) => ({
  offerDelegatedAdmin: 'yes',
  roles: ['users', 'passwords'],
  durationDays: '90',
  offerReseller: 'yes',
  offerKind: 'trial',
  productId: 'business-premium',
  quantity: '5',
  terms: 'We answer within one business day.',
  email: 'admin@contoso.example',
  // The language for an address with no account (left empty: the partner person's own language).
  mailLocale: 'en',
  validDays: '30',
  ...over,
});

/** The token as the customer receives it: read from the e-mail in the outbox. */
export function tokenFromMail(body: string): string {
  const m = /\/authorize\/([a-z2-7]{32})/.exec(body);
  if (!m) throw new Error(`no link in mail: ${body}`);
  return m[1];
}

/** A partner user creates a link through the portal; returns its token (from the e-mail) and id. */
export async function createLinkAs(t: TestApp, partnerEmail: string, over: Record<string, string | string[]> = {}) {
  const partner = await t.signedIn(partnerEmail);
  const res = await partner.post('/portal/links', linkForm(over));
  if (res.status !== 303) throw new Error(`create link failed: ${res.status} ${res.text.slice(0, 500)}`);
  const [mail] = await t.db.select().from(s.outbox).orderBy(desc(s.outbox.id)).limit(1);
  const [link] = await t.db.select().from(s.invitations).orderBy(desc(s.invitations.createdAt)).limit(1);
  return { token: tokenFromMail(mail.body), id: link.id, mail, partner };
}

export async function relationshipsOf(t: TestApp, orgId: string) {
  return t.db.select().from(s.partnerRelationships).where(eq(s.partnerRelationships.orgId, orgId));
}

/** Everything an accepted link could have written, to prove a refused one wrote nothing. */
export async function snapshot(t: TestApp) {
  const [rel] = await t.db.select({ n: count() }).from(s.partnerRelationships);
  const [subs] = await t.db.select({ n: count() }).from(s.subscriptions);
  const [audit] = await t.db.select({ n: count() }).from(s.auditLog).where(eq(s.auditLog.action, 'invitation.accepted'));
  const [mail] = await t.db.select({ n: count() }).from(s.outbox);
  const accepted = await t.db.select({ id: s.invitations.id }).from(s.invitations).where(isNotNull(s.invitations.acceptedAt));
  return { rel: rel.n, subs: subs.n, audit: audit.n, mail: mail.n, accepted: accepted.length };
}

/** A new customer with its own global admin (no relationships yet), signed in. */
export async function newCustomer(t: TestApp, email: string, country = 'PL') {
  const c = t.client();
  await signUpAndVerify(t.db, c, { orgName: `Org of ${email}`, country, name: 'Nina New', email, password: 'a-long-enough-password' });
  const [user] = await t.db.select().from(s.users).where(eq(s.users.email, email));
  return { client: c, orgId: user.orgId, userId: user.id };
}
