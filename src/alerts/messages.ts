import { defineMessages } from '../i18n/define.ts';

export default defineMessages({
  en: {
    'alerts.grants.subject': '{partner} created accounts or granted admin roles in {customer}',
    'alerts.grants.body':
      '{partner} {count, plural, one {created an account or granted an admin role} other {created accounts or granted admin roles # times}} in {customer} since {time} (UTC).\n\nSee what they did in the activity log: {activity}\n\nIf you did not expect this, suspend their delegated admin access at once: {suspend}\n',
    'alerts.resets.subject': '{partner} reset many passwords in {customer}',
    'alerts.resets.body':
      '{partner} reset {count, plural, one {# password} other {# passwords}} in {customer} within 10 minutes (more than {limit}), since {time} (UTC).\n\nSee whose passwords in the activity log: {activity}\n\nIf you did not expect this, suspend their delegated admin access at once: {suspend}\n',
    'alerts.overdue.subject': '{partner} acts in {customer} while an access review is overdue',
    'alerts.overdue.body':
      '{partner} {count, plural, one {acted} other {acted # times}} in {customer} since {time} (UTC), while the access review of its delegated admin is overdue.\n\nAnswer the review: {review}\n\nSee what they did in the activity log: {activity}\n\nIf you did not expect this, suspend their delegated admin access at once: {suspend}\n',
    'alerts.settings.title': 'Alerts',
    'alerts.settings.intro':
      'Your global admins get a mail when a partner creates an account or grants an admin role, acts while an access review is overdue, or resets many passwords within 10 minutes.',
    'alerts.settings.resetLimit': 'Alert when a partner resets more than this many passwords within 10 minutes',
    'alerts.settings.resetLimitHint': 'A whole number from 1 to 100. The default is 5.',
    'alerts.settings.invalid': 'Enter a whole number from 1 to 100.',
    'alerts.settings.save': 'Save',
    'alerts.settings.saved': 'Alert settings saved.',
    'activity.sentence.organization.alerts.reset_limit_changed': '{who} set the password-reset alert to more than {limit} within 10 minutes.',
  },
  pl: {
    'alerts.grants.subject': 'Partner {partner}: nowe konta lub role administratora w organizacji {customer}',
    'alerts.grants.body':
      'Partner {partner} {count, plural, one {utworzył konto lub nadał rolę administratora} few {# razy utworzył konta lub nadał role administratora} many {# razy utworzył konta lub nadał role administratora} other {# razy utworzył konta lub nadał role administratora}} w organizacji {customer} od {time} (UTC).\n\nZobacz te działania w dzienniku aktywności: {activity}\n\nJeśli się tego nie spodziewasz, natychmiast zawieś dostęp administratora delegowanego: {suspend}\n',
    'alerts.resets.subject': 'Partner {partner} zresetował wiele haseł w organizacji {customer}',
    'alerts.resets.body':
      'Partner {partner} zresetował w ciągu 10 minut {count, plural, one {# hasło} few {# hasła} many {# haseł} other {# hasła}} w organizacji {customer} (więcej niż {limit}), od {time} (UTC).\n\nZobacz w dzienniku aktywności, czyje to hasła: {activity}\n\nJeśli się tego nie spodziewasz, natychmiast zawieś dostęp administratora delegowanego: {suspend}\n',
    'alerts.overdue.subject': 'Partner {partner} działa w organizacji {customer}, choć przegląd dostępu jest zaległy',
    'alerts.overdue.body':
      'Partner {partner} {count, plural, one {wykonał działanie} few {wykonał # działania} many {wykonał # działań} other {wykonał # działania}} w organizacji {customer} od {time} (UTC), choć przegląd dostępu jego administratora delegowanego jest zaległy.\n\nOdpowiedz na przegląd: {review}\n\nZobacz te działania w dzienniku aktywności: {activity}\n\nJeśli się tego nie spodziewasz, natychmiast zawieś dostęp administratora delegowanego: {suspend}\n',
    'alerts.settings.title': 'Alerty',
    'alerts.settings.intro':
      'Administratorzy globalni dostają e-mail, gdy partner utworzy konto lub nada rolę administratora, działa mimo zaległego przeglądu dostępu albo zresetuje wiele haseł w ciągu 10 minut.',
    'alerts.settings.resetLimit': 'Alert, gdy partner zresetuje w ciągu 10 minut więcej haseł niż',
    'alerts.settings.resetLimitHint': 'Liczba całkowita od 1 do 100. Domyślnie 5.',
    'alerts.settings.invalid': 'Wpisz liczbę całkowitą od 1 do 100.',
    'alerts.settings.save': 'Zapisz',
    'alerts.settings.saved': 'Zapisano ustawienia alertów.',
    'activity.sentence.organization.alerts.reset_limit_changed': '{who}: ustawiono alert o resetowaniu haseł na więcej niż {limit} w ciągu 10 minut.',
  },
  zh: {
    'alerts.grants.subject': '{partner} 在 {customer} 中创建了账户或授予了管理员角色',
    'alerts.grants.body':
      '自 {time}（UTC）起，{partner} 在 {customer} 中{count, plural, other {共 # 次}}创建账户或授予管理员角色。\n\n在活动日志中查看这些操作：{activity}\n\n如果这不在您的预期之内，请立即暂停其委派管理员权限：{suspend}\n',
    'alerts.resets.subject': '{partner} 在 {customer} 中重置了大量密码',
    'alerts.resets.body':
      '自 {time}（UTC）起，{partner} 在 10 分钟内于 {customer} 中重置了 {count, plural, other {# 个}}密码（超过 {limit} 个）。\n\n在活动日志中查看是哪些人的密码：{activity}\n\n如果这不在您的预期之内，请立即暂停其委派管理员权限：{suspend}\n',
    'alerts.overdue.subject': '{partner} 在访问审查逾期期间于 {customer} 中执行了操作',
    'alerts.overdue.body':
      '自 {time}（UTC）起，{partner} 在 {customer} 中{count, plural, other {执行了 # 次操作}}，而其委派管理员的访问审查已逾期。\n\n答复审查：{review}\n\n在活动日志中查看这些操作：{activity}\n\n如果这不在您的预期之内，请立即暂停其委派管理员权限：{suspend}\n',
    'alerts.settings.title': '警报',
    'alerts.settings.intro': '当合作伙伴创建账户或授予管理员角色、在访问审查逾期期间执行操作，或在 10 分钟内重置大量密码时，您的全局管理员会收到邮件。',
    'alerts.settings.resetLimit': '合作伙伴在 10 分钟内重置的密码超过此数量时发出警报',
    'alerts.settings.resetLimitHint': '1 到 100 之间的整数。默认为 5。',
    'alerts.settings.invalid': '请输入 1 到 100 之间的整数。',
    'alerts.settings.save': '保存',
    'alerts.settings.saved': '警报设置已保存。',
    'activity.sentence.organization.alerts.reset_limit_changed': '{who} 将密码重置警报设置为 10 分钟内超过 {limit} 个。',
  },
});
