/** Every feature's catalog, merged. A feature adds its `messages.ts` to `features`. */
import auth from '../auth/messages.ts';
import ui from '../ui/messages.ts';

export const features = [ui, auth] as const;

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type English = UnionToIntersection<(typeof features)[number]['en']>;

function merge(locale: 'en' | 'pl' | 'zh'): English {
  return Object.assign({}, ...features.map((f) => f[locale]));
}

export const catalogs = { en: merge('en'), pl: merge('pl'), zh: merge('zh') };
export type MessageKey = keyof English;
