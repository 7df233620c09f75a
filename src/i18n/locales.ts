export const locales = ['en', 'pl', 'zh'] as const;
export type Locale = (typeof locales)[number];
export const localeNames: Record<Locale, string> = { en: 'English', pl: 'Polski', zh: '简体中文' };
/** BCP 47 tags for Intl. */
export const intlTag: Record<Locale, string> = { en: 'en-US', pl: 'pl-PL', zh: 'zh-CN' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** The cookie wins; otherwise the best Accept-Language match by q-value; otherwise English. */
export function negotiateLocale(acceptLanguage: string | undefined, cookie: string | undefined): Locale {
  if (isLocale(cookie)) return cookie;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag, q: q ? Number(q.slice(2)) : 1, i };
    })
    .filter((e) => e.tag && e.q > 0 && !Number.isNaN(e.q))
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    const base = tag.split('-')[0];
    if (isLocale(base)) return base;
  }
  return 'en';
}
