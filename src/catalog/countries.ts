import type { Locale } from '../i18n/locales.ts';
import { intlTag } from '../i18n/locales.ts';

/** The countries/regions where partnerdesk sells, ISO 3166-1 alpha-2. */
export const countryCodes = ['CN', 'HK', 'TW', 'SG', 'JP', 'KR', 'IN', 'AU', 'PL', 'DE', 'FR', 'GB', 'US', 'CA', 'BR'] as const;
export type CountryCode = (typeof countryCodes)[number];

export function isCountryCode(value: unknown): value is CountryCode {
  return typeof value === 'string' && (countryCodes as readonly string[]).includes(value);
}

const names = new Map<Locale, Intl.DisplayNames>();
export function countryName(locale: Locale, code: string): string {
  let dn = names.get(locale);
  if (!dn) names.set(locale, (dn = new Intl.DisplayNames([intlTag[locale]], { type: 'region' })));
  return dn.of(code) ?? code;
}
