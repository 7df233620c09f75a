/** The demo catalog: plans, products and their price list in each currency (`seedDemo` inserts them). */
import { currencies, type Currency } from '../catalog/currencies.ts';
import type * as t from '../db/schema.ts';

/** The countries the demo catalog sells in (the partner directory spreads over them too). */
export const everywhere = ['CN', 'HK', 'TW', 'SG', 'JP', 'KR', 'IN', 'AU', 'PL', 'DE', 'FR', 'GB', 'US', 'CA', 'BR'];
const notChina = everywhere.filter((c) => c !== 'CN');

export const demoPlans: (typeof t.plans.$inferInsert)[] = [
  { id: 'business', name: 'Business', description: 'For organizations of up to 300 people.', sort: 1 },
  { id: 'enterprise', name: 'Enterprise', description: 'For large organizations, with advanced security and compliance.', sort: 2 },
  { id: 'frontline', name: 'Frontline', description: 'For shift and field workers who share devices.', sort: 3 },
  { id: 'addons', name: 'Add-ons', description: 'Extend a plan with more mail, calling or storage.', sort: 4 },
];

export const demoProducts: (typeof t.products.$inferInsert)[] = [
  {
    id: 'business-basic',
    planId: 'business',
    name: 'Business Basic',
    description: 'Web and mobile apps, mail, 1 TB storage.',
    priceCents: 600,
    countries: everywhere,
    trialDays: 30,
    sort: 1,
  },
  {
    id: 'business-standard',
    planId: 'business',
    name: 'Business Standard',
    description: 'Desktop apps, mail, meetings, 1 TB storage.',
    priceCents: 1250,
    countries: everywhere,
    trialDays: 30,
    sort: 2,
  },
  {
    id: 'business-premium',
    planId: 'business',
    name: 'Business Premium',
    description: 'Everything in Standard with device management and advanced security.',
    priceCents: 2200,
    countries: notChina,
    trialDays: 30,
    sort: 3,
  },
  {
    id: 'enterprise-e1',
    planId: 'enterprise',
    name: 'Enterprise E1',
    description: 'Web apps, mail, meetings for large organizations.',
    priceCents: 1000,
    countries: everywhere,
    trialDays: null,
    sort: 1,
  },
  {
    id: 'enterprise-e3',
    planId: 'enterprise',
    name: 'Enterprise E3',
    description: 'Desktop apps, compliance and information protection.',
    priceCents: 3600,
    countries: everywhere,
    trialDays: 30,
    sort: 2,
  },
  {
    id: 'enterprise-e5',
    planId: 'enterprise',
    name: 'Enterprise E5',
    description: 'E3 with analytics, voice and advanced threat protection.',
    priceCents: 5700,
    countries: notChina,
    trialDays: null,
    sort: 3,
  },
  {
    id: 'frontline-f1',
    planId: 'frontline',
    name: 'Frontline F1',
    description: 'Chat, shifts and web apps for frontline workers.',
    priceCents: 225,
    countries: everywhere,
    trialDays: null,
    sort: 1,
  },
  {
    id: 'frontline-f3',
    planId: 'frontline',
    name: 'Frontline F3',
    description: 'F1 with web and mobile apps and 2 GB mailbox.',
    priceCents: 800,
    countries: notChina,
    trialDays: 30,
    sort: 2,
  },
  {
    id: 'exchange-plan-1',
    planId: 'addons',
    name: 'Exchange Online Plan 1',
    description: '50 GB mailbox per user.',
    priceCents: 400,
    countries: everywhere,
    trialDays: 30,
    sort: 1,
  },
  {
    id: 'teams-phone',
    planId: 'addons',
    name: 'Teams Phone Standard',
    description: 'Calling in Teams with a phone number.',
    priceCents: 800,
    countries: ['US', 'CA', 'GB', 'DE', 'FR', 'PL', 'AU', 'JP'],
    trialDays: null,
    sort: 2,
  },
  {
    id: 'extra-storage',
    planId: 'addons',
    name: 'Extra File Storage',
    description: '1 GB more organization storage.',
    priceCents: 20,
    countries: everywhere,
    trialDays: null,
    sort: 3,
  },
];

/**
 * The price list per currency, per license per month in the smallest unit: each set in its own market,
 * not converted (a Polish organization pays the PLN price, a Chinese one the CNY price).
 */
export const demoPrices: Record<string, Record<Currency, number>> = {
  'business-basic': { USD: 600, EUR: 560, PLN: 2500, CNY: 3800 },
  'business-standard': { USD: 1250, EUR: 1170, PLN: 5200, CNY: 7800 },
  'business-premium': { USD: 2200, EUR: 2060, PLN: 9150, CNY: 13800 },
  'enterprise-e1': { USD: 1000, EUR: 940, PLN: 4150, CNY: 6200 },
  'enterprise-e3': { USD: 3600, EUR: 3370, PLN: 14950, CNY: 22400 },
  'enterprise-e5': { USD: 5700, EUR: 5480, PLN: 23650, CNY: 35500 },
  'frontline-f1': { USD: 225, EUR: 210, PLN: 930, CNY: 1400 },
  'frontline-f3': { USD: 800, EUR: 750, PLN: 3320, CNY: 5000 },
  'exchange-plan-1': { USD: 400, EUR: 370, PLN: 1660, CNY: 2500 },
  'teams-phone': { USD: 800, EUR: 750, PLN: 3320, CNY: 5000 },
  'extra-storage': { USD: 20, EUR: 20, PLN: 85, CNY: 130 },
};

export const demoProductPrices = (): (typeof t.productPrices.$inferInsert)[] =>
  Object.entries(demoPrices).flatMap(([productId, list]) => currencies.map((currency) => ({ productId, currency, priceCents: list[currency] })));
