/**
 * An audit row as a sentence in the reader's language: who (and on whose behalf), what, and which
 * subscription, person or partner. The action code stays machine-readable in the database and in the
 * CSV; people read only this. A code without a sentence of its own (a feature added it since) still
 * reads as a sentence, never as the code.
 */
import { productName } from '../catalog/text.ts';
import type { I18n, MessageKey, Params } from '../i18n/index.ts';
import type { ActivityEntry } from './activity.queries.ts';

/** Every action code some writer of audit rows uses, each with its sentence in activity/messages.ts. */
export const knownActions = [
  'user.signed_in',
  'organization.created',
  'relationship.ended',
  'relationship.expired',
  'relationship.advisor.started',
  'relationship.advisor.ended',
  'partner_relationship.authorized',
  'subscription.purchased',
  'subscription.created',
  'subscription.quantity.changed',
  'subscription.partner_of_record.added',
  'subscription.partner_of_record.changed',
  'subscription.partner_of_record.removed',
  'user.created',
  'user.updated',
  'user.password_reset',
  'user.disabled',
  'license.assigned',
  'license.removed',
  'invitation.created',
  'invitation.revoked',
  'invitation.accepted',
  'user.role_granted',
  'user.role_removed',
  'user.billing_owner_changed',
  'domain.added',
  'domain.verified',
  'domain.default_set',
  'domain.removed',
  // Two-step sign-in (src/two-step/; their sentences live in its messages.ts).
  'user.two_step.enabled',
  'user.two_step.app_changed',
  'user.two_step.recovery_codes_replaced',
  'user.two_step.disabled',
  'user.two_step.reset',
  'user.passkey.added',
  'user.passkey.removed',
  'user.sessions.signed_out',
  'user.sessions.signed_out_others',
  'user.password_changed',
  'organization.two_step_required',
  'organization.two_step_not_required',
  // Access reviews (src/reviews/; their sentences live in its messages.ts) and the alert setting (src/alerts/).
  'relationship.review.settings_changed',
  'relationship.review.due',
  'relationship.review.answered',
  'relationship.review.policy_applied',
  'organization.alerts.reset_limit_changed',
  // Eligible roles and just-in-time elevation (src/elevation/; their sentences live in its messages.ts).
  'relationship.elevation.requested',
  'relationship.elevation.approved',
  'relationship.elevation.auto_approved',
  'relationship.elevation.denied',
  'relationship.elevation.ended',
  'relationship.elevation.expired',
  'relationship.elevation_policy.changed',
  'relationship.roles.changed',
  // Suspend and resume of delegated admin (src/relationships/suspend.queries.ts).
  'relationship.suspended',
  'relationship.resumed',
] as const;

const relationshipTypes = ['reseller', 'delegated_admin', 'advisor'] as const;

type Json = Record<string, unknown> | null;
const field = (o: Json, key: string): unknown => (o && typeof o === 'object' ? o[key] : undefined);
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const partnerIn = (o: Json): string | null => text(field(field(o, 'partner') as Json, 'name'));

/**
 * "Northwind Traders (Jan Kowalski)" for a partner acting for the customer, with the elevation it acted
 * under ("…, with Passwords until 14:30, reason: …", issue 24 §3, in the reader's zone); the person's name otherwise.
 */
export function actorLabel(i: I18n, e: Pick<ActivityEntry, 'actorName' | 'partnerName' | 'onBehalf' | 'system'> & { after?: Json }, zone = 'UTC'): string {
  if (e.system) return i.t('activity.who.system');
  if (e.onBehalf && e.partnerName) {
    const elevation = field(field(e.after ?? null, 'via') as Json, 'elevation') as Json;
    const role = roleLabel(i, text(field(elevation, 'role')));
    const until = text(field(elevation, 'until'));
    if (role && until) {
      const ticket = text(field(elevation, 'ticket'));
      const params = { partner: e.partnerName, person: e.actorName, role, until: i.dateTime(until, zone), reason: text(field(elevation, 'reason')) ?? '—' };
      return ticket ? i.t('activity.who.onBehalfElevatedTicket', { ...params, ticket }) : i.t('activity.who.onBehalfElevated', params);
    }
    return i.t('activity.who.onBehalf', { partner: e.partnerName, person: e.actorName });
  }
  return e.actorName;
}

function relationshipLabel(i: I18n, type: string | null): string {
  const known = relationshipTypes.find((r) => r === type);
  return i.t(known ? `activity.type.${known}` : 'activity.type.unknown');
}

/** An admin role granted or removed: a base role (global or billing admin) or a narrower one (users, domains…). */
function roleLabel(i: I18n, role: string | null): string | null {
  if (role === 'global_admin' || role === 'billing_admin') return i.t(`users.role.${role}`);
  if (role === 'users' || role === 'passwords' || role === 'licenses' || role === 'domains' || role === 'admin_roles') return i.t(`rel.role.${role}`);
  return null;
}

/** Roles kept or removed by an access review, in the reader's language ("none" for an empty list). */
function rolesLabel(i: I18n, v: unknown): string {
  const list = Array.isArray(v) ? v.map((r) => roleLabel(i, typeof r === 'string' ? r : null) ?? i.t('activity.unknownName')) : [];
  return list.length ? list.join(i.t('common.listSeparator')) : i.t('reviews.none');
}

/** A relationship's roles after a change: the standing ones, then "Passwords (eligible, up to 2 h)". */
function roleChangeLabel(i: I18n, roles: unknown[], eligible: unknown): string {
  const more = eligible && typeof eligible === 'object' ? Object.entries(eligible as Record<string, unknown>) : [];
  const names = [
    ...roles.map((r) => roleLabel(i, text(r))),
    ...more.map(([r, hours]) => (roleLabel(i, r) ? i.t('elev.eligibleUpTo', { role: roleLabel(i, r)!, hours: Number(hours) || 0 }) : null)),
  ].filter((x): x is string => !!x);
  return names.join(i.t('common.listSeparator')) || '—';
}

/**
 * A sentence's parts, each worked out when its message names it (`i.t` reads a part only for a
 * placeholder): a row's sentence names two to four of them, and working out all twenty for each of a
 * page's rows (labels, an elevation's duration, a time in the reader's zone) cost 12 of the 286 KB the
 * activity page allocated per request.
 */
class Parts {
  protected readonly i: I18n;
  protected readonly e: ActivityEntry;
  readonly #zone: string;
  protected readonly unknown: string;
  constructor(i: I18n, e: ActivityEntry, zone: string) {
    this.i = i;
    this.e = e;
    this.#zone = zone;
    this.unknown = i.t('activity.unknownName');
  }
  get who() {
    return actorLabel(this.i, this.e, this.#zone);
  }
  get partner() {
    return this.e.partnerName ?? partnerIn(this.e.after) ?? partnerIn(this.e.before) ?? this.unknown;
  }
  get from() {
    return partnerIn(this.e.before) ?? this.unknown;
  }
  get to() {
    return partnerIn(this.e.after) ?? this.unknown;
  }
  get product() {
    const e = this.e;
    return e.productId ? productName(this.i, e.productId, e.productName ?? this.unknown) : (e.productName ?? this.unknown);
  }
  /** The name as it was written (user rows), else the person's name now (license rows store only the id). */
  get user() {
    return (this.e.action.startsWith('user.') ? text(field(this.e.after, 'name')) : null) ?? this.e.userName ?? this.unknown;
  }
  get org() {
    return text(field(this.e.after, 'name')) ?? this.unknown;
  }
  get email() {
    return text(field(this.e.after, 'email')) ?? text(field(this.e.before, 'email')) ?? this.unknown;
  }
  get type() {
    return relationshipLabel(this.i, this.e.relationshipType);
  }
  get quantity() {
    const quantity = Number(field(this.e.after, 'quantity'));
    return Number.isFinite(quantity) ? quantity : 0;
  }
  get role() {
    return roleLabel(this.i, text(field(this.e.after, 'role'))) ?? this.unknown;
  }
  get domain() {
    return (this.e.action.startsWith('domain.') ? text(field(this.e.after, 'name')) : null) ?? this.unknown;
  }
  // Elevations (src/elevation/): the partner person, how long, why, until when; a relationship's policy and roles.
  get person() {
    return text(field(this.e.after, 'person')) ?? this.unknown;
  }
  get duration() {
    const minutes = Number(field(this.e.after, 'minutes'));
    return this.i.t('elev.hours', { hours: Number.isFinite(minutes) ? Math.round((minutes / 60) * 10) / 10 : 0 });
  }
  get reason() {
    return text(field(this.e.after, 'reason')) ?? this.unknown;
  }
  get until() {
    const until = text(field(this.e.after, 'until'));
    return until ? this.i.dateTime(until, this.#zone) : this.unknown;
  }
  get policy() {
    return this.i.t(field(this.e.after, 'approvalRequired') === false ? 'elev.access.policy.auto' : 'elev.access.policy.required');
  }
  get roles() {
    const roles = field(this.e.after, 'roles');
    return Array.isArray(roles) ? roleChangeLabel(this.i, roles, field(this.e.after, 'eligible')) : this.unknown;
  }
}

/** The access-review and alert-setting sentences' parts besides: period, policy, roles kept and removed, what was applied, the limit. */
class ReviewParts extends Parts {
  get period() {
    const days = Number(field(this.e.after, 'days'));
    return days > 0 ? this.i.t('reviews.period.every', { days }) : this.i.t('reviews.period.off');
  }
  override get policy() {
    return this.i.t(field(this.e.after, 'policy') === 'end' ? 'reviews.policy.end' : 'reviews.policy.remove_unused');
  }
  get kept() {
    return rolesLabel(this.i, field(this.e.after, 'kept'));
  }
  get removed() {
    return rolesLabel(this.i, field(this.e.after, 'removed'));
  }
  get applied() {
    return field(this.e.after, 'policy') === 'end' ? this.i.t('reviews.applied.end') : this.i.t('reviews.applied.removed', { removed: this.removed });
  }
  get limit() {
    const limit = Number(field(this.e.after, 'limit'));
    return Number.isFinite(limit) ? limit : 0;
  }
}

/** `zone`: the reader's time zone, for the times a sentence names (an elevation's end). */
export function activitySentence(i: I18n, e: ActivityEntry, zone = 'UTC'): string {
  const review = e.action.startsWith('relationship.review.') || e.action.startsWith('organization.alerts.');
  // Getters, not an object literal: `i.t` reads a part by name, so only the named ones are worked out.
  const params = (review ? new ReviewParts(i, e, zone) : new Parts(i, e, zone)) as unknown as Params;
  const known = (knownActions as readonly string[]).includes(e.action);
  return i.t((known ? `activity.sentence.${e.action}` : 'activity.sentence.other') as MessageKey, params);
}
