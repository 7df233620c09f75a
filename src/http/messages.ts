import { defineMessages } from '../i18n/define.ts';

/** The answers the HTTP layer gives on its own: the database unavailable, a body too large. */
export default defineMessages({
  en: {
    'error.unavailable.title': 'Temporarily unavailable',
    'error.unavailable.body': 'partnerdesk cannot reach its database right now, so nothing was changed. Please try again in a minute.',
    'error.tooLarge.title': 'Too much data',
    'error.tooLarge.body': 'What was sent is larger than this form accepts. Go back, shorten it and try again.',
  },
  pl: {
    'error.unavailable.title': 'Chwilowo niedostępne',
    'error.unavailable.body': 'partnerdesk nie może teraz połączyć się ze swoją bazą danych, więc niczego nie zmieniono. Spróbuj ponownie za minutę.',
    'error.tooLarge.title': 'Za dużo danych',
    'error.tooLarge.body': 'Przesłane dane są większe, niż przyjmuje ten formularz. Wróć, skróć je i spróbuj ponownie.',
  },
  zh: {
    'error.unavailable.title': '暂时无法使用',
    'error.unavailable.body': 'partnerdesk 目前无法连接其数据库，因此未做任何更改。请一分钟后重试。',
    'error.tooLarge.title': '数据过多',
    'error.tooLarge.body': '提交的内容超出了此表单允许的大小。请返回，缩短后重试。',
  },
});
