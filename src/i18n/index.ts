import { intlTag, type Locale } from './locales.ts';
import { applyPlurals } from './plural.ts';

/**
 * The keys of the app's message catalogue. i18n imports no feature: src/messages.ts assembles every
 * feature's messages, fills this interface by declaration merging and hands the texts to
 * `provideCatalogs` when it is imported (by src/app.tsx, and by the tests' setup).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Catalog {}
export type MessageKey = keyof Catalog & string;

let catalogs: Record<Locale, Record<string, string>> | null = null;

export function provideCatalogs(texts: Record<Locale, object>): void {
  catalogs = texts as Record<Locale, Record<string, string>>;
  cache.clear();
}
export type Params = Record<string, string | number>;
export type T = (key: MessageKey, params?: Params) => string;

export interface I18n {
  locale: Locale;
  t: T;
  /** Whether a string is a key of the catalog (for keys that arrive from outside, e.g. a flash cookie). */
  has(key: string): key is MessageKey;
  money(cents: number, currency: string): string;
  /** A calendar date (dates such as renewals are days, shown as stored: UTC). */
  date(value: Date | string | null | undefined): string;
  /** Date and time of an event in the viewer's IANA time zone, e.g. "25 lis 2026, 14:05". */
  dateTime(value: Date | string | null | undefined, timeZone: string): string;
  /** The day of an event (a relationship's start or end, a link's expiry) in the viewer's time zone. */
  dateIn(value: Date | string | null | undefined, timeZone: string): string;
  /** Date and time written out in full, with the zone: what a printed page shows (src/ui/date.tsx). */
  fullDateTime(value: Date | string | null | undefined, timeZone: string): string;
  number(value: number): string;
}

/**
 * Fills {name} placeholders. A value that ends with a full stop ("Contoso Sp. z o.o.") swallows the
 * full stop the message puts right after it, so no sentence ends "z o.o..".
 */
export function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  const parts = compiled(template);
  if (parts.length === 1) return template;
  let out = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) {
    const [name, stop] = parts[i] as [string, string];
    const value = name in params ? String(params[name]) : null;
    out += (value === null ? `{${name}}${stop}` : stop && value.endsWith('.') ? value : value + stop) + (parts[i + 1] as string);
  }
  return out;
}

/**
 * `compute`, remembered for up to `max` keys (then all forgotten at once and remembered again): for
 * formatting that costs microseconds per call and sees the same values page after page.
 */
function remembered<K, V>(compute: (key: K) => V, max = 10_000): (key: K) => V {
  const kept = new Map<K, V>();
  return (key) => {
    let value = kept.get(key);
    if (value === undefined) {
      value = compute(key);
      if (kept.size >= max) kept.clear();
      kept.set(key, value);
    }
    return value;
  };
}

/**
 * A template split once into text, [placeholder, full stop], text, …: filling it is then a few
 * concatenations. Plural blocks leave a different template for each count, hence the bound.
 */
const compiled = remembered((template: string) => {
  const parts: (string | [string, string])[] = [];
  let last = 0;
  for (const m of template.matchAll(/\{(\w+)\}(\.?)/g)) {
    parts.push(template.slice(last, m.index), [m[1], m[2]]);
    last = m.index + m[0].length;
  }
  parts.push(template.slice(last));
  return parts;
}, 5000);

/** An instant as a key: the text it came as, or its milliseconds. */
const instant = (value: Date | string) => (typeof value === 'string' ? value : value.getTime());

/**
 * An instant in ISO 8601 UTC, as a <time>'s datetime: remembered like the formatted dates beside it,
 * since a log page shows the same fifty instants request after request.
 */
const isoOf = remembered((at: string | number) => new Date(at).toISOString());
export const isoInstant = (value: Date | string): string => isoOf(instant(value));

function build(locale: Locale): I18n {
  if (!catalogs) throw new Error('i18n: no message catalogue; import src/messages.ts first');
  const messages = catalogs[locale];
  const tag = intlTag[locale];
  const dateFmt = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeZone: 'UTC' });
  const numberFmt = new Intl.NumberFormat(tag);
  const rules = new Intl.PluralRules(tag);
  const plural = { select: (n: number) => rules.select(n), format: (n: number) => numberFmt.format(n) };
  const moneyIn = remembered((currency: string) => new Intl.NumberFormat(tag, { style: 'currency', currency }));
  // A list page shows twenty dates, a log page fifty times in the viewer's zone: the same ones page after page.
  const date = remembered((at: string | number) => dateFmt.format(new Date(at)));
  const dateTimeIn = remembered((timeZone: string) => {
    const f = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short', timeZone });
    // Per zone, so fewer each: a server's people live in a handful of zones.
    return remembered((at: string | number) => f.format(new Date(at)), 2000);
  });
  const inZone = (options: Intl.DateTimeFormatOptions) =>
    remembered((timeZone: string) => {
      const f = new Intl.DateTimeFormat(tag, { ...options, timeZone });
      return remembered((at: string | number) => f.format(new Date(at)), 2000);
    });
  const dateInZone = inZone({ dateStyle: 'medium' });
  const fullInZone = inZone({ dateStyle: 'full', timeStyle: 'long' });
  const number = remembered((value: number) => numberFmt.format(value));
  return {
    locale,
    t: (key, params) => interpolate(applyPlurals(messages[key] ?? key, params, plural), params),
    has: (key): key is MessageKey => key in messages,
    money: (cents, currency) => moneyIn(currency).format(cents / 100),
    date: (value) => (value ? date(instant(value)) : '—'),
    dateTime: (value, timeZone) => (value ? dateTimeIn(timeZone)(instant(value)) : '—'),
    dateIn: (value, timeZone) => (value ? dateInZone(timeZone)(instant(value)) : '—'),
    fullDateTime: (value, timeZone) => (value ? fullInZone(timeZone)(instant(value)) : '—'),
    number,
  };
}

/** Built once per locale at first use, then shared by every request. */
const cache = new Map<Locale, I18n>();
export function i18n(locale: Locale): I18n {
  let found = cache.get(locale);
  if (!found) cache.set(locale, (found = build(locale)));
  return found;
}
