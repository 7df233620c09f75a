import { useRequestContext } from 'hono/jsx-renderer';
import type { AppEnv } from '../context.ts';
import { canRemovePartnerOfRecord } from '../partners/partner.rules.ts';
import { CsrfField, ErrorSummary, Field } from '../ui/form.tsx';
import type { SortDir, SortKey, SubscriptionDetails, SubscriptionRow } from './subscriptions.queries.ts';

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
  error?: string;
  message?: string;
}

/** The list with its bulk partner form: the part htmx swaps after a bulk change. */
export function SubscriptionList({ list, next, state, form }: { list: SubscriptionRow[]; next: string | null; state: ListState; form: BulkForm }) {
  const { t, number, date } = useI18n();
  const checked = new Set(form.ids ?? []);
  return (
    <section id="subscription-list">
      {form.message && (
        <p class="flash" role="status">
          {form.message}
        </p>
      )}
      <ErrorSummary errors={form.error} />
      {list.length === 0 ? (
        <p>{t('subs.empty')}</p>
      ) : (
        <form method="post" action="/subscriptions/partner" hx-post="/subscriptions/partner" hx-target="#subscription-list" hx-swap="outerHTML">
          <CsrfField />
          <input type="hidden" name="sort" value={state.sort} />
          <input type="hidden" name="dir" value={state.dir} />
          <input type="hidden" name="after" value={state.after ?? ''} />
          <div class="table-wrap">
            <table class="stack">
              <caption class="muted">{t('subs.caption')}</caption>
              <thead>
                <tr>
                  <th>
                    <span class="vh">{t('subs.select')}</span>
                  </th>
                  <SortHeader state={state} sort="product" label={t('subs.col.product')} />
                  <th>{t('subs.col.licenses')}</th>
                  <th>{t('subs.col.status')}</th>
                  <SortHeader state={state} sort="renewal" label={t('subs.col.renewal')} />
                  <th>{t('subs.col.partner')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((s) => (
                  <tr>
                    <td>
                      <label class="check">
                        <input type="checkbox" name="ids" value={s.id} checked={checked.has(s.id)} />
                        <span class="vh">{t('subs.selectOne', { product: s.productName, quantity: number(s.quantity), date: date(s.renewsAt) })}</span>
                      </label>
                    </td>
                    <td data-label={t('subs.col.product')}>
                      <a href={`/subscriptions/${s.id}`}>{s.productName}</a>
                    </td>
                    <td data-label={t('subs.col.licenses')}>{number(s.quantity)}</td>
                    <td data-label={t('subs.col.status')}>
                      <StatusBadge status={s.status} />
                    </td>
                    <td data-label={t('subs.col.renewal')}>{date(s.renewsAt)}</td>
                    <td data-label={t('subs.col.partner')}>
                      <PartnerName name={s.partnerName} partnerId={s.partnerId} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <fieldset>
            <legend>{t('subs.bulk.legend')}</legend>
            <Field name="partnerId" label={t('subs.partnerId')} value={form.partnerId} hint={t('subs.bulk.hint')} inputmode="numeric" maxlength={12} autocomplete="off" />
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
      <p class="pager">
        {state.after && <a href={listUrl({ sort: state.sort, dir: state.dir })}>{t('subs.firstPage')}</a>}
        {next && (
          <a href={listUrl({ sort: state.sort, dir: state.dir, after: next })} rel="next">
            {t('subs.nextPage')}
          </a>
        )}
      </p>
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

export interface PartnerForm {
  partnerId?: string;
  error?: string;
  message?: string;
}

/** Partner information of one subscription: the section that add and remove swap. */
export function PartnerInfo({ sub, form }: { sub: SubscriptionDetails; form: PartnerForm }) {
  const { t } = useI18n();
  const action = `/subscriptions/${sub.id}/partner`;
  const hx = { 'hx-post': action, 'hx-target': '#partner-info', 'hx-swap': 'outerHTML' };
  return (
    <section id="partner-info" class="pane" aria-labelledby="partner-info-title">
      <h2 id="partner-info-title">{t('subs.partnerInfo')}</h2>
      <ErrorSummary errors={form.error} />
      {form.message && (
        <p class="flash" role="status">
          {form.message}
        </p>
      )}
      {sub.partnerName ? (
        <form method="post" action={action} {...hx} class="actions">
          <CsrfField />
          <input type="hidden" name="version" value={sub.version} />
          <p>
            {t('subs.partnerOfRecord')}: <strong>{sub.partnerName}</strong> <span class="muted">({t('subs.partnerIdShort', { id: sub.partnerId ?? '' })})</span>
          </p>
          <button name="action" value="remove" class="danger" disabled={!canRemovePartnerOfRecord(sub)} aria-label={t('subs.removeOf', { partner: sub.partnerName })} aria-describedby={sub.heldByReseller ? 'reseller-reason' : undefined}>
            {t('subs.remove')}
          </button>
          {sub.heldByReseller && (
            <small id="reseller-reason" class="muted">
              {t('subs.resellerReason', { partner: sub.partnerName })}
            </small>
          )}
        </form>
      ) : (
        <p>{t('subs.noPartner')}</p>
      )}
      <form method="post" action={action} {...hx}>
        <CsrfField />
        <input type="hidden" name="version" value={sub.version} />
        <Field
          name="partnerId"
          label={sub.partnerName ? t('subs.changePartnerId') : t('subs.partnerId')}
          value={form.partnerId}
          error={form.partnerId === undefined ? undefined : form.error}
          hint={sub.partnerName ? t('subs.changeHint', { partner: sub.partnerName }) : t('subs.partnerIdHint')}
          inputmode="numeric"
          maxlength={12}
          autocomplete="off"
          required
        />
        <button name="action" value="add" class="primary">
          {t('subs.add')}
        </button>
      </form>
    </section>
  );
}

export function SubscriptionPage({ sub, form }: { sub: SubscriptionDetails; form: PartnerForm }) {
  const { t, number, date } = useI18n();
  return (
    <>
      <p>
        <a href="/subscriptions">{t('subs.back')}</a>
      </p>
      <h1>{sub.productName}</h1>
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
        <PartnerInfo sub={sub} form={form} />
      </div>
    </>
  );
}
