/** The e-mails of authorization links, as plain text in the reader's language. */
import type { Mail } from '../mail/outbox.ts';
import type { I18n } from '../i18n/index.ts';
import type { Redeemable } from './invitations.queries.ts';
import { roleLabel } from './links.views.tsx';

/** What a link asks for and offers, as its e-mails state it. */
type Offer = Pick<Redeemable, 'offersDelegatedAdmin' | 'roles' | 'durationDays' | 'offersReseller' | 'offerKind' | 'offerQuantity'> & { productName: string | null };

/** "- Delegated admin (…) for 180 days" lines: what the partner asks for and offers. */
export function offerLines(i: I18n, o: Offer): string[] {
  const lines: string[] = [];
  if (o.offersDelegatedAdmin) {
    lines.push(i.t('links.summary.delegatedAdmin', { roles: o.roles.map((r) => i.t(roleLabel[r] ?? 'links.role.users')).join(', '), days: o.durationDays ?? 0 }));
  }
  if (o.offersReseller) lines.push(i.t('links.offer.reseller'));
  if (o.offerKind && o.productName) {
    lines.push(i.t(o.offerKind === 'trial' ? 'links.summary.trial' : 'links.summary.purchase', { product: o.productName, quantity: o.offerQuantity ?? 1 }));
  }
  return lines.map((l) => `- ${l}`);
}

export function invitationMail(i: I18n, p: { to: string; partnerName: string; offer: Offer; terms: string; url: string; expiresAt: Date }): Mail {
  return {
    to: p.to,
    subject: i.t('links.mail.invitation.subject', { partner: p.partnerName }),
    body: [
      i.t('links.mail.invitation.intro', { partner: p.partnerName }),
      '',
      ...offerLines(i, p.offer),
      '',
      i.t('links.mail.invitation.terms'),
      p.terms,
      '',
      i.t('links.mail.invitation.open', { date: i.date(p.expiresAt) }),
      p.url,
      '',
      i.t('links.mail.invitation.ignore'),
    ].join('\n'),
  };
}

/** One e-mail to the customer admin who accepted, one to the partner user who sent the link. */
export function acceptedMails(
  i: I18n,
  p: { customerEmail: string; partnerEmail: string; customerName: string; partnerName: string; granted: Offer; relationshipsUrl: string; portalUrl: string },
): Mail[] {
  const lines = offerLines(i, p.granted);
  return [
    {
      to: p.customerEmail,
      subject: i.t('links.mail.accepted.customer.subject', { partner: p.partnerName }),
      body: [i.t('links.mail.accepted.customer.intro', { partner: p.partnerName }), '', ...lines, '', i.t('links.mail.accepted.customer.manage'), p.relationshipsUrl].join('\n'),
    },
    {
      to: p.partnerEmail,
      subject: i.t('links.mail.accepted.partner.subject', { customer: p.customerName }),
      body: [i.t('links.mail.accepted.partner.intro', { customer: p.customerName }), '', ...lines, '', p.portalUrl].join('\n'),
    },
  ];
}
