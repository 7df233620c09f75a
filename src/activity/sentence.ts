/**
 * An audit row as a sentence in the reader's language: who (and on whose behalf), what, and which
 * subscription, person or partner. The action code stays machine-readable in the database and in the
 * CSV; people read only this. A code without a sentence of its own (a feature added it since) still
 * reads as a sentence, never as the code.
 */
import { productName } from '../catalog/text.ts';
import type { I18n, MessageKey } from '../i18n/index.ts';
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

/** The parts of the access-review and alert-setting sentences: period, policy, roles kept and removed, what was applied, the limit. */
function reviewParams(i: I18n, e: ActivityEntry) {
  const days = Number(field(e.after, 'days'));
  const policy = field(e.after, 'policy') === 'end' ? 'end' : 'remove_unused';
  const removed = rolesLabel(i, field(e.after, 'removed'));
  const limit = Number(field(e.after, 'limit'));
  return {
    period: days > 0 ? i.t('reviews.period.every', { days }) : i.t('reviews.period.off'),
    policy: i.t(`reviews.policy.${policy}`),
    kept: rolesLabel(i, field(e.after, 'kept')),
    removed,
    applied: policy === 'end' ? i.t('reviews.applied.end') : i.t('reviews.applied.removed', { removed }),
    limit: Number.isFinite(limit) ? limit : 0,
  };
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

/** `zone`: the reader's time zone, for the times a sentence names (an elevation's end). */
export function activitySentence(i: I18n, e: ActivityEntry, zone = 'UTC'): string {
  const unknown = i.t('activity.unknownName');
  const quantity = Number(field(e.after, 'quantity'));
  const minutes = Number(field(e.after, 'minutes'));
  const until = text(field(e.after, 'until'));
  const roles = field(e.after, 'roles');
  const params = {
    who: actorLabel(i, e, zone),
    partner: e.partnerName ?? partnerIn(e.after) ?? partnerIn(e.before) ?? unknown,
    from: partnerIn(e.before) ?? unknown,
    to: partnerIn(e.after) ?? unknown,
    product: e.productId ? productName(i, e.productId, e.productName ?? unknown) : (e.productName ?? unknown),
    // The name as it was written (user rows), else the person's name now (license rows store only the id).
    user: (e.action.startsWith('user.') ? text(field(e.after, 'name')) : null) ?? e.userName ?? unknown,
    org: text(field(e.after, 'name')) ?? unknown,
    email: text(field(e.after, 'email')) ?? text(field(e.before, 'email')) ?? unknown,
    type: relationshipLabel(i, e.relationshipType),
    quantity: Number.isFinite(quantity) ? quantity : 0,
    role: roleLabel(i, text(field(e.after, 'role'))) ?? unknown,
    domain: (e.action.startsWith('domain.') ? text(field(e.after, 'name')) : null) ?? unknown,
    // Elevations (src/elevation/): the partner person, how long, why, until when; a relationship's policy and roles.
    person: text(field(e.after, 'person')) ?? unknown,
    duration: i.t('elev.hours', { hours: Number.isFinite(minutes) ? Math.round((minutes / 60) * 10) / 10 : 0 }),
    reason: text(field(e.after, 'reason')) ?? unknown,
    until: until ? i.dateTime(until, zone) : unknown,
    policy: i.t(field(e.after, 'approvalRequired') === false ? 'elev.access.policy.auto' : 'elev.access.policy.required'),
    roles: Array.isArray(roles) ? roleChangeLabel(i, roles, field(e.after, 'eligible')) : unknown,
    ...(e.action.startsWith('relationship.review.') || e.action.startsWith('organization.alerts.') ? reviewParams(i, e) : {}),
  };
  const known = (knownActions as readonly string[]).includes(e.action);
  return i.t((known ? `activity.sentence.${e.action}` : 'activity.sentence.other') as MessageKey, params);
}
