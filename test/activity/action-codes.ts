/**
 * Every audit action code written anywhere in src, found by reading the source: a string literal shaped
 * like `word.word_word` (or a template like `relationship.advisor.${…}`) that is not a catalog key, a
 * file name, a host or an SQL column. So a feature that adds a new code without a sentence fails the test.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { catalogs } from '../../src/messages.ts';

const root = join(import.meta.dirname, '../../src');
const keys = Object.keys(catalogs.en);
const notCodes = /\.(js|json|ts|tsx|local|example|html|write)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    // Catalogs hold keys, not codes; the activity feature lists the codes themselves.
    return /\.tsx?$/.test(f) && !f.endsWith('messages.ts') && !p.includes('/activity/') ? [p] : [];
  });
}

/** Each code, or code pattern (`*` for a template's variable part), with the file that writes it. */
export function actionCodesInSource(): { code: string; file: string }[] {
  const found = new Map<string, string>();
  for (const file of sourceFiles(root)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/['`]([a-z][a-z_]{3,}(?:\.(?:[a-z_]+|\$\{[^}`]*\}))+)['`]/g)) {
      const code = m[1].replace(/\$\{[^}]*\}/g, '*');
      const prefix = code.split('*')[0];
      if (notCodes.test(code) || keys.some((k) => k === code || (code.includes('*') && k.startsWith(prefix)))) continue;
      found.set(code, relative(root, file));
    }
  }
  return [...found].map(([code, file]) => ({ code, file }));
}
