import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogs } from '../../src/messages.ts';
import { locales, type Locale } from '../../src/i18n/locales.ts';
import { projectRoot } from '../../src/paths.ts';

interface Term {
  concept: string;
  terms: Record<Locale, string>;
  avoid: Partial<Record<Locale, string[]>>;
}

/** The glossary's table, as data. */
function glossary(): Term[] {
  const md = readFileSync(`${projectRoot}docs/glossary.md`, 'utf8');
  return md
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| concept') && !/^\|\s*:?-+/.test(l))
    .map((l) => {
      const [concept, en, pl, zh, avoid] = l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
      const avoided: Partial<Record<Locale, string[]>> = {};
      for (const part of avoid
        .split(';')
        .map((p) => p.trim())
        .filter(Boolean)) {
        const [lang, list] = part.split(/:\s*/, 2);
        avoided[lang as Locale] = list
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean);
      }
      return { concept, terms: { en, pl, zh }, avoid: avoided };
    });
}

const catalogText = (l: Locale) =>
  Object.values(catalogs[l] as Record<string, string>)
    .join('\n')
    .toLowerCase();

describe('the catalogs follow docs/glossary.md', () => {
  const terms = glossary();

  it('the glossary has every concept of the product in three languages', () => {
    expect(terms.length).toBeGreaterThanOrEqual(12);
    for (const t of terms) for (const l of locales) expect(t.terms[l], `${t.concept} in ${l}`).toBeTruthy();
  });

  for (const l of locales) {
    it(`no avoided variant appears in the ${l} catalog`, () => {
      const text = catalogText(l);
      for (const t of terms)
        for (const variant of t.avoid[l] ?? []) expect(text, `${l}: "${variant}" (say "${t.terms[l]}")`).not.toContain(variant.toLowerCase());
    });
  }

  it("the Polish catalog uses the source article's words", () => {
    const pl = catalogText('pl');
    for (const word of [
      'Centrum administracyjne',
      'Potrzebujesz pomocy dotyczącej zamówienia?',
      'partner doradca subskrypcji',
      'partner rekordu',
      'odsprzedaw',
      'Relacje partnerskie',
    ])
      expect(pl).toContain(word.toLowerCase());
  });

  it('each term has one rendering per language: a message that is the English term alone is the Polish and Chinese term alone', () => {
    const en = catalogs.en as Record<string, string>;
    const wrong: string[] = [];
    for (const t of terms)
      for (const [key, text] of Object.entries(en)) {
        if (text.toLowerCase() !== t.terms.en.toLowerCase()) continue;
        for (const l of ['pl', 'zh'] as const) {
          const shown = (catalogs[l] as Record<string, string>)[key];
          if (shown.toLowerCase() !== t.terms[l].toLowerCase()) wrong.push(`${key} (${t.concept}) in ${l}: "${shown}", the glossary says "${t.terms[l]}"`);
        }
      }
    expect(wrong).toEqual([]);
  });

  it('Chinese says 委派管理员 for delegated admin everywhere', () => {
    expect(catalogText('zh')).not.toContain('委托');
    expect(catalogText('zh')).toContain('委派管理员');
  });
});
