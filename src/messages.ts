/**
 * The message catalogue: every feature's messages, merged where the app is assembled. A feature adds its
 * `messages.ts` to `features`. Importing this module registers the catalogue with i18n (src/app.tsx does,
 * and so do the tests' setup), and its keys become i18n's `MessageKey` by declaration merging: the seam
 * through which i18n knows the messages without importing any feature.
 */
import auth from './auth/messages.ts';
import links from './invitations/links.messages.ts';
import authorize from './invitations/authorize.messages.ts';
import mail from './mail/messages.ts';
import ui from './ui/messages.ts';
import { provideCatalogs } from './i18n/index.ts';
import subscriptions from './subscriptions/messages.ts';
import purchase from './purchase/messages.ts';
import partners from './partners/messages.ts';
import partnerOfRecord from './partner-of-record/messages.ts';
import relationships from './relationships/messages.ts';
import suspend from './relationships/suspend.messages.ts';
import activity from './activity/messages.ts';
import users from './users/messages.ts';
import portal from './portal/messages.ts';
import preferences from './preferences/messages.ts';
import http from './http/messages.ts';
import catalog from './catalog/messages.ts';
import roles from './users/roles.messages.ts';
import domains from './domains/messages.ts';
import alerts from './alerts/messages.ts';
import twoStep from './two-step/messages.ts';
import reviews from './reviews/messages.ts';
import elevation from './elevation/messages.ts';

export const features = [
  ui,
  auth,
  relationships,
  suspend,
  activity,
  users,
  roles,
  domains,
  portal,
  subscriptions,
  purchase,
  catalog,
  partners,
  partnerOfRecord,
  links,
  authorize,
  mail,
  preferences,
  twoStep,
  elevation,
  http,
  alerts,
  reviews,
] as const;

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type English = UnionToIntersection<(typeof features)[number]['en']>;

function merge(locale: 'en' | 'pl' | 'zh'): English {
  return Object.assign({}, ...features.map((f) => f[locale]));
}

export const catalogs = { en: merge('en'), pl: merge('pl'), zh: merge('zh') };

declare module './i18n/index.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Catalog extends English {}
}

provideCatalogs(catalogs);
