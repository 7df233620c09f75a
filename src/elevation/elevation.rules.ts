/** Pure decisions about eligible roles and elevations (issue 24, decision 110). */
import { permissions } from '../authorization/roles.rules.ts';
import type { MessageKey } from '../i18n/index.ts';

export const MAX_ELEVATION_HOURS = 8;
export const REASON_MAX = 200;
export const TICKET_MAX = 40;
/** A request for approval waits at most this long. */
export const DECISION_WINDOW_MS = 24 * 60 * 60 * 1000;

export type ElevationState = 'pending' | 'lapsed' | 'denied' | 'active' | 'ended';

export interface ElevationRow {
  id: string;
  userName: string;
  role: string;
  minutes: number;
  reason: string;
  ticket: string | null;
  status: string;
  requestedAt: string | Date;
  decidedByName: string | null;
  decidedByUserId?: string | null;
  endsAt: string | Date | null;
}

export function stateOf(e: Pick<ElevationRow, 'status' | 'requestedAt' | 'endsAt'>, now: Date): ElevationState {
  if (e.status === 'pending') return new Date(e.requestedAt).getTime() + DECISION_WINDOW_MS > now.getTime() ? 'pending' : 'lapsed';
  if (e.status === 'denied') return 'denied';
  return e.endsAt && new Date(e.endsAt).getTime() > now.getTime() ? 'active' : 'ended';
}

/** Eligible roles as stored ({role: hours}), keeping only known roles with 1–8 hours, in the roles' order. */
export function eligibleOf(value: unknown): Record<string, number> {
  const o = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  return Object.fromEntries(
    permissions.filter((r) => Number.isInteger(o[r]) && (o[r] as number) >= 1 && (o[r] as number) <= MAX_ELEVATION_HOURS).map((r) => [r, o[r] as number]),
  );
}

/** A whole number of hours 1–8 from a form field, or null. */
export function hoursOf(value: string | undefined): number | null {
  if (!value || !/^[1-8]$/.test(value)) return null;
  return Number(value);
}

export interface ActivationInput {
  role: string;
  hours: string;
  reason: string;
  ticket: string;
}

/** Checks an activation against the relationship's eligible roles: the request, or messages by field. */
export function checkActivation(
  input: ActivationInput,
  eligible: Record<string, number>,
): { ok: { role: string; minutes: number; reason: string; ticket: string | null }; errors: null } | { ok: null; errors: Record<string, MessageKey> } {
  const errors: Record<string, MessageKey> = {};
  const max = eligible[input.role];
  if (!max) errors.role = 'elev.error.role';
  const hours = hoursOf(input.hours);
  if (!hours || (max && hours > max)) errors.hours = 'elev.error.duration';
  const reason = input.reason.trim();
  if (reason.length < 1 || reason.length > REASON_MAX) errors.reason = 'elev.error.reason';
  const ticket = input.ticket.trim();
  if (ticket.length > TICKET_MAX) errors.ticket = 'elev.error.ticket';
  if (Object.keys(errors).length > 0) return { ok: null, errors };
  return { ok: { role: input.role, minutes: hours! * 60, reason, ticket: ticket || null }, errors: null };
}
