import { useRequestContext } from 'hono/jsx-renderer';
import { actionLabel } from '../activity/activity.views.tsx';
import type { AppEnv } from '../context.ts';
import type { Role } from '../db/schema.ts';
import type { I18n, MessageKey } from '../i18n/index.ts';
import { CsrfField, ErrorSummary } from '../ui/form.tsx';
import type { EndMail, PartnerWithRelationships, RelationshipRow, RelationshipWithNames } from './relationships.queries.ts';
import { expiresSoon, whyNotEndable, type RelationshipType } from './relationships.rules.ts';

export const typeLabel = (t: I18n['t'], type: RelationshipType) => t(`rel.type.${type}` as MessageKey);

export function endMail(t: I18n['t']): EndMail {
  return {
    subject: t('rel.mail.ended.subject'),
    body: t('rel.mail.ended.body'),
    typeLabels: { reseller: t('rel.type.reseller'), delegated_admin: t('rel.type.delegated_admin'), advisor: t('rel.type.advisor') },
  };
}

export function RoleList({ roles }: { roles: string[] }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  if (roles.length === 0) return <span class="muted">—</span>;
  return <>{roles.map((r) => t(`rel.role.${r}` as MessageKey)).join(', ')}</>;
}

/** Status, and "Expires soon" for a delegated admin ending within 30 days. */
export function StatusCell({ r, now }: { r: RelationshipRow; now: Date }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <>
      <span class="badge">{t(`rel.status.${r.status}` as MessageKey)}</span>
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
export function RemoveControl({ r, role, partnerName, href, target }: { r: RelationshipRow; role: Role; partnerName: string; href: string; target: string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  if (r.status !== 'active') return null;
  const why = whyNotEndable(role, r.type);
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
    <form method="get" action={href} hx-get={href} hx-target={target} hx-swap="innerHTML" class="inline">
      <button class="danger" aria-label={name}>
        {t('rel.remove')}
      </button>
    </form>
  );
}

/** The confirmation step: a plain form (works without JS), swapped in place of the Remove link with htmx. */
export function RemoveConfirm({ r, action, cancel, section }: { r: RelationshipWithNames; action: string; cancel: string; section: string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  const names = { partner: r.partnerName, customer: r.customerName, type: typeLabel(t, r.type) };
  return (
    <form method="post" action={action} hx-post={action} hx-target={`#${section}`} hx-swap="outerHTML" class="pane confirm">
      <CsrfField />
      <p>
        <strong>{t('rel.confirm.title', names)}</strong>
      </p>
      <p>{t(`rel.confirm.${r.type}`, names)}</p>
      <div class="actions">
        <button class="danger">{t('rel.confirm.submit')}</button>
        <a href={cancel}>{t('common.cancel')}</a>
      </div>
    </form>
  );
}

function PartnerCard({ p, role, now }: { p: PartnerWithRelationships; role: Role; now: Date }) {
  const { t, date } = useRequestContext<AppEnv>().get('i18n');
  return (
    <article class="pane" id={`partner-${p.partnerOrgId}`}>
      <h2>{p.name}</h2>
      <p class="muted">{t('rel.partnerId', { id: p.partnerId })}</p>
      <div class="table-wrap">
        <table class="stack">
          <thead>
            <tr>
              <th>{t('rel.col.type')}</th>
              <th>{t('rel.col.roles')}</th>
              <th>{t('rel.col.status')}</th>
              <th>{t('rel.col.started')}</th>
              <th>{t('rel.col.ends')}</th>
              <th>{t('rel.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {p.relationships.map((r) => (
              <tr id={`rel-${r.id}`}>
                <td data-label={t('rel.col.type')}>{typeLabel(t, r.type)}</td>
                <td data-label={t('rel.col.roles')}>
                  <RoleList roles={r.roles} />
                </td>
                <td data-label={t('rel.col.status')}>
                  <StatusCell r={r} now={now} />
                </td>
                <td data-label={t('rel.col.started')}>{date(r.startedAt)}</td>
                <td data-label={t('rel.col.ends')}>{date(r.endedAt ?? r.endsAt)}</td>
                <td>
                  <RemoveControl r={r} role={role} partnerName={p.name} href={`/settings/partner-relationships/${r.id}/remove`} target={`#rel-${r.id} td:last-child`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>{t('rel.recent')}</h3>
      {p.recent.length === 0 ? (
        <p class="muted">{t('rel.noRecent')}</p>
      ) : (
        <ul>
          {p.recent.map((a) => (
            <li>
              {date(a.createdAt)} · {a.actorName} · {actionLabel(t, a.action)}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

/** The list the page shows and htmx swaps after a removal. */
export function RelationshipsSection({ partners, role, now, notice, error }: { partners: PartnerWithRelationships[]; role: Role; now: Date; notice?: string; error?: string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <section id="partner-relationships">
      {notice && (
        <p class="flash" role="status">
          {notice}
        </p>
      )}
      <ErrorSummary errors={error} />
      {partners.length === 0 ? (
        <p>
          {t('rel.empty')} <a href="/partners">{t('nav.findPartner')}</a>
        </p>
      ) : (
        partners.map((p) => <PartnerCard p={p} role={role} now={now} />)
      )}
    </section>
  );
}

export function RelationshipsPage(props: { partners: PartnerWithRelationships[]; role: Role; now: Date; confirm?: RelationshipWithNames }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <>
      <h1>{t('rel.title')}</h1>
      <p>{t('rel.intro')}</p>
      <p>
        <a href="/settings/partner-relationships.csv" download>
          {t('rel.export')}
        </a>
      </p>
      <RelationshipsSection {...props} />
    </>
  );
}

export function ConfirmPage({ r, action, cancel, section }: { r: RelationshipWithNames; action: string; cancel: string; section: string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <section id={section} class="narrow">
      <h1>{t('rel.title')}</h1>
      <RemoveConfirm r={r} action={action} cancel={cancel} section={section} />
    </section>
  );
}
