/** Who may suspend and resume a partner's delegated admin (issue 24 §4): a pure decision. */
import { mayManageRoles } from '../authorization/roles.rules.ts';
import type { Role } from '../db/schema.ts';

/**
 * The customer's global admins only: suspending takes the partner's admin roles away for a while, and only
 * a global admin manages admin roles (roles.rules.ts `mayManageRoles`), as only a global admin ends delegated
 * admin. A billing admin or a narrower admin sees the button disabled, with this reason.
 */
export const maySuspend = (role: Role): boolean => mayManageRoles({ kind: 'own', role });
