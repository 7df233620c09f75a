import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogs, features } from '../../src/messages.ts';
import { i18n, isoInstant } from '../../src/i18n/index.ts';
import { negotiateLocale } from '../../src/i18n/locales.ts';
import { createTestApp } from '../support/app.ts';

// Placeholder names, each once: {name} and {count, plural, …}; a plural's option bodies ("one {# day}") are not names.
const placeholders = (s: string) => [...new Set([...s.matchAll(/(?<!\b(?:zero|one|two|few|many|other|=\d+)\s)\{(\w+)[,}]/g)].map((m) => m[1]))].sort();

describe('catalogs', () => {
  it('Polish and Chinese have every English key, non-empty, with the same placeholders', () => {
    for (const locale of ['pl', 'zh'] as const) {
      const target = catalogs[locale] as Record<string, string>;
      for (const [key, english] of Object.entries(catalogs.en as Record<string, string>)) {
        expect(target[key], `${locale} lacks ${key}`).toBeTruthy();
        expect(placeholders(target[key]), `${locale} ${key}`).toEqual(placeholders(english));
      }
      expect(Object.keys(target).length).toBe(Object.keys(catalogs.en).length);
    }
  });

  it('no key is defined by two features', () => {
    const seen = new Map<string, number>();
    features.forEach((f, i) => {
      for (const key of Object.keys(f.en)) {
        expect(seen.has(key), `${key} is defined twice`).toBe(false);
        seen.set(key, i);
      }
    });
  });

  it('formats money and dates for the language', () => {
    expect(i18n('en').money(1250, 'USD')).toBe('$12.50');
    expect(i18n('pl').money(1250, 'USD').replace(/\s/g, ' ')).toBe('12,50 USD');
    expect(i18n('pl').date('2026-03-05T12:00:00Z')).toBe('5 mar 2026');
    expect(i18n('zh').date('2026-03-05T12:00:00Z')).toBe('2026年3月5日');
  });
});

describe('counts and names in messages', () => {
  it('counts take the plural form of the language (Intl.PluralRules): never "1 licenses"', () => {
    const trial = (l: 'en' | 'pl' | 'zh', quantity: number) => i18n(l).t('links.summary.trial', { product: 'Business Basic', quantity });
    expect(trial('en', 1)).toBe('Trial of Business Basic, 1 license');
    expect(trial('en', 1000)).toBe('Trial of Business Basic, 1,000 licenses');
    expect(trial('pl', 1)).toBe('Wersja próbna Business Basic, 1 licencja');
    expect(trial('pl', 4)).toBe('Wersja próbna Business Basic, 4 licencje');
    expect(trial('pl', 12)).toBe('Wersja próbna Business Basic, 12 licencji');
    expect(trial('pl', 24)).toBe('Wersja próbna Business Basic, 24 licencje');
    expect(trial('zh', 2)).toBe('Business Basic 试用，2 个许可证');
  });

  it('a name ending with a full stop does not get a second one, in every language', () => {
    for (const l of ['en', 'pl', 'zh'] as const) {
      const s = i18n(l).t('rel.confirm.advisor', { partner: 'Northwind Traders', customer: 'Contoso Sp. z o.o.' });
      expect(s).not.toContain('o.o..');
      expect(s).toContain('Contoso Sp. z o.o.');
    }
  });

  it("shows an event's date and time in the given time zone", () => {
    expect(i18n('pl').dateTime('2026-03-05T23:30:00Z', 'Europe/Warsaw')).toBe('6 mar 2026, 00:30');
    expect(i18n('en').dateTime('2026-03-05T23:30:00Z', 'America/New_York').replace(/\s/g, ' ')).toBe('Mar 5, 2026, 6:30 PM');
  });

  it("gives a <time>'s datetime as the instant in ISO 8601 UTC, from a row's Date or a JSON string alike", () => {
    const at = new Date('2026-03-05T23:30:00.123Z');
    expect(isoInstant(at)).toBe('2026-03-05T23:30:00.123Z');
    expect(isoInstant('2026-03-06T00:30:00.123+01:00')).toBe('2026-03-05T23:30:00.123Z');
    // Asked again (remembered), the same answer.
    expect(isoInstant(new Date(at.getTime()))).toBe('2026-03-05T23:30:00.123Z');
  });
});

describe('language negotiation', () => {
  it('takes the best Accept-Language match by quality, falling back to English', () => {
    expect(negotiateLocale('pl-PL,pl;q=0.9,en;q=0.8', undefined)).toBe('pl');
    expect(negotiateLocale('de-DE,zh-CN;q=0.8,en;q=0.5', undefined)).toBe('zh');
    expect(negotiateLocale('en;q=0.2, pl;q=0.7', undefined)).toBe('pl');
    expect(negotiateLocale('fr, de', undefined)).toBe('en');
    expect(negotiateLocale(undefined, undefined)).toBe('en');
    expect(negotiateLocale('pl;q=0', undefined)).toBe('en');
  });

  it('the footer switch (a cookie) wins over the browser', () => {
    expect(negotiateLocale('pl', 'zh')).toBe('zh');
    expect(negotiateLocale('pl', 'xx')).toBe('pl');
  });

  describe('in pages', () => {
    let t: Awaited<ReturnType<typeof createTestApp>>;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t?.close());

    it('pages speak the negotiated language, and the switch keeps it', async () => {
      const client = t.client();
      const pl = await client.get('/signin', { 'accept-language': 'pl-PL,pl;q=0.9' });
      expect(pl.text).toContain('<html lang="pl">');
      expect(pl.text).toContain('<h1>Zaloguj się</h1>');
      const switched = await client.post('/language', { locale: 'zh', back: '/signin' });
      expect(switched.location).toBe('/signin');
      const zh = await client.get('/signin', { 'accept-language': 'pl' });
      expect(zh.text).toContain('<h1>登录</h1>');
    });
  });
});
