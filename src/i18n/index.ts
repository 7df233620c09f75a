import { catalogs, type MessageKey } from './catalog.ts';
import { intlTag, type Locale } from './locales.ts';
import { applyPlurals } from './plural.ts';

export type { MessageKey };
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

/** A template split once into text, [placeholder, full stop], text, …: filling it is then a few concatenations. */
const templates = new Map<string, (string | [string, string])[]>();
function compiled(template: string): (string | [string, string])[] {
  let parts = templates.get(template);
  if (!parts) {
    parts = [];
    let last = 0;
    for (const m of template.matchAll(/\{(\w+)\}(\.?)/g)) {
      parts.push(template.slice(last, m.index), [m[1], m[2]]);
      last = m.index + m[0].length;
    }
    parts.push(template.slice(last));
    // Plural blocks leave a different template for each count: only the catalog's own templates are kept for good.
    if (templates.size < 5000) templates.set(template, parts);
  }
  return parts;
}

const FORMATTED_MAX = 10_000;

function build(locale: Locale): I18n {
  const messages = catalogs[locale] as Record<string, string>;
  const tag = intlTag[locale];
  const dateFmt = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeZone: 'UTC' });
  const numberFmt = new Intl.NumberFormat(tag);
  const moneyFmts = new Map<string, Intl.NumberFormat>();
  const dateTimeFmts = new Map<string, Intl.DateTimeFormat>();
  const formatted = new Map<string, string>();
  const dates = new Map<string | number, string>();
  const numbers = new Map<number, string>();
  const rules = new Intl.PluralRules(tag);
  const plural = { select: (n: number) => rules.select(n), format: (n: number) => numberFmt.format(n) };
  return {
    locale,
    t: (key, params) => interpolate(applyPlurals(messages[key] ?? key, params, plural), params),
    has: (key): key is MessageKey => key in messages,
    money(cents, currency) {
      let f = moneyFmts.get(currency);
      if (!f) moneyFmts.set(currency, (f = new Intl.NumberFormat(tag, { style: 'currency', currency })));
      return f.format(cents / 100);
    },
    date(value) {
      if (!value) return '—';
      // A list page shows twenty dates, and the same ones page after page: each is formatted once (bounded, per locale).
      const key = typeof value === 'string' ? value : value.getTime();
      let text = dates.get(key);
      if (text === undefined) {
        text = dateFmt.format(typeof value === 'string' ? new Date(value) : value);
        if (dates.size >= FORMATTED_MAX) dates.clear();
        dates.set(key, text);
      }
      return text;
    },
    dateTime(value, timeZone) {
      if (!value) return '—';
      // Formatting in a time zone costs microseconds per call and a log page shows fifty: the same
      // instants come back page after page, so their text is kept (bounded, per locale).
      const key = `${timeZone}|${typeof value === 'string' ? value : value.getTime()}`;
      let text = formatted.get(key);
      if (text === undefined) {
        let f = dateTimeFmts.get(timeZone);
        if (!f) dateTimeFmts.set(timeZone, (f = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short', timeZone })));
        text = f.format(typeof value === 'string' ? new Date(value) : value);
        if (formatted.size >= FORMATTED_MAX) formatted.clear();
        formatted.set(key, text);
      }
      return text;
    },
    number(value) {
      let text = numbers.get(value);
      if (text === undefined) {
        text = numberFmt.format(value);
        if (numbers.size >= FORMATTED_MAX) numbers.clear();
        numbers.set(value, text);
      }
      return text;
    },
  };
}

/** Built once per locale at first use, then shared by every request. */
const cache = new Map<Locale, I18n>();
export function i18n(locale: Locale): I18n {
  let found = cache.get(locale);
  if (!found) cache.set(locale, (found = build(locale)));
  return found;
}
