/** The e-mails of authorization links, as plain text in each recipient's language (see mail/outbox.ts). */
import type { Locale } from '../i18n/locales.ts';
import { localizedMail, type LocalizedMail } from '../mail/outbox.ts';
import type { I18n } from '../i18n/index.ts';
import { offerSummary, type Offer } from '../ui/offer-summary.tsx';

/** "- Delegated admin (…) for 180 days" lines: what the partner asks for and offers. */
const offerLines = (i: I18n, o: Offer) => offerSummary(i, o).map((l) => `- ${l}`);

/** The invitation to an address: in that account's language, else in the language the partner picked. */
export function invitationMail(p: {
  to: string;
  fallback: Locale;
  partnerName: string;
  offer: Offer;
  terms: string;
  url: string;
  expiresAt: Date;
}): LocalizedMail {
  return localizedMail(p.to, p.fallback, (i) => ({
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
  }));
}

/** One e-mail to the customer admin who accepted, one to the partner user who sent the link, each in their own language. */
export function acceptedMails(p: {
  fallback: Locale;
  customerEmail: string;
  partnerEmail: string;
  partnerOrgId: string;
  customerName: string;
  partnerName: string;
  granted: Offer;
  relationshipsUrl: string;
  portalUrl: string;
}): LocalizedMail[] {
  return [
    localizedMail(p.customerEmail, p.fallback, (i) => ({
      subject: i.t('links.mail.accepted.customer.subject', { partner: p.partnerName }),
      body: [
        i.t('links.mail.accepted.customer.intro', { partner: p.partnerName }),
        '',
        ...offerLines(i, p.granted),
        '',
        i.t('links.mail.accepted.customer.manage'),
        p.relationshipsUrl,
      ].join('\n'),
    })),
    localizedMail(
      p.partnerEmail,
      p.fallback,
      (i) => ({
        subject: i.t('links.mail.accepted.partner.subject', { customer: p.customerName }),
        body: [i.t('links.mail.accepted.partner.intro', { customer: p.customerName }), '', ...offerLines(i, p.granted), '', p.portalUrl].join('\n'),
      }),
      { recipientOrgId: p.partnerOrgId },
    ),
  ];
}
