/** The cells of one relationship, shared by Partner relationships and the partner portal: type, roles, status, Remove. */
import { useRequestContext } from '#jsx/jsx-runtime';
import type { AppEnv } from '../context.ts';
import type { Role } from '../db/schema.ts';
import type { I18n, MessageKey } from '../i18n/index.ts';
import type { RelationshipRow } from './relationships.queries.ts';
import { effectiveStatus, expiresSoon, whyNotEndable, type RelationshipType } from './relationships.rules.ts';

export const typeLabel = (t: I18n['t'], type: RelationshipType) => t(`rel.type.${type}` as MessageKey);

export function RoleList({ roles, eligible }: { roles: string[]; eligible?: Record<string, number> }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  // Eligible roles (issue 24): "Passwords (eligible, up to 2 h)" after the standing ones.
  const more = Object.entries(eligible ?? {}).map(([r, hours]) => t('elev.eligibleUpTo', { role: t(`rel.role.${r}` as MessageKey), hours }));
  if (roles.length === 0 && more.length === 0) return <span class="muted">—</span>;
  return <>{[...roles.map((r) => t(`rel.role.${r}` as MessageKey)), ...more].join(t('common.listSeparator'))}</>;
}

/** Status, and "Expires soon" for a delegated admin ending within 30 days. */
export function StatusCell({ r, now }: { r: RelationshipRow; now: Date }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <>
      <span class="badge">{t(`rel.status.${r.status}` as MessageKey)}</span>
      {r.suspendedAt && effectiveStatus(r, now) === 'active' && (
        <>
          {' '}
          <strong class="badge error">{t('rel.suspend.badge')}</strong>
        </>
      )}
      {expiresSoon(r, now) && (
        <>
          {' '}
          <strong class="badge error">{t('rel.expiresSoon')}</strong>
        </>
      )}
    </>
  );
}

/**
 * Remove, for what this person may end; otherwise the same button disabled with the reason tied to it.
 * Its name says what it ends ("Remove Delegated admin of Northwind Traders"): every row has one.
 * (`partnerName` is the other party: the partner for a customer, the customer in the partner portal.)
 */
export function RemoveControl({
  r,
  role,
  partnerName,
  href,
  target,
  heldByReseller,
}: {
  r: RelationshipRow;
  role: Role;
  partnerName: string;
  href: string;
  target: string;
  heldByReseller?: boolean;
}) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  if (r.status !== 'active') return null;
  const why = whyNotEndable(role, r.type, heldByReseller);
  const name = t('rel.removeOf', { type: typeLabel(t, r.type), name: partnerName });
  if (why) {
    return (
      <>
        <button type="button" class="danger" disabled aria-label={name} aria-describedby={`why-${r.id}`}>
          {t('rel.remove')}
        </button>{' '}
        <small id={`why-${r.id}`} class="hint">
          {t(`rel.why.${why}`, { partner: partnerName })}
        </small>
      </>
    );
  }
  return (
    <form method="get" action={href} data-hx-get={href} data-hx-target={target} data-hx-swap="innerHTML" class="inline">
      <button class="danger" aria-label={name}>
        {t('rel.remove')}
      </button>
    </form>
  );
}
