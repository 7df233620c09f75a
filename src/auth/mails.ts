/** The e-mails of sign-up, as plain text in the language the person used. */
import type { I18n } from '../i18n/index.ts';
import type { Mail } from '../mail/outbox.ts';

export function verificationMail(i: I18n, p: { to: string; name: string; url: string; expiresAt: Date }): Mail {
  return {
    to: p.to,
    subject: i.t('auth.mail.verify.subject'),
    body: [i.t('auth.mail.verify.intro', { name: p.name, date: i.date(p.expiresAt) }), '', p.url, '', i.t('auth.mail.verify.ignore')].join('\n'),
  };
}

/** At most one an hour per address: the dedupe key carries the hour, so sign-up cannot be used to flood an inbox. */
export function signUpTakenMail(i: I18n, p: { to: string; signInUrl: string; now: Date }): Mail {
  return {
    to: p.to,
    subject: i.t('auth.mail.taken.subject'),
    body: [i.t('auth.mail.taken.intro'), '', p.signInUrl, '', i.t('auth.mail.taken.ignore')].join('\n'),
    dedupeKey: `signup-taken:${p.to.toLowerCase()}:${Math.floor(p.now.getTime() / 3_600_000)}`,
  };
}
