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
  // Suspend and resume of delegated admin (src/relationships/suspend.queries.ts).
  'relationship.suspended',
  'relationship.resumed',
] as const;

const relationshipTypes = ['reseller', 'delegated_admin', 'advisor'] as const;

type Json = Record<string, unknown> | null;
const field = (o: Json, key: string): unknown => (o && typeof o === 'object' ? o[key] : undefined);
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const partnerIn = (o: Json): string | null => text(field(field(o, 'partner') as Json, 'name'));

/** "Northwind Traders (Jan Kowalski)" for a partner acting for the customer; the person's name otherwise. */
export function actorLabel(i: I18n, e: Pick<ActivityEntry, 'actorName' | 'partnerName' | 'onBehalf' | 'system'>): string {
  if (e.system) return i.t('activity.who.system');
  if (e.onBehalf && e.partnerName) return i.t('activity.who.onBehalf', { partner: e.partnerName, person: e.actorName });
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

export function activitySentence(i: I18n, e: ActivityEntry): string {
  const unknown = i.t('activity.unknownName');
  const quantity = Number(field(e.after, 'quantity'));
  const params = {
    who: actorLabel(i, e),
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
    ...(e.action.startsWith('relationship.review.') || e.action.startsWith('organization.alerts.') ? reviewParams(i, e) : {}),
  };
  const known = (knownActions as readonly string[]).includes(e.action);
  return i.t((known ? `activity.sentence.${e.action}` : 'activity.sentence.other') as MessageKey, params);
}
