/**
 * The stylesheet, inlined in every page's <head> so the first response is enough to paint (no second
 * round trip for a render-blocking file). It is small (under 3 KB compressed), so every page carries
 * all of it rather than a per-page part. The CSP allows exactly this text by its SHA-256
 * (src/http/security-headers.ts), so no other inline style can run.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { projectRoot } from '../paths.ts';

/** Comments and runs of white space out; the rules themselves untouched (strings hold no such runs). */
export function minifyCss(css: string): string {
  return css
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/;}/g, '}')
    .trim();
}

export const INLINE_CSS = minifyCss(readFileSync(`${projectRoot}public/app.css`, 'utf8'));

/** The CSP source that allows INLINE_CSS and nothing else. */
export const INLINE_CSS_SOURCE = `'sha256-${createHash('sha256').update(INLINE_CSS).digest('base64')}'`;

/** The <head>'s last elements as a page needs them: the stylesheet, and htmx only where the page swaps something. */
export function headEnd(htmxUrl: string, swaps: boolean): string {
  const htmx = swaps ? `<meta name="htmx-config" content='{"includeIndicatorCSS":false}'/><script src="${htmxUrl}" defer=""></script>` : '';
  return `<style>${INLINE_CSS}</style>${htmx}`;
}
