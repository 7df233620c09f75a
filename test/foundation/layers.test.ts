import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Dependencies point down (docs/decisions/107): the shared layers import no feature folder. Features
 * import them; src/app.tsx, src/server.ts, src/messages.ts and src/seed/ assemble the features on top.
 */
const SHARED = new Set(['http', 'ui', 'db', 'i18n', 'audit', 'mail', 'assets', 'catalog', 'authorization']);
const src = join(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Every `from '../x/…'` of a shared layer's file that lands in a folder outside the shared layers. */
function upwardImports(): string[] {
  const found: string[] = [];
  for (const file of sources(src)) {
    const [layer, ...rest] = relative(src, file).split('/');
    if (!SHARED.has(layer!) || rest.length === 0) continue;
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
      const [target, ...inside] = relative(src, normalize(join(dirname(file), spec!))).split('/');
      if (inside.length > 0 && !SHARED.has(target!)) found.push(`${relative(src, file)} → ${target}/${inside.join('/')}`);
    }
  }
  return found;
}

describe('the layers', () => {
  it('http, ui, db, i18n, audit, mail, assets, catalog and authorization import no feature folder', () => {
    expect(upwardImports()).toEqual([]);
  });
});
