import { describe, expect, it } from 'vitest';
import { checkTxt, parseDomainName, shownName, txtValue, whyNotRemovable } from '../../src/domains/domains.rules.ts';

const parse = (s: string) => parseDomainName(s, 'partnerdesk.local');

describe('domain names', () => {
  it('are stored lowercase in punycode and shown in Unicode', () => {
    expect(parse(' Contoso.COM. ')).toEqual({ ok: true, ascii: 'contoso.com', unicode: 'contoso.com' });
    expect(parse('żółw.pl')).toEqual({ ok: true, ascii: 'xn--w-uga1v8h.pl', unicode: 'żółw.pl' });
    expect(shownName('xn--fsqu00a.xn--fiqs8s')).toBe('例子.中国');
  });

  it('are refused with the reason: no dot, bad labels, too long, spaces, the service’s own suffix', () => {
    expect(parse('localhost')).toEqual({ ok: false, problem: 'single' });
    expect(parse('a..b')).toEqual({ ok: false, problem: 'label' });
    expect(parse('-bad.com')).toEqual({ ok: false, problem: 'label' });
    expect(parse(`${'a'.repeat(64)}.com`)).toEqual({ ok: false, problem: 'label' });
    // A numeric last label reads as an IPv4 address: no domain at all.
    expect(parse('example.123')).toEqual({ ok: false, problem: 'invalid' });
    expect(parse(`${'a'.repeat(60)}.`.repeat(5) + 'com')).toEqual({ ok: false, problem: 'tooLong' });
    expect(parse('exa mple.com')).toEqual({ ok: false, problem: 'invalid' });
    expect(parse('user@example.com')).toEqual({ ok: false, problem: 'invalid' });
    expect(parse('')).toEqual({ ok: false, problem: 'invalid' });
    expect(parse('mine.partnerdesk.local')).toEqual({ ok: false, problem: 'reserved' });
  });
});

describe('verification and removal', () => {
  it('a TXT answer verifies only with the expected value, joined from its strings; else says what was found', () => {
    expect(checkTxt([['partnerdesk-verification=', 'abc']], 'abc')).toEqual({ verified: true });
    expect(checkTxt([['v=spf1 -all'], [txtValue('other')]], 'abc')).toEqual({ verified: false, found: ['v=spf1 -all', 'partnerdesk-verification=other'] });
    expect(checkTxt([], 'abc')).toEqual({ verified: false, found: [] });
  });

  it('the default, the initial domain and a domain users’ addresses use cannot be removed', () => {
    expect(whyNotRemovable({ isDefault: false, isInitial: true }, [])).toBe('initial');
    expect(whyNotRemovable({ isDefault: true, isInitial: false }, [])).toBe('default');
    expect(whyNotRemovable({ isDefault: false, isInitial: false }, ['Uma User'])).toBe('inUse');
    expect(whyNotRemovable({ isDefault: false, isInitial: false }, [])).toBeNull();
  });
});

describe('names that mix scripts (issue 23)', () => {
  it('flags a label mixing scripts, not a label in one script or a usual mixture', async () => {
    const { mixedScripts, scriptsOf } = await import('../../src/domains/domains.rules.ts');
    expect(mixedScripts('аpple.com')).toEqual(['Cyrillic', 'Latin']);
    expect(mixedScripts('pаypal.example')).toEqual(['Cyrillic', 'Latin']);
    expect(mixedScripts('αpple.com')).toEqual(['Greek', 'Latin']);
    expect(mixedScripts('apple.com')).toBeNull();
    expect(mixedScripts('żółw.pl')).toBeNull();
    expect(mixedScripts('пример.рф')).toBeNull();
    // A label in one script beside a top-level label in another is not a mixture.
    expect(mixedScripts('пример.com')).toBeNull();
    expect(mixedScripts('微软.com')).toBeNull();
    expect(mixedScripts('東京タワー.jp')).toBeNull();
    expect(mixedScripts('abc日本.jp')).toBeNull();
    expect(mixedScripts('한국abc.kr')).toBeNull();
    expect(scriptsOf('a1-б')).toEqual(['Latin', 'Cyrillic']);
  });
});
