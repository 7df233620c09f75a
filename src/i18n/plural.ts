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

/** Replaces every `{name, plural, …}` block whose parameter is a number by the matching option. */
export function applyPlurals(template: string, params: Params | undefined, rules: Rules): string {
  if (!params || !template.includes(', plural,')) return template;
  let out = '';
  let i = 0;
  const head = /\{(\w+), plural,/g;
  for (let m = head.exec(template); m; m = head.exec(template)) {
    const value = params[m[1]];
    const parsed = parseOptions(template, m.index + m[0].length);
    if (typeof value !== 'number' || !parsed) continue;
    const chosen = parsed.options.get(`=${value}`) ?? parsed.options.get(rules.select(value)) ?? parsed.options.get('other') ?? '';
    out += template.slice(i, m.index) + chosen.replace(/#/g, rules.format(value));
    i = parsed.end;
    head.lastIndex = parsed.end;
  }
  return out + template.slice(i);
}
