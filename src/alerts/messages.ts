import { defineMessages } from '../i18n/define.ts';

export default defineMessages({
  en: {
    'alerts.grants.subject': '{partner} created accounts or granted admin roles in {customer}',
    'alerts.grants.body':
      '{partner} {count, plural, one {created an account or granted an admin role} other {created accounts or granted admin roles # times}} in {customer} since {time} (UTC).\n\nSee what they did in the activity log: {activity}\n\nIf you did not expect this, suspend their delegated admin access at once: {suspend}\n',
    'alerts.resets.subject': '{partner} reset many passwords in {customer}',
    'alerts.resets.body':
      '{partner} reset {count, plural, one {# password} other {# passwords}} in {customer} within 10 minutes (more than {limit}), since {time} (UTC).\n\nSee whose passwords in the activity log: {activity}\n\nIf you did not expect this, suspend their delegated admin access at once: {suspend}\n',
  },
  pl: {
    'alerts.grants.subject': 'Partner {partner}: nowe konta lub role administratora w organizacji {customer}',
    'alerts.grants.body':
      'Partner {partner} {count, plural, one {utworzył konto lub nadał rolę administratora} few {# razy utworzył konta lub nadał role administratora} many {# razy utworzył konta lub nadał role administratora} other {# razy utworzył konta lub nadał role administratora}} w organizacji {customer} od {time} (UTC).\n\nZobacz te działania w dzienniku aktywności: {activity}\n\nJeśli się tego nie spodziewasz, natychmiast zawieś dostęp administratora delegowanego: {suspend}\n',
    'alerts.resets.subject': 'Partner {partner} zresetował wiele haseł w organizacji {customer}',
    'alerts.resets.body':
      'Partner {partner} zresetował w ciągu 10 minut {count, plural, one {# hasło} few {# hasła} many {# haseł} other {# hasła}} w organizacji {customer} (więcej niż {limit}), od {time} (UTC).\n\nZobacz w dzienniku aktywności, czyje to hasła: {activity}\n\nJeśli się tego nie spodziewasz, natychmiast zawieś dostęp administratora delegowanego: {suspend}\n',
  },
  zh: {
    'alerts.grants.subject': '{partner} 在 {customer} 中创建了账户或授予了管理员角色',
    'alerts.grants.body':
      '自 {time}（UTC）起，{partner} 在 {customer} 中{count, plural, other {共 # 次}}创建账户或授予管理员角色。\n\n在活动日志中查看这些操作：{activity}\n\n如果这不在您的预期之内，请立即暂停其委派管理员权限：{suspend}\n',
    'alerts.resets.subject': '{partner} 在 {customer} 中重置了大量密码',
    'alerts.resets.body':
      '自 {time}（UTC）起，{partner} 在 10 分钟内于 {customer} 中重置了 {count, plural, other {# 个}}密码（超过 {limit} 个）。\n\n在活动日志中查看是哪些人的密码：{activity}\n\n如果这不在您的预期之内，请立即暂停其委派管理员权限：{suspend}\n',
  },
});
