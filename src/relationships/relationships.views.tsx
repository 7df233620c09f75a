import type { Child } from 'hono/jsx';
import { When } from '../ui/date.tsx';
import { useRequestContext } from '#jsx/jsx-runtime';
import { ActivityWhen } from '../activity/activity.views.tsx';
import { activitySentence } from '../activity/sentence.ts';
import type { AppEnv } from '../context.ts';
import type { Role } from '../db/schema.ts';
import type { MessageKey } from '../i18n/index.ts';
import { ErrorSummary } from '../ui/form.tsx';
import { encodeCursor, type Cursor } from '../http/cursor.ts';
import { ENDED_COUNT_CAP, type EndedPage, type PartnerWithRelationships, type RelationshipRow } from './relationships.queries.ts';
import { Notice } from '../ui/notice.tsx';
import { Pager } from '../ui/pager.tsx';
import { RemoveControl, RoleList, StatusCell, typeLabel } from './row.views.tsx';
import { ReviewLink } from '../reviews/review-link.tsx';
import { AccessLink } from '../elevation/elevation.views.tsx';
import { SuspendControl } from './suspend.views.tsx';

/** The partner is the customer's active reseller: its partner of record is the reseller's to end. */
const isReseller = (p: PartnerWithRelationships) => p.relationships.some((x) => x.type === 'reseller' && x.status === 'active');

const PAGE = '/settings/partner-relationships';
const endedHref = (partnerOrgId: string) => `${PAGE}/partners/${partnerOrgId}/ended`;

/** The columns of a relationships table: current ones end with "Ends" and the actions, ended ones with "Ended". */
function Head({ end }: { end: 'ends' | 'ended' }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <thead>
      <tr>
        <th>{t('rel.col.type')}</th>
        <th>{t('rel.col.roles')}</th>
        <th>{t('rel.col.status')}</th>
        <th>{t('rel.col.started')}</th>
        <th>{t(`rel.col.${end}`)}</th>
        {end === 'ends' && <th>{t('rel.col.actions')}</th>}
      </tr>
    </thead>
  );
}

/** The cells under those columns, but the actions. */
function Cells({ r, end, status, details }: { r: RelationshipRow; end: 'ends' | 'ended'; status: Child; details?: boolean }) {
  const c = useRequestContext<AppEnv>();
  const { t, dateIn } = c.get('i18n');
  const zone = c.get('auth')?.user.timeZone ?? 'UTC';
  return (
    <>
      <td data-label={t('rel.col.type')}>
        {typeLabel(t, r.type)}
        {details && (
          <>
            {' · '}
            <a href={`${PAGE}/${r.id}`} aria-label={t('rel.left.detailsOf', { type: typeLabel(t, r.type), date: dateIn(r.startedAt, zone) })}>
              {t('rel.left.details')}
            </a>
          </>
        )}
      </td>
      <td data-label={t('rel.col.roles')}>
        <RoleList roles={r.roles} eligible={r.eligible} />
      </td>
      <td data-label={t('rel.col.status')}>{status}</td>
      <td data-label={t('rel.col.started')}>
        <When at={r.startedAt} />
      </td>
      <td data-label={t(`rel.col.${end}`)}>
        <When at={r.endedAt ?? r.endsAt} />
      </td>
    </>
  );
}

function PartnerCard({ p, role, now }: { p: PartnerWithRelationships; role: Role; now: Date }) {
  const i18n = useRequestContext<AppEnv>().get('i18n');
  const { t, number } = i18n;
  return (
    <article class="pane" id={`partner-${p.partnerOrgId}`}>
      <h2>{p.name}</h2>
      <p class="muted">{t('rel.partnerId', { id: p.partnerId })}</p>
      {p.relationships.some((r) => r.type === 'delegated_admin' && r.status === 'active') && <p>{t('twostep.partner.relationship')}</p>}
      <div class="table-wrap">
        <table class="stack">
          <Head end="ends" />
          <tbody>
            {p.relationships.length === 0 && (
              <tr>
                <td colspan={6}>{t('rel.noCurrent')}</td>
              </tr>
            )}
            {p.relationships.map((r) => (
              <tr id={`rel-${r.id}`}>
                <Cells r={r} end="ends" status={<StatusCell r={r} now={now} />} />
                <td>
                  <AccessLink id={r.id} type={r.type} partnerName={p.name} />{' '}
                  {/* Access reviews (src/reviews/): a global admin's link to the relationship's review page. */}
                  <ReviewLink r={r} role={role} partnerName={p.name} />
                  <RemoveControl
                    r={r}
                    role={role}
                    partnerName={p.name}
                    href={`/settings/partner-relationships/${r.id}/remove`}
                    target="closest td"
                    heldByReseller={isReseller(p)}
                  />
                  <SuspendControl r={r} partner={{ orgId: p.partnerOrgId, name: p.name }} role={role} now={now} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {p.endedCount > 0 && (
        <p>
          <a href={endedHref(p.partnerOrgId)}>
            {t('rel.showEnded', { count: p.endedCount >= ENDED_COUNT_CAP ? `${number(ENDED_COUNT_CAP)}+` : number(p.endedCount) })}
          </a>
        </p>
      )}
      <h3>{t('rel.recent')}</h3>
      {p.recent.length === 0 ? (
        <p class="muted">{t('rel.noRecent')}</p>
      ) : (
        <ul>
          {p.recent.map((a) => (
            <li>
              <ActivityWhen at={a.createdAt} /> · {activitySentence(i18n, a, useRequestContext<AppEnv>().get('auth')?.user.timeZone)}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

/** The links under a keyset-paged list, when there is another page (a cursor carries the last row's sort key). */
function KeysetPager({ base, first, next, nextLabel }: { base: string; first: boolean; next: Cursor | null; nextLabel: string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  if (first && !next) return null;
  return <Pager first={first ? null : base} firstLabel={t('rel.firstPage')} next={next && `${base}?after=${encodeCursor(next)}`} nextLabel={nextLabel} />;
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
      <KeysetPager base={PAGE} first={first} next={next} nextLabel={t('rel.morePartners')} />
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

/** A partner's ended and expired relationships, newest first; the full history is in the activity log. */
export function EndedPageView({ page, first }: { page: EndedPage; first: boolean }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
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
            <Head end="ended" />
            <tbody>
              {page.relationships.map((r) => (
                <tr>
                  <Cells r={r} end="ended" details status={<span class="badge">{t(`rel.status.${r.status}` as MessageKey)}</span>} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <KeysetPager base={endedHref(page.partner.orgId)} first={first} next={page.next} nextLabel={t('rel.ended.older')} />
    </section>
  );
}
