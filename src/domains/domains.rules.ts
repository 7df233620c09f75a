/** Pure decisions about an organization's domains: what a valid name is, what proves ownership, what may go. */
import { domainToASCII, domainToUnicode } from 'node:url';

export type NameProblem = 'invalid' | 'tooLong' | 'label' | 'single' | 'reserved';
export type ParsedName = { ok: true; ascii: string; unicode: string } | { ok: false; problem: NameProblem };

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A typed domain name as stored (punycode, lowercase) and as shown (Unicode). At most 253 characters,
 * labels of 1 to 63 letters, digits and inner hyphens, at least two labels, a top-level label that is not a
 * number; names under the app's own suffix are given at sign-up, never added.
 */
export function parseDomainName(typed: string, reservedSuffix: string): ParsedName {
  const trimmed = typed.trim().replace(/\.$/, '');
  if (trimmed === '' || /[\s/@:]/.test(trimmed)) return { ok: false, problem: 'invalid' };
  const ascii = domainToASCII(trimmed);
  if (ascii === '') return { ok: false, problem: 'invalid' };
  if (ascii.length > 253) return { ok: false, problem: 'tooLong' };
  const labels = ascii.split('.');
  if (labels.length < 2) return { ok: false, problem: 'single' };
  if (!labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1])) return { ok: false, problem: 'label' };
  if (ascii === reservedSuffix || ascii.endsWith(`.${reservedSuffix}`)) return { ok: false, problem: 'reserved' };
  return { ok: true, ascii, unicode: domainToUnicode(ascii) };
}

/** How a stored (punycode) name is shown. */
export const shownName = (ascii: string) => domainToUnicode(ascii) || ascii;

/** The TXT record's value the organization creates at the domain's own name. */
export const txtValue = (token: string) => `partnerdesk-verification=${token}`;

/** The DNS answer against the expected value: verified, or what was found instead (records joined from their strings). */
export function checkTxt(records: string[][], token: string): { verified: true } | { verified: false; found: string[] } {
  const found = records.map((chunks) => chunks.join(''));
  return found.includes(txtValue(token)) ? { verified: true } : { verified: false, found };
}

export type RemoveRefusal = 'default' | 'initial' | 'inUse';

/** A domain may go unless it is the default, the initial one, or some user's address uses it. */
export function whyNotRemovable(d: { isDefault: boolean; isInitial: boolean }, usersUsing: readonly string[]): RemoveRefusal | null {
  if (d.isInitial) return 'initial';
  if (d.isDefault) return 'default';
  return usersUsing.length > 0 ? 'inUse' : null;
}

/** Scripts a label's letters are told apart by (UTS #39's sense); letters of any other script count as one more. */
const SCRIPTS = [
  'Latin',
  'Cyrillic',
  'Greek',
  'Armenian',
  'Georgian',
  'Hebrew',
  'Arabic',
  'Devanagari',
  'Bengali',
  'Thai',
  'Han',
  'Hiragana',
  'Katakana',
  'Bopomofo',
  'Hangul',
] as const;
export type Script = (typeof SCRIPTS)[number] | 'Other';
const scriptTests = SCRIPTS.map((s) => [s, new RegExp(`\\p{Script=${s}}`, 'u')] as const);
const letter = /\p{L}/u;
/** Letters every script shares (the Japanese long-vowel mark ー is one). */
const shared = /[\p{Script=Common}\p{Script=Inherited}]/u;
/** Mixtures a language writes every day (UTS #39 "highly restrictive"): Japanese, Chinese with Bopomofo, Korean, each with Latin. */
const usual: Script[][] = [
  ['Latin', 'Han', 'Hiragana', 'Katakana'],
  ['Latin', 'Han', 'Bopomofo'],
  ['Latin', 'Han', 'Hangul'],
];

/** The scripts of a label's letters (digits, hyphens, marks and shared letters belong to none). */
export function scriptsOf(label: string): Script[] {
  const found = new Set<Script>();
  for (const ch of label) {
    if (!letter.test(ch) || shared.test(ch)) continue;
    found.add(scriptTests.find(([, re]) => re.test(ch))?.[0] ?? 'Other');
  }
  return [...found];
}

/**
 * The scripts mixed within one label of a Unicode name, or null when every label keeps to one script (or
 * to a usual mixture): "аpple.com" with a Cyrillic "а" gives ['Cyrillic', 'Latin']. Such a name is shown
 * with its punycode beside it, so a look-alike cannot pass for the real one (issue 23).
 */
export function mixedScripts(unicode: string): Script[] | null {
  for (const label of unicode.split('.')) {
    const scripts = scriptsOf(label);
    if (scripts.length > 1 && !usual.some((u) => scripts.every((s) => u.includes(s)))) return scripts.sort();
  }
  return null;
}
