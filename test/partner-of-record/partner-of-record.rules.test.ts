import { describe, expect, it } from 'vitest';
import {
  canRemovePartnerOfRecord,
  eligibility,
  parsePartnerId,
  planPartnerChange,
  type PartnerProfile,
  type SubscriptionState,
} from '../../src/partner-of-record/partner-of-record.rules.ts';

const partner = (over: Partial<PartnerProfile> = {}): PartnerProfile => ({
  orgId: 'p-new',
  partnerId: '1000138',
  name: 'Adatum Consulting',
  countries: ['PL', 'DE'],
  productIds: ['business-basic', 'business-standard'],
  capabilities: ['advisor'],
  ...over,
});
const sub = (over: Partial<SubscriptionState> = {}): SubscriptionState => ({
  id: 's1',
  version: 1,
  productId: 'business-basic',
  partnerOrgId: null,
  heldByReseller: false,
  ...over,
});

describe('Partner ID', () => {
  it('accepts digits only, forgiving surrounding spaces', () => {
    expect(parsePartnerId(' 1000001 ')).toEqual({ ok: true, partnerId: '1000001' });
  });
  it.each(['', 'abc', '10-01', '1000001x', '1 000', '-5', '1234567890123'])('refuses %j', (input) => {
    expect(parsePartnerId(input)).toEqual({ ok: false, error: 'partnerIdFormat' });
  });
});

describe('eligibility', () => {
  it('a partner serving the product and the country/region is eligible', () => {
    expect(eligibility(partner(), 'business-basic', 'PL')).toBeNull();
  });
  it('says when the product is what is missing', () => {
    expect(eligibility(partner(), 'enterprise-e5', 'PL')).toBe('product');
  });
  it('says when the country/region is what is missing', () => {
    expect(eligibility(partner(), 'business-basic', 'CN')).toBe('country');
  });
  it('says when both are missing', () => {
    expect(eligibility(partner(), 'enterprise-e5', 'CN')).toBe('productAndCountry');
  });
  it('a partner without the advisor capability cannot be partner of record', () => {
    expect(eligibility(partner({ capabilities: ['reseller'] }), 'business-basic', 'PL')).toBe('notAdvisor');
  });
});

describe('planning a change of partner of record', () => {
  it('an unknown Partner ID is refused', () => {
    expect(planPartnerChange([sub()], { kind: 'add', partner: null }, 'PL')).toEqual({ ok: false, refusal: { error: 'unknownPartner' } });
  });
  it('adds an eligible partner to a subscription without one', () => {
    expect(planPartnerChange([sub()], { kind: 'add', partner: partner() }, 'PL')).toEqual({
      ok: true,
      changes: [{ subscriptionId: 's1', from: null, to: 'p-new' }],
    });
  });
  it('a change is a removal and an addition in one', () => {
    expect(planPartnerChange([sub({ partnerOrgId: 'p-old' })], { kind: 'add', partner: partner() }, 'PL')).toEqual({
      ok: true,
      changes: [{ subscriptionId: 's1', from: 'p-old', to: 'p-new' }],
    });
  });
  it('a subscription that already has the partner is left alone', () => {
    expect(planPartnerChange([sub({ partnerOrgId: 'p-new' })], { kind: 'add', partner: partner() }, 'PL')).toEqual({ ok: true, changes: [] });
  });
  it('is all or nothing: one ineligible subscription refuses the whole change, naming it', () => {
    const result = planPartnerChange([sub(), sub({ id: 's2', productId: 'enterprise-e5' })], { kind: 'add', partner: partner() }, 'PL');
    expect(result).toEqual({ ok: false, refusal: { error: 'ineligible', reason: 'product', subscriptionId: 's2' } });
  });
  it('refuses a stale form', () => {
    expect(planPartnerChange([sub({ version: 3 })], { kind: 'remove' }, 'PL', new Map([['s1', 2]]))).toEqual({
      ok: false,
      refusal: { error: 'stale', subscriptionId: 's1' },
    });
  });
  it('refuses to remove the partner of record that is also the reseller', () => {
    const held = sub({ partnerOrgId: 'p-reseller', heldByReseller: true });
    expect(planPartnerChange([held], { kind: 'remove' }, 'PL')).toEqual({ ok: false, refusal: { error: 'resellerHeld', subscriptionId: 's1' } });
    expect(canRemovePartnerOfRecord(held)).toBe(false);
  });
  it('refuses to replace the reseller’s partner of record as well', () => {
    const held = sub({ partnerOrgId: 'p-reseller', heldByReseller: true });
    expect(planPartnerChange([held], { kind: 'add', partner: partner() }, 'PL')).toEqual({
      ok: false,
      refusal: { error: 'resellerHeld', subscriptionId: 's1' },
    });
  });
  it('removing from one subscription without a partner says there is none', () => {
    expect(planPartnerChange([sub()], { kind: 'remove' }, 'PL')).toEqual({ ok: false, refusal: { error: 'noPartner', subscriptionId: 's1' } });
  });
  it('a bulk removal skips subscriptions without a partner', () => {
    expect(planPartnerChange([sub(), sub({ id: 's2', partnerOrgId: 'p-old' })], { kind: 'remove' }, 'PL')).toEqual({
      ok: true,
      changes: [{ subscriptionId: 's2', from: 'p-old', to: null }],
    });
  });
});
