/**
 * Which currency an organization is billed in follows from its country/region (fixed at sign-up). The
 * catalog has its own price list per currency (table product_prices): a price is always one set in that
 * currency, never a conversion. Countries without a local price list of their own are billed in US dollars.
 */
export const currencies = ['CNY', 'PLN', 'EUR', 'USD'] as const;
export type Currency = (typeof currencies)[number];

export const currencyByCountry: Readonly<Record<string, Currency>> = { CN: 'CNY', PL: 'PLN', DE: 'EUR', FR: 'EUR' };

export function currencyFor(country: string): Currency {
  return currencyByCountry[country] ?? 'USD';
}
