/** Every feature's catalog, merged. A feature adds its `messages.ts` to `features`. */
import auth from '../auth/messages.ts';
import links from '../invitations/links.messages.ts';
import authorize from '../invitations/authorize.messages.ts';
import mail from '../mail/messages.ts';
import ui from '../ui/messages.ts';
import subscriptions from '../subscriptions/messages.ts';
import purchase from '../purchase/messages.ts';
import partners from '../partners/messages.ts';
import partnerOfRecord from '../partner-of-record/messages.ts';
import relationships from '../relationships/messages.ts';
import activity from '../activity/messages.ts';
import users from '../users/messages.ts';
import portal from '../portal/messages.ts';
import preferences from '../preferences/messages.ts';
import http from '../http/messages.ts';
import catalog from '../catalog/messages.ts';
import roles from '../users/roles.messages.ts';
import domains from '../domains/messages.ts';
import alerts from '../alerts/messages.ts';

export const features = [
  ui,
  auth,
  relationships,
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
  http,
  alerts,
] as const;

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type English = UnionToIntersection<(typeof features)[number]['en']>;

function merge(locale: 'en' | 'pl' | 'zh'): English {
  return Object.assign({}, ...features.map((f) => f[locale]));
}

export const catalogs = { en: merge('en'), pl: merge('pl'), zh: merge('zh') };
export type MessageKey = keyof English;
