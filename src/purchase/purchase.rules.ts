/** Pure decisions of the purchase wizard: what may be typed and what may be bought where. */

/** License counts a person may type: a whole number from 1 to 100,000 (the database holds the same bound). */
export const MAX_LICENSES = 100_000;
export function parseLicenseCount(input: string): number | null {
  const value = input.trim();
  if (!/^[0-9]{1,7}$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 && n <= MAX_LICENSES ? n : null;
}

/** A product may be bought only where it is sold. */
export function soldIn(product: { countries: string[] }, country: string): boolean {
  return product.countries.includes(country);
}
