/**
 * Plurals in catalog messages, as a small subset of ICU MessageFormat:
 * `{count, plural, =0 {no licenses} one {# license} other {# licenses}}`. The category comes from
 * Intl.PluralRules for the message's language (Polish has one/few/many, Chinese only other), `#` is the
 * number formatted for that language. Only `plural` is understood; anything else is left as written.
 */
type Params = Record<string, string | number>;

interface Rules {
  select(n: number): string;
  format(n: number): string;
}

/** The options of one plural block, from just after "plural," to its closing brace; null if malformed. */
function parseOptions(s: string, from: number): { options: Map<string, string>; end: number } | null {
  const options = new Map<string, string>();
  let i = from;
  for (;;) {
    while (/\s/.test(s[i] ?? '')) i++;
    if (s[i] === '}') return { options, end: i + 1 };
    const key = /^(=\d+|[a-z]+)\s*\{/.exec(s.slice(i));
    if (!key) return null;
    i += key[0].length;
    let depth = 1;
    const start = i;
    while (i < s.length && depth > 0) {
      if (s[i] === '{') depth++;
      else if (s[i] === '}') depth--;
      i++;
    }
    if (depth > 0) return null;
    options.set(key[1], s.slice(start, i - 1));
  }
}

/** A `{name, plural,` head in a template: where it starts, where its options start, its options (null if malformed). */
interface Head {
  name: string;
  at: number;
  after: number;
  parsed: ReturnType<typeof parseOptions>;
}

/**
 * Each template's plural heads, parsed at its first use: a page formats the same catalog messages row
 * after row, and parsing them anew allocated a Map and its strings per call. Templates are the
 * catalogs' messages (or a key without one), so the map is as large as the catalogs.
 */
const headsOf = new Map<string, Head[]>();
function heads(template: string): Head[] {
  let found = headsOf.get(template);
  if (!found) {
    found = [];
    const head = /\{(\w+), plural,/g;
    for (let m = head.exec(template); m; m = head.exec(template)) {
      const after = m.index + m[0].length;
      found.push({ name: m[1], at: m.index, after, parsed: parseOptions(template, after) });
    }
    headsOf.set(template, found);
  }
  return found;
}

/** Replaces every `{name, plural, …}` block whose parameter is a number by the matching option. */
export function applyPlurals(template: string, params: Params | undefined, rules: Rules): string {
  if (!params || !template.includes(', plural,')) return template;
  let out = '';
  let i = 0;
  // A replaced block's text is not searched again; a block left as written (no number, malformed) is.
  let from = 0;
  for (const { name, at, after, parsed } of heads(template)) {
    if (at < from) continue;
    const value = params[name];
    from = after;
    if (typeof value !== 'number' || !parsed) continue;
    const chosen = parsed.options.get(`=${value}`) ?? parsed.options.get(rules.select(value)) ?? parsed.options.get('other') ?? '';
    out += template.slice(i, at) + chosen.replace(/#/g, rules.format(value));
    i = parsed.end;
    from = parsed.end;
  }
  return out + template.slice(i);
}
