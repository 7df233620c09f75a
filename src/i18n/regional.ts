/**
 * What an organization's country/region says about its people until they choose for themselves:
 * their language and their time zone. One zone per country (the capital's, or the most populous
 * one's); a person elsewhere picks their own on the preferences page.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Locale } from './locales.ts';

const zones: Record<string, string> = {
  CN: 'Asia/Shanghai',
  HK: 'Asia/Hong_Kong',
  TW: 'Asia/Taipei',
  SG: 'Asia/Singapore',
  JP: 'Asia/Tokyo',
  KR: 'Asia/Seoul',
  IN: 'Asia/Kolkata',
  AU: 'Australia/Sydney',
  PL: 'Europe/Warsaw',
  DE: 'Europe/Berlin',
  FR: 'Europe/Paris',
  GB: 'Europe/London',
  US: 'America/New_York',
  CA: 'America/Toronto',
  BR: 'America/Sao_Paulo',
};

/** Simplified Chinese where it is the written language; Polish in Poland; English elsewhere. */
const languages: Record<string, Locale> = { CN: 'zh', SG: 'zh', PL: 'pl' };

export function countryTimeZone(country: string | null | undefined): string {
  return (country && zones[country]) || 'UTC';
}

export function countryLocale(country: string | null | undefined): Locale {
  return (country && languages[country]) || 'en';
}

let known: Set<string> | null = null;
/** An IANA name this runtime can format in (Intl.supportedValuesOf leaves out 'UTC' on some builds). */
export function isTimeZone(value: unknown): value is string {
  known ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
  return typeof value === 'string' && known.has(value);
}

/** The SQL twin of countryLocale, for languages decided inside a statement. */
export const countryLanguageSql = (country: SQL) =>
  sql`(case ${country} ${sql.raw(
    Object.entries(languages)
      .map(([c, l]) => `when '${c}' then '${l}'`)
      .join(' '),
  )} else 'en' end)`;
