/** Who may end which relationship, and what the clock means for delegated admin: pure decisions. */
import type { relationshipStatus, relationshipType, Role } from '../db/schema.ts';
import { mayChangePartnerOfRecord } from '../partner-of-record/partner-of-record.rules.ts';
import { DAY } from '../time.ts';

export type RelationshipType = (typeof relationshipType.enumValues)[number];
export type RelationshipStatus = (typeof relationshipStatus.enumValues)[number];

export const EXPIRES_SOON_DAYS = 30;
/** Reminder e-mails go this many days before delegated admin ends, once each. */
export const REMINDER_DAYS = [30, 7, 1] as const;

/**
 * The customer ends delegated admin (global admin only) and partner of record (global or billing admin);
 * only the reseller ends a reseller relationship, and the partner may also end delegated admin.
 */
export function typesEndableBy(role: Role): RelationshipType[] {
  switch (role) {
    case 'global_admin':
      return ['delegated_admin', 'advisor'];
    case 'billing_admin':
      return ['advisor'];
    case 'partner_admin':
    case 'partner_agent':
      return ['reseller', 'delegated_admin'];
    default:
      return [];
  }
}

/**
 * Why an actor may not end a relationship, or null when they may. Ending the advisor relationship removes
 * the partner of record, so when that partner is also the reseller only the reseller may (the reseller rule).
 */
export function whyNotEndable(role: Role, type: RelationshipType, heldByReseller = false): 'resellerOnly' | 'globalAdminOnly' | 'customerOnly' | null {
  if (type === 'advisor' && typesEndableBy(role).includes(type) && !mayChangePartnerOfRecord({ heldByReseller }, 'customer')) return 'resellerOnly';
  if (typesEndableBy(role).includes(type)) return null;
  if (type === 'reseller') return 'resellerOnly';
  if (type === 'delegated_admin') return 'globalAdminOnly';
  return 'customerOnly';
}

/** A delegated admin past its end date is expired, whether or not the job has marked it yet. */
export function effectiveStatus(r: { status: RelationshipStatus; endsAt: Date | string | null }, now: Date): RelationshipStatus {
  if (r.status === 'active' && r.endsAt && new Date(r.endsAt).getTime() <= now.getTime()) return 'expired';
  return r.status;
}

export function expiresSoon(r: { status: RelationshipStatus; endsAt: Date | string | null }, now: Date): boolean {
  if (effectiveStatus(r, now) !== 'active' || !r.endsAt) return false;
  return new Date(r.endsAt).getTime() - now.getTime() <= EXPIRES_SOON_DAYS * DAY;
}

/**
 * The reminder due now: the smallest threshold the time left has crossed (a job that was down does not
 * send the 30-day reminder at 5 days left). Null when it is over or more than 30 days away.
 */
export function dueReminder(endsAt: Date | string, now: Date): (typeof REMINDER_DAYS)[number] | null {
  const left = new Date(endsAt).getTime() - now.getTime();
  if (left <= 0) return null;
  const crossed = REMINDER_DAYS.filter((d) => left <= d * DAY);
  return crossed.length ? crossed[crossed.length - 1] : null;
}
