import { describe, expect, it } from 'vitest';
import { parseLicenseCount, soldIn } from '../../src/purchase/purchase.rules.ts';

describe('license counts and where products are sold', () => {
  it.each([
    ['1', 1],
    ['100000', 100000],
    [' 25 ', 25],
  ])('accepts %j', (input, n) => expect(parseLicenseCount(input)).toBe(n));
  it.each(['0', '-5', '100001', '99999999999', '2.5', 'ten', ''])('refuses %j', (input) => expect(parseLicenseCount(input)).toBeNull());
  it('a product is sold only in its countries/regions', () => {
    expect(soldIn({ countries: ['PL'] }, 'PL')).toBe(true);
    expect(soldIn({ countries: ['PL'] }, 'CN')).toBe(false);
  });
});
