import { defineMessages } from '../i18n/define.ts';

/** Suspending and resuming a partner's delegated admin (issue 24 §4): both sides' words and the mails. */
export default defineMessages({
  en: {
    'rel.suspend.badge': 'Suspended',
    'rel.suspend.button': 'Suspend',
    'rel.suspend.buttonOf': 'Suspend delegated admin of {partner}',
    'rel.suspend.resume': 'Resume',
    'rel.suspend.resumeOf': 'Resume delegated admin of {partner}',
    'rel.suspend.why.globalAdminOnly': 'Only a global admin can suspend or resume delegated admin.',
    'rel.suspend.title': 'Suspend delegated admin of {partner}?',
    'rel.suspend.intro':
      '{partner} will at once lose its delegated admin access ({roles}) to {customer}: every request it sends is refused until you resume it. Its roles and end date stay as they are; resuming needs no new authorization.',
    'rel.suspend.submit': 'Yes, suspend',
    'rel.suspend.done': 'Delegated admin is suspended: every request of this partner for your organization is refused until you resume it.',
    'rel.suspend.resumed': 'Delegated admin is resumed, with the same roles as before.',
    'rel.suspend.already': 'Delegated admin of {partner} is already suspended.',
    'rel.suspend.notSuspended': 'Delegated admin of {partner} is not suspended.',
    'rel.suspend.notActive': '{partner} has no active delegated admin relationship with {customer}: it has ended or expired.',
    'rel.suspend.refused.title': 'Access suspended',
    'rel.suspend.refused.body':
      '{customer} has suspended the access of {partner}. Until a global admin of {customer} resumes it, every request for {customer} is refused.',
    'rel.suspend.portal': '{customer} has suspended your delegated admin access. Its global admins can resume it.',
    'rel.suspend.mail.suspended.subject': 'Delegated admin suspended: {partner} for {customer}',
    'rel.suspend.mail.suspended.body':
      '{customer} has suspended the delegated admin access of {partner}. Until it is resumed, every request of {partner} for {customer} is refused. The roles and the end date stay as they are; resuming needs no new authorization.\n\nCustomer: Settings → Partner relationships. Partner: the partner portal.',
    'rel.suspend.mail.resumed.subject': 'Delegated admin resumed: {partner} for {customer}',
    'rel.suspend.mail.resumed.body':
      '{customer} has resumed the delegated admin access of {partner}, with the same roles and end date as before.\n\nCustomer: Settings → Partner relationships. Partner: the partner portal.',
  },
  pl: {
    'rel.suspend.badge': 'Zawieszona',
    'rel.suspend.button': 'Zawieś',
    'rel.suspend.buttonOf': 'Zawieś: administrator delegowany – {partner}',
    'rel.suspend.resume': 'Wznów',
    'rel.suspend.resumeOf': 'Wznów: administrator delegowany – {partner}',
    'rel.suspend.why.globalAdminOnly': 'Tylko administrator globalny może zawiesić lub wznowić dostęp administratora delegowanego.',
    'rel.suspend.title': 'Zawiesić dostęp administratora delegowanego firmy {partner}?',
    'rel.suspend.intro':
      'Firma {partner} natychmiast straci dostęp administratora delegowanego ({roles}) w organizacji {customer}: każde jej żądanie będzie odrzucane, dopóki go nie wznowisz. Role i data zakończenia pozostaną bez zmian; wznowienie nie wymaga nowej autoryzacji.',
    'rel.suspend.submit': 'Tak, zawieś',
    'rel.suspend.done':
      'Dostęp administratora delegowanego został zawieszony: każde żądanie tego partnera dla Twojej organizacji jest odrzucane, dopóki go nie wznowisz.',
    'rel.suspend.resumed': 'Dostęp administratora delegowanego został wznowiony, z tymi samymi rolami co wcześniej.',
    'rel.suspend.already': 'Dostęp administratora delegowanego firmy {partner} jest już zawieszony.',
    'rel.suspend.notSuspended': 'Dostęp administratora delegowanego firmy {partner} nie jest zawieszony.',
    'rel.suspend.notActive': 'Firma {partner} nie ma aktywnej relacji administratora delegowanego z organizacją {customer}: zakończyła się lub wygasła.',
    'rel.suspend.refused.title': 'Dostęp zawieszony',
    'rel.suspend.refused.body':
      'Organizacja {customer} zawiesiła dostęp firmy {partner}. Dopóki administrator globalny organizacji {customer} go nie wznowi, każde żądanie dla organizacji {customer} jest odrzucane.',
    'rel.suspend.portal': 'Organizacja {customer} zawiesiła Twój dostęp administratora delegowanego. Jej administratorzy globalni mogą go wznowić.',
    'rel.suspend.mail.suspended.subject': 'Administrator delegowany zawieszony: {partner} w organizacji {customer}',
    'rel.suspend.mail.suspended.body':
      'Organizacja {customer} zawiesiła dostęp administratora delegowanego firmy {partner}. Do czasu wznowienia każde żądanie firmy {partner} dla organizacji {customer} jest odrzucane. Role i data zakończenia pozostają bez zmian; wznowienie nie wymaga nowej autoryzacji.\n\nKlient: Ustawienia → Relacje partnerskie. Partner: portal partnera.',
    'rel.suspend.mail.resumed.subject': 'Administrator delegowany wznowiony: {partner} w organizacji {customer}',
    'rel.suspend.mail.resumed.body':
      'Organizacja {customer} wznowiła dostęp administratora delegowanego firmy {partner}, z tymi samymi rolami i datą zakończenia co wcześniej.\n\nKlient: Ustawienia → Relacje partnerskie. Partner: portal partnera.',
  },
  zh: {
    'rel.suspend.badge': '已暂停',
    'rel.suspend.button': '暂停',
    'rel.suspend.buttonOf': '暂停 {partner} 的委派管理员权限',
    'rel.suspend.resume': '恢复',
    'rel.suspend.resumeOf': '恢复 {partner} 的委派管理员权限',
    'rel.suspend.why.globalAdminOnly': '只有全局管理员才能暂停或恢复委派管理员权限。',
    'rel.suspend.title': '暂停 {partner} 的委派管理员权限？',
    'rel.suspend.intro':
      '{partner} 将立即失去在 {customer} 的委派管理员权限（{roles}）：在您恢复之前，其每个请求都会被拒绝。角色和结束日期保持不变；恢复无需新的授权。',
    'rel.suspend.submit': '是，暂停',
    'rel.suspend.done': '委派管理员权限已暂停：在您恢复之前，该合作伙伴针对您组织的每个请求都会被拒绝。',
    'rel.suspend.resumed': '委派管理员权限已恢复，角色与之前相同。',
    'rel.suspend.already': '{partner} 的委派管理员权限已处于暂停状态。',
    'rel.suspend.notSuspended': '{partner} 的委派管理员权限未被暂停。',
    'rel.suspend.notActive': '{partner} 与 {customer} 之间没有有效的委派管理员关系：已结束或已过期。',
    'rel.suspend.refused.title': '访问已暂停',
    'rel.suspend.refused.body': '{customer} 已暂停 {partner} 的访问权限。在 {customer} 的全局管理员恢复之前，针对 {customer} 的每个请求都会被拒绝。',
    'rel.suspend.portal': '{customer} 已暂停您的委派管理员权限。其全局管理员可以恢复。',
    'rel.suspend.mail.suspended.subject': '委派管理员权限已暂停：{partner}（{customer}）',
    'rel.suspend.mail.suspended.body':
      '{customer} 已暂停 {partner} 的委派管理员权限。在恢复之前，{partner} 针对 {customer} 的每个请求都会被拒绝。角色和结束日期保持不变；恢复无需新的授权。\n\n客户：设置 → 合作伙伴关系。合作伙伴：合作伙伴门户。',
    'rel.suspend.mail.resumed.subject': '委派管理员权限已恢复：{partner}（{customer}）',
    'rel.suspend.mail.resumed.body':
      '{customer} 已恢复 {partner} 的委派管理员权限，角色和结束日期与之前相同。\n\n客户：设置 → 合作伙伴关系。合作伙伴：合作伙伴门户。',
  },
});
