import { useRequestContext } from '#jsx/jsx-runtime';
import { productName } from '../catalog/text.ts';
import type { AppEnv } from '../context.ts';
import { PartnerPane, type PaneState, type PaneSubject } from '../partner-of-record/partner-of-record.views.tsx';
import { CsrfField, ErrorSummary, Field } from '../ui/form.tsx';
import { Notice } from '../ui/notice.tsx';
import type { ListSummary } from '../partner-of-record/change-all.queries.ts';
import type { SortDir, SortKey, SubscriptionDetails, SubscriptionRow } from './subscriptions.queries.ts';
import { Pager } from '../ui/pager.tsx';

const useI18n = () => useRequestContext<AppEnv>().get('i18n');

export function StatusBadge({ status }: { status: SubscriptionRow['status'] }) {
  const { t } = useI18n();
  return <span class="badge">{t(`subs.status.${status}`)}</span>;
}

export function PartnerName({ name, partnerId }: { name: string | null; partnerId: string | null }) {
  const { t } = useI18n();
  if (!name) return <span class="muted">{t('common.none')}</span>;
  return (
    <>
      {name} <span class="muted">({t('subs.partnerIdShort', { id: partnerId ?? '' })})</span>
    </>
  );
}

export interface ListState {
  sort: SortKey;
  dir: SortDir;
  after: string | null;
}

export const listUrl = (s: { sort: SortKey; dir: SortDir; after?: string | null }) =>
  `/subscriptions?sort=${s.sort}&dir=${s.dir}${s.after ? `&after=${encodeURIComponent(s.after)}` : ''}`;

function SortHeader({ state, sort, label }: { state: ListState; sort: SortKey; label: string }) {
  const active = state.sort === sort;
  const next: SortDir = active && state.dir === 'asc' ? 'desc' : 'asc';
  return (
    <th aria-sort={active ? (state.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
      <a href={listUrl({ sort, dir: next })}>
        {label}
        {active ? (state.dir === 'asc' ? ' ▲' : ' ▼') : ''}
      </a>
    </th>
  );
}

export interface BulkForm {
  partnerId?: string;
  ids?: string[];
  all?: boolean;
  error?: string;
  message?: string;
}

/** The list with its bulk partner form: the part htmx swaps after a bulk change. */
export function SubscriptionList({
  list,
  next,
  summary,
  state,
  form,
}: {
  list: SubscriptionRow[];
  next: string | null;
  summary: ListSummary;
  state: ListState;
  form: BulkForm;
}) {
  const i18n = useI18n();
  const { t, number, date } = i18n;
  const checked = new Set(form.ids ?? []);
  const labels = {
    product: t('subs.col.product'),
    licenses: t('subs.col.licenses'),
    status: t('subs.col.status'),
    renewal: t('subs.col.renewal'),
    partner: t('subs.col.partner'),
  };
  return (
    <section id="subscription-list">
      <Notice message={form.message} />
      <ErrorSummary errors={form.error} />
      {list.length === 0 ? (
        <p>{t('subs.empty')}</p>
      ) : (
        <form method="post" action="/subscriptions/partner" data-hx-post="/subscriptions/partner" data-hx-target="#subscription-list" data-hx-swap="outerHTML">
          <CsrfField />
          <input type="hidden" name="sort" value={state.sort} />
          <input type="hidden" name="dir" value={state.dir} />
          <input type="hidden" name="after" value={state.after ?? ''} />
          {/* The list as this admin saw it: a change made meanwhile by someone else asks for a second look. */}
          <input type="hidden" name="listVersion" value={summary.version} />
          {list.map((s) => (
            <input type="hidden" name="v" value={`${s.id}:${s.version}`} />
          ))}
          <div class="table-wrap">
            <table class="stack">
              <caption class="muted">{t('subs.caption')}</caption>
              <thead>
                <tr>
                  <th>
                    <span class="vh">{t('subs.select')}</span>
                  </th>
                  <SortHeader state={state} sort="product" label={labels.product} />
                  <th>{labels.licenses}</th>
                  <th>{labels.status}</th>
                  <SortHeader state={state} sort="renewal" label={labels.renewal} />
                  <th>{labels.partner}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((s) => {
                  // Each value once per row, each column's label once per page.
                  const product = productName(i18n, s.productId, s.productName);
                  const quantity = number(s.quantity);
                  const renewal = date(s.renewsAt);
                  return (
                    <tr>
                      <td>
                        {/* The reseller rule: a subscription whose partner of record only the reseller may change is not offered. */}
                        <label class="check">
                          <input
                            type="checkbox"
                            name="ids"
                            value={s.id}
                            checked={checked.has(s.id)}
                            disabled={s.heldByReseller}
                            aria-describedby={s.heldByReseller ? `held-${s.id}` : undefined}
                          />
                          <span class="vh">{t('subs.selectOne', { product, quantity, date: renewal })}</span>
                        </label>
                      </td>
                      <td data-label={labels.product}>
                        <a href={`/subscriptions/${s.id}`}>{product}</a>
                      </td>
                      <td data-label={labels.licenses}>{quantity}</td>
                      <td data-label={labels.status}>
                        <StatusBadge status={s.status} />
                      </td>
                      <td data-label={labels.renewal}>{renewal}</td>
                      <td data-label={labels.partner}>
                        <PartnerName name={s.partnerName} partnerId={s.partnerId} />
                        {s.heldByReseller && (
                          <small id={`held-${s.id}`} class="hint">
                            {t('subs.resellerReason', { partner: s.partnerName ?? '' })}
                          </small>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <fieldset>
            <legend>{t('subs.bulk.legend')}</legend>
            {summary.selectable > 0 && (
              <div class="field">
                <label>
                  <input type="checkbox" name="all" value="1" checked={form.all} aria-describedby="select-all-hint" />{' '}
                  {t('subs.bulk.selectAll', { count: summary.selectable })}
                </label>
                <small id="select-all-hint" class="hint">
                  {t('subs.bulk.selectAllHint')}
                </small>
              </div>
            )}
            <Field
              name="partnerId"
              label={t('subs.partnerId')}
              value={form.partnerId}
              hint={t('subs.bulk.hint')}
              inputmode="numeric"
              maxlength={12}
              autocomplete="off"
            />
            <div class="actions">
              <button name="action" value="add" class="primary">
                {t('subs.bulk.add')}
              </button>
              <button name="action" value="remove">
                {t('subs.bulk.remove')}
              </button>
            </div>
          </fieldset>
        </form>
      )}
      <Pager
        first={state.after ? listUrl({ sort: state.sort, dir: state.dir }) : null}
        firstLabel={t('subs.firstPage')}
        next={next ? listUrl({ sort: state.sort, dir: state.dir, after: next }) : null}
        nextLabel={t('subs.nextPage')}
      />
    </section>
  );
}

export function SubscriptionsPage(props: Parameters<typeof SubscriptionList>[0]) {
  const { t } = useI18n();
  return (
    <>
      <h1>{t('subs.title')}</h1>
      <p>
        <a href="/purchase">{t('nav.addMoreProducts')}</a>
      </p>
      <SubscriptionList {...props} />
    </>
  );
}

/** The subscription as the Partner information pane shows it. */
export const paneSubject = (sub: SubscriptionDetails, emptyText: string): PaneSubject => ({
  action: `/subscriptions/${sub.id}/partner`,
  partner: sub.partnerName ? { name: sub.partnerName, partnerId: sub.partnerId ?? '' } : null,
  version: sub.version,
  heldByReseller: sub.heldByReseller,
  emptyText,
  cancelHref: `/subscriptions/${sub.id}`,
});

export function SubscriptionPage({ sub, form }: { sub: SubscriptionDetails; form: PaneState }) {
  const { t, number, date } = useI18n();
  return (
    <>
      <p>
        <a href="/subscriptions">{t('subs.back')}</a>
      </p>
      <h1>{productName(useI18n(), sub.productId, sub.productName)}</h1>
      <div class="cols">
        <dl class="facts">
          <dt>{t('subs.col.licenses')}</dt>
          <dd>{number(sub.quantity)}</dd>
          <dt>{t('subs.col.status')}</dt>
          <dd>
            <StatusBadge status={sub.status} />
          </dd>
          <dt>{t('subs.billing')}</dt>
          <dd>{t(`subs.frequency.${sub.billingFrequency}`)}</dd>
          <dt>{t('subs.started')}</dt>
          <dd>{date(sub.startedAt)}</dd>
          <dt>{t('subs.col.renewal')}</dt>
          <dd>{date(sub.renewsAt)}</dd>
        </dl>
        <PartnerPane subject={paneSubject(sub, t('subs.noPartner'))} state={form} />
      </div>
    </>
  );
}
