import { existsSync, readFileSync } from 'node:fs';
import { i18n, type MessageKey } from '../i18n/index.ts';
import { intlTag, locales, type Locale } from '../i18n/locales.ts';
import { projectRoot } from '../paths.ts';

/** The regions the time-zone select groups its options under, in this order. */
const regions = [
  ['Europe', 'prefs.zone.region.europe'],
  ['America', 'prefs.zone.region.americas'],
  ['Asia', 'prefs.zone.region.asia'],
  ['Africa', 'prefs.zone.region.africa'],
  ['Australia', 'prefs.zone.region.pacific'],
  ['Pacific', 'prefs.zone.region.pacific'],
  ['Atlantic', 'prefs.zone.region.atlantic'],
  ['Indian', 'prefs.zone.region.indian'],
  ['Antarctica', 'prefs.zone.region.polar'],
  ['Arctic', 'prefs.zone.region.polar'],
] as const satisfies readonly (readonly [string, MessageKey])[];
type RegionKey = (typeof regions)[number][1] | 'prefs.zone.region.other';

export interface ZoneOption {
  /** The IANA name, stored as the person's zone; never shown. */
  id: string;
  label: string;
  offsetMinutes: number;
}
export interface ZoneGroup {
  label: string;
  zones: ZoneOption[];
}
export interface ZoneList {
  groups: ZoneGroup[];
  byId: Map<string, ZoneOption>;
}

const part = (locale: string, timeZone: string, timeZoneName: Intl.DateTimeFormatOptions['timeZoneName'], at: Date) =>
  new Intl.DateTimeFormat(locale, { timeZone, timeZoneName }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';

/** Minutes east of UTC from a "GMT+05:30" text (en), "GMT" alone meaning 0. */
function minutes(gmt: string): number {
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(gmt);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

function offsetText(offset: number): string {
  const sign = offset < 0 ? '−' : '+';
  const a = Math.abs(offset);
  return `UTC${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/**
 * The place a zone is named after in the reader's language: Intl's short generic name is the location
 * form ("czas: Nowy Jork", "纽约时间", "New York Time") for many zones; the catalog holds that form's
 * pattern, so the place is what the pattern leaves. Where Intl gives a metazone abbreviation instead
 * ("CET"), the IANA name's last segment stands in ("Warsaw").
 */
function place(shortGeneric: string, longGeneric: string, pattern: string, id: string): string {
  const [before, after] = pattern.split('{place}') as [string, string];
  if (shortGeneric !== longGeneric && shortGeneric.startsWith(before) && shortGeneric.endsWith(after)) {
    const found = shortGeneric.slice(before.length, shortGeneric.length - after.length).trim();
    if (found && !/^GMT|^UTC/.test(found)) return found;
  }
  return (id.split('/').pop() ?? id).replaceAll('_', ' ');
}

function build(locale: Locale): ZoneList {
  const { t } = i18n(locale);
  const tag = intlTag[locale];
  const pattern = t('prefs.zone.placePattern');
  // The standard offset: the smaller of January's and July's (summer time adds, in either hemisphere).
  const january = new Date(Date.UTC(new Date().getUTCFullYear(), 0, 15));
  const july = new Date(Date.UTC(new Date().getUTCFullYear(), 6, 15));
  const grouped = new Map<RegionKey, ZoneOption[]>();
  const byId = new Map<string, ZoneOption>();
  for (const id of new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])) {
    const offset = Math.min(minutes(part('en', id, 'longOffset', january)), minutes(part('en', id, 'longOffset', july)));
    let label: string;
    if (id === 'UTC' || id.startsWith('Etc/')) label = id === 'UTC' || id === 'Etc/UTC' ? t('prefs.zone.utc') : offsetText(offset);
    else {
      const long = part(tag, id, 'longGeneric', january);
      const short = part(tag, id, 'shortGeneric', january);
      const where = place(short, long, pattern, id);
      label = long.includes(where) ? `${long} (${offsetText(offset)})` : `${long} – ${where} (${offsetText(offset)})`;
    }
    const option = { id, label, offsetMinutes: offset };
    byId.set(id, option);
    const region: RegionKey = regions.find(([prefix]) => id.startsWith(`${prefix}/`))?.[1] ?? 'prefs.zone.region.other';
    grouped.set(region, [...(grouped.get(region) ?? []), option]);
  }
  const collator = new Intl.Collator(tag);
  const order: RegionKey[] = [...new Set(regions.map(([, key]) => key)), 'prefs.zone.region.other'];
  return {
    groups: order
      .filter((key) => grouped.has(key))
      .map((key) => ({
        label: t(key),
        zones: grouped.get(key)!.sort((a, b) => a.offsetMinutes - b.offsetMinutes || collator.compare(a.label, b.label)),
      })),
    byId,
  };
}

/**
 * Every language's list, as `npm run build` writes it (src/build.ts) for the server to read. Naming
 * some 420 zones takes about 1,700 \`Intl.DateTimeFormat\`s, whose ICU data and caches stay in the
 * process's native heap: 40 MB for good in a server that built the lists itself (decision 114).
 */
export const builtZoneLists = `${projectRoot}dist/zones.json`;

/** The lists of every language, written at build time (their offsets are the build year's). */
export function zoneListsForBuild(): Record<Locale, ZoneGroup[]> {
  return Object.fromEntries(locales.map((l) => [l, build(l).groups])) as Record<Locale, ZoneGroup[]>;
}

const cache = new Map<Locale, ZoneList>();
/** The time-zone options by region, named in the reader's language: from the build, or (`npm run dev`) built here once per language. */
export function zoneList(locale: Locale): ZoneList {
  if (!cache.size && existsSync(builtZoneLists)) {
    const built = JSON.parse(readFileSync(builtZoneLists, 'utf8')) as Record<Locale, ZoneGroup[]>;
    for (const l of locales) cache.set(l, { groups: built[l], byId: new Map(built[l].flatMap((g) => g.zones.map((z) => [z.id, z]))) });
  }
  let found = cache.get(locale);
  if (!found) cache.set(locale, (found = build(locale)));
  return found;
}
