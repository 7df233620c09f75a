import { defineMessages } from '../i18n/define.ts';

export default defineMessages({
  en: {
    'mail.mailbox.title': 'Development mailbox',
    'mail.mailbox.intro': 'No SMTP_URL is set, so no e-mail leaves this instance. These are the e-mails it would have sent, newest first.',
    'mail.mailbox.empty': 'No e-mail yet.',
    'mail.mailbox.to': 'To',
    'mail.mailbox.written': 'Written',
    'mail.mailbox.older': 'Older e-mails',
  },
  pl: {
    'mail.mailbox.title': 'Skrzynka deweloperska',
    'mail.mailbox.intro':
      'Zmienna SMTP_URL nie jest ustawiona, więc żadna wiadomość nie opuszcza tej instancji. Oto wiadomości, które zostałyby wysłane, od najnowszych.',
    'mail.mailbox.empty': 'Nie ma jeszcze żadnych wiadomości.',
    'mail.mailbox.to': 'Do',
    'mail.mailbox.written': 'Utworzono',
    'mail.mailbox.older': 'Starsze wiadomości',
  },
  zh: {
    'mail.mailbox.title': '开发邮箱',
    'mail.mailbox.intro': '未设置 SMTP_URL，因此本实例不会发出任何电子邮件。以下是本应发送的电子邮件，最新的在前。',
    'mail.mailbox.empty': '还没有电子邮件。',
    'mail.mailbox.to': '收件人',
    'mail.mailbox.written': '写入时间',
    'mail.mailbox.older': '较早的电子邮件',
  },
});
