import { useRequestContext } from '#jsx/jsx-runtime';
import { ActivityWhen } from '../activity/activity.views.tsx';
import { activitySentence } from '../activity/sentence.ts';
import type { AppEnv } from '../context.ts';
import type { Role } from '../db/schema.ts';
import { i18n, type I18n, type MessageKey } from '../i18n/index.ts';
import { CsrfField, ErrorSummary } from '../ui/form.tsx';
import { encodeCursor, type Cursor } from '../http/cursor.ts';
import type { EndedPage, EndMail, PartnerWithRelationships, RelationshipRow, RelationshipWithNames } from './relationships.queries.ts';
import { expiresSoon, whyNotEndable, type RelationshipType } from './relationships.rules.ts';
import { Notice } from '../ui/notice.tsx';

export const typeLabel = (t: I18n['t'], type: RelationshipType) => t(`rel.type.${type}` as MessageKey);

/** The e-mail about an ended relationship in every language; the database picks each recipient's. */
export function endMail(): EndMail {
  const one = ({ t }: I18n) => ({
    subject: t('rel.mail.ended.subject'),
    body: t('rel.mail.ended.body'),
    typeLabels: { reseller: t('rel.type.reseller'), delegated_admin: t('rel.type.delegated_admin'), advisor: t('rel.type.advisor') },
  });
  return { en: one(i18n('en')), pl: one(i18n('pl')), zh: one(i18n('zh')) };
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

/** The partner is the customer's active reseller: its partner of record is the reseller's to end. */
const isReseller = (p: PartnerWithRelationships) => p.relationships.some((x) => x.type === 'reseller' && x.status === 'active');

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

/** The confirmation step: a plain form (works without JS), swapped in place of the Remove link with htmx. */
export function RemoveConfirm({ r, action, cancel, section }: { r: RelationshipWithNames; action: string; cancel: string; section: string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  const names = { partner: r.partnerName, customer: r.customerName, type: typeLabel(t, r.type) };
  return (
    <form method="post" action={action} data-hx-post={action} data-hx-target={`#${section}`} data-hx-swap="outerHTML" class="pane confirm">
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

const PAGE = '/settings/partner-relationships';
const endedHref = (partnerOrgId: string) => `${PAGE}/partners/${partnerOrgId}/ended`;

function PartnerCard({ p, role, now }: { p: PartnerWithRelationships; role: Role; now: Date }) {
  const i18n = useRequestContext<AppEnv>().get('i18n');
  const { t, date, number } = i18n;
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
            {p.relationships.length === 0 && (
              <tr>
                <td colspan={6}>{t('rel.noCurrent')}</td>
              </tr>
            )}
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
                  <RemoveControl
                    r={r}
                    role={role}
                    partnerName={p.name}
                    href={`/settings/partner-relationships/${r.id}/remove`}
                    target={`#rel-${r.id} td:last-child`}
                    heldByReseller={isReseller(p)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {p.endedCount > 0 && (
        <p>
          <a href={endedHref(p.partnerOrgId)}>{t('rel.showEnded', { count: number(p.endedCount) })}</a>
        </p>
      )}
      <h3>{t('rel.recent')}</h3>
      {p.recent.length === 0 ? (
        <p class="muted">{t('rel.noRecent')}</p>
      ) : (
        <ul>
          {p.recent.map((a) => (
            <li>
              <ActivityWhen at={a.createdAt} /> · {activitySentence(i18n, a)}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

/** Keyset pager: the first page and the next one (a cursor carries the last row's sort key). */
function Pager({ base, first, next, nextLabel }: { base: string; first: boolean; next: Cursor | null; nextLabel: string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  if (first && !next) return null;
  return (
    <p class="pager">
      {!first && <a href={base}>{t('rel.firstPage')}</a>}
      {next && <a href={`${base}?after=${encodeCursor(next)}`}>{nextLabel}</a>}
    </p>
  );
}

/** The list the page shows and htmx swaps after a removal. */
export function RelationshipsSection({
  partners,
  next,
  first = true,
  role,
  now,
  notice,
  error,
}: {
  partners: PartnerWithRelationships[];
  next: Cursor | null;
  first?: boolean;
  role: Role;
  now: Date;
  notice?: string;
  error?: string;
}) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <section id="partner-relationships">
      <Notice message={notice} />
      <ErrorSummary errors={error} />
      {partners.length === 0 ? (
        <p>
          {t('rel.empty')} <a href="/partners">{t('nav.findPartner')}</a>
        </p>
      ) : (
        partners.map((p) => <PartnerCard p={p} role={role} now={now} />)
      )}
      <Pager base={PAGE} first={first} next={next} nextLabel={t('rel.morePartners')} />
    </section>
  );
}

export function RelationshipsPage(props: { partners: PartnerWithRelationships[]; next: Cursor | null; first: boolean; role: Role; now: Date }) {
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

/** A partner's ended and expired relationships, newest first; the full history is in the activity log. */
export function EndedPageView({ page, first }: { page: EndedPage; first: boolean }) {
  const { t, date } = useRequestContext<AppEnv>().get('i18n');
  return (
    <section>
      <p>
        <a href={PAGE}>{t('rel.backToList')}</a>
      </p>
      <h1>{t('rel.ended.title', { partner: page.partner.name })}</h1>
      <p class="muted">{t('rel.partnerId', { id: page.partner.partnerId })}</p>
      <p>{t('rel.ended.intro')}</p>
      <p>
        <a href="/activity">{t('nav.activity')}</a>
      </p>
      {page.relationships.length === 0 ? (
        <p>{t('rel.ended.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table class="stack">
            <thead>
              <tr>
                <th>{t('rel.col.type')}</th>
                <th>{t('rel.col.roles')}</th>
                <th>{t('rel.col.status')}</th>
                <th>{t('rel.col.started')}</th>
                <th>{t('rel.col.ended')}</th>
              </tr>
            </thead>
            <tbody>
              {page.relationships.map((r) => (
                <tr>
                  <td data-label={t('rel.col.type')}>{typeLabel(t, r.type)}</td>
                  <td data-label={t('rel.col.roles')}>
                    <RoleList roles={r.roles} />
                  </td>
                  <td data-label={t('rel.col.status')}>
                    <span class="badge">{t(`rel.status.${r.status}` as MessageKey)}</span>
                  </td>
                  <td data-label={t('rel.col.started')}>{date(r.startedAt)}</td>
                  <td data-label={t('rel.col.ended')}>{date(r.endedAt ?? r.endsAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager base={endedHref(page.partner.orgId)} first={first} next={page.next} nextLabel={t('rel.ended.older')} />
    </section>
  );
}
