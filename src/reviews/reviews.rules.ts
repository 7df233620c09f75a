/**
 * Access reviews, as pure decisions (issue 25 §1): the periods a customer may choose, what an unanswered
 * review leads to, and what a submitted review form decides (which actions count as a role's use:
 * `actionsOfRole` in authorization/roles.rules.ts).
 */
import { actionsOfRole } from '../authorization/roles.rules.ts';
import { DAY } from '../time.ts';

/** The review page of relationship `id`. */
export const reviewHref = (id: string) => `/settings/partner-relationships/${id}/review`;

export const reviewPeriods = [30, 90, 180] as const;
export type ReviewPeriod = (typeof reviewPeriods)[number];

/** 'remove_unused': remove the roles not used since the last review; 'end': end the relationship. */
export const unansweredPolicies = ['remove_unused', 'end'] as const;
export type UnansweredPolicy = (typeof unansweredPolicies)[number];

/** An open review left unanswered this long after it was due gets the chosen policy applied. */
export const GRACE_MS = 7 * DAY;

export const isPeriod = (v: string): v is `${ReviewPeriod}` | 'off' => v === 'off' || reviewPeriods.some((p) => String(p) === v);
export const isPolicy = (v: string): v is UnansweredPolicy => (unansweredPolicies as readonly string[]).includes(v);

export type Decision = 'keep' | 'remove';

/** The Keep / Remove a review form sends for each role (field `role_<name>`); anything else is no choice. */
export function decisionsOf(form: Record<string, unknown>): Record<string, Decision> {
  const chosen: Record<string, Decision> = {};
  for (const [k, v] of Object.entries(form)) {
    const role = k.startsWith('role_') ? k.slice(5) : '';
    if (role in actionsOfRole && (v === 'keep' || v === 'remove')) chosen[role] = v;
  }
  return chosen;
}
