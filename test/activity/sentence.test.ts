import { describe, expect, it } from 'vitest';
import type { ActivityEntry } from '../../src/activity/activity.queries.ts';
import { activitySentence, knownActions } from '../../src/activity/sentence.ts';
import { i18n } from '../../src/i18n/index.ts';
import { actionCodesInSource } from './action-codes.ts';

/** A row as the activity query returns it: Jan Kowalski of Northwind Traders acting for the customer. */
function entry(action: string, over: Partial<ActivityEntry> = {}): ActivityEntry {
  return {
    id: 1,
    createdAt: '2026-03-05T12:00:00Z',
    actorName: 'Jan Kowalski',
    action,
    before: { partner: { name: 'Adatum Consulting' }, type: 'delegated_admin', email: 'old@example.com' },
    after: { partner: { name: 'Northwind Traders' }, name: 'Anna Nowak', email: 'anna@example.com', quantity: 5 },
    partnerName: 'Northwind Traders',
    onBehalf: true,
    system: false,
    productId: 'business-standard',
    productName: 'Business Standard',
    userName: 'Anna Nowak',
    relationshipType: 'delegated_admin',
    ...over,
  };
}

const expected: Record<'en' | 'pl' | 'zh', Partial<Record<(typeof knownActions)[number], string>>> = {
  en: {
    'user.created': 'Northwind Traders (Jan Kowalski) created the user Anna Nowak.',
    'subscription.partner_of_record.changed':
      'Northwind Traders (Jan Kowalski) replaced the partner of record of Business Standard: Adatum Consulting by Northwind Traders.',
    'relationship.ended': 'Northwind Traders (Jan Kowalski) ended the delegated admin relationship with Northwind Traders.',
    'subscription.purchased': 'Northwind Traders (Jan Kowalski) bought Business Standard with 5 licenses.',
    'relationship.suspended': 'Northwind Traders (Jan Kowalski) suspended the delegated admin access of Northwind Traders.',
  },
  pl: {
    'user.created': 'Northwind Traders (Jan Kowalski): utworzono użytkownika Anna Nowak.',
    'license.assigned': 'Northwind Traders (Jan Kowalski): przypisano licencję Business Standard użytkownikowi Anna Nowak.',
    'subscription.purchased': 'Northwind Traders (Jan Kowalski): kupiono Business Standard, 5 licencji.',
    'relationship.ended': 'Northwind Traders (Jan Kowalski): zakończono relację z partnerem Northwind Traders (rola: administrator delegowany).',
  },
  zh: {
    'user.created': 'Northwind Traders（Jan Kowalski） 创建了用户 Anna Nowak。',
    'relationship.ended': 'Northwind Traders（Jan Kowalski） 结束了与 Northwind Traders 的委派管理员关系。',
  },
};

describe('an audit row read as a sentence', () => {
  for (const locale of ['en', 'pl', 'zh'] as const) {
    const i = i18n(locale);
    for (const action of knownActions) {
      it(`${action} in ${locale} names who and what, never the code`, () => {
        const s = activitySentence(i, entry(action));
        expect(s).not.toContain(action);
        expect(s).not.toMatch(/[{}]|activity\.|undefined|null/);
        if (!action.startsWith('relationship.')) expect(s).toMatch(/Northwind Traders|partnerdesk/);
        const exact = expected[locale][action];
        if (exact) expect(s).toBe(exact);
      });
    }
    it(`an unknown code reads as a generic sentence in ${locale}`, () => {
      const s = activitySentence(i, entry('report.exported'));
      expect(s).not.toContain('domain');
      expect(s).toContain('Northwind Traders (Jan Kowalski)'.replace(' (', locale === 'zh' ? '（' : ' (').replace(')', locale === 'zh' ? '）' : ')'));
    });
  }

  it('a customer admin is named alone, and partnerdesk itself for what happened by itself', () => {
    expect(activitySentence(i18n('en'), entry('user.signed_in', { onBehalf: false, actorName: 'Ola Admin' }))).toBe('Ola Admin signed in.');
    expect(activitySentence(i18n('en'), entry('relationship.expired', { system: true, actorName: 'partnerdesk' }))).toBe(
      'The delegated admin relationship with Northwind Traders expired at its end date.',
    );
  });

  it('a name ending in a full stop ends the sentence without a second one', () => {
    const s = activitySentence(i18n('en'), entry('organization.created', { onBehalf: false, after: { name: 'Contoso Sp. z o.o.' } }));
    expect(s).toBe('Jan Kowalski created the organization Contoso Sp. z o.o.');
  });

  it('Polish counts take their plural form', () => {
    const pl = i18n('pl');
    const bought = (quantity: number) => activitySentence(pl, entry('subscription.purchased', { after: { quantity } }));
    expect(bought(1)).toContain('1 licencja');
    expect(bought(3)).toContain('3 licencje');
    expect(bought(5)).toContain('5 licencji');
    expect(bought(22)).toContain('22 licencje');
    expect(activitySentence(i18n('en'), entry('subscription.purchased', { after: { quantity: 1 } }))).toContain('1 license.');
  });

  it("names the product in the reader's language, and falls back to the stored name for an untranslated one", () => {
    const storage = { productId: 'extra-storage', productName: 'Extra File Storage' };
    expect(activitySentence(i18n('pl'), entry('license.assigned', storage))).toContain('licencję Dodatkowe miejsce na pliki');
    expect(activitySentence(i18n('zh'), entry('license.assigned', storage))).toContain('额外文件存储');
    expect(activitySentence(i18n('en'), entry('license.assigned', storage))).toContain('Extra File Storage');
    expect(activitySentence(i18n('pl'), entry('license.assigned', { productId: 'new-thing', productName: 'New Thing' }))).toContain('New Thing');
  });
});

describe('every action code written in src reads as a sentence', () => {
  const codes = actionCodesInSource();
  it('finds the codes the writers use (the scan itself works)', () => {
    expect(codes.map((c) => c.code)).toEqual(
      expect.arrayContaining([
        'user.signed_in',
        'domain.added',
        'subscription.partner_of_record.*',
        'relationship.advisor.started',
        'relationship.advisor.ended',
      ]),
    );
  });
  for (const { code, file } of codes) {
    it(`${code} (${file}) is a known action with a sentence in en, pl and zh`, () => {
      const pattern = new RegExp(`^${code.replace(/\./g, '\\.').replace(/\*/g, '[a-z_]+')}$`);
      const known = knownActions.filter((a) => pattern.test(a));
      expect(known, `${code} has no entry in knownActions`).not.toEqual([]);
      for (const locale of ['en', 'pl', 'zh'] as const) {
        for (const a of known) expect(i18n(locale).has(`activity.sentence.${a}`), `${a} in ${locale}`).toBe(true);
      }
    });
  }
});
