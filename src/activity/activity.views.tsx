import { useRequestContext } from 'hono/jsx-renderer';
import type { AppEnv } from '../context.ts';
import type { I18n, MessageKey } from '../i18n/index.ts';
import { categories, type ActivityEntry, type ActivityFilter } from './activity.queries.ts';

/** A known action in words; an action another feature added without words shows as its code. */
export function actionLabel(t: I18n['t'], action: string): string {
  const key = `activity.action.${action}`;
  const text = t(key as MessageKey);
  return text === key ? action : text;
}

export function filterQuery(f: ActivityFilter, before?: number): string {
  const q = new URLSearchParams();
  if (f.partner) q.set('partner', f.partner);
  if (f.category) q.set('action', f.category);
  if (before) q.set('before', String(before));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The table and its pager: what the filter form and the pager links swap with htmx. */
export function ActivityList({ entries, more, filter }: { entries: ActivityEntry[]; more: boolean; filter: ActivityFilter }) {
  const { t, date } = useRequestContext<AppEnv>().get('i18n');
  const last = entries[entries.length - 1];
  const link = (href: string, label: string) => (
    <a href={href} hx-get={href} hx-target="#activity-log" hx-swap="outerHTML" hx-push-url="true">
      {label}
    </a>
  );
  return (
    <section id="activity-log">
      {entries.length === 0 ? (
        <p>{t('activity.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table class="stack">
            <thead>
              <tr>
                <th>{t('activity.col.when')}</th>
                <th>{t('activity.col.who')}</th>
                <th>{t('activity.col.what')}</th>
                <th>{t('activity.col.partner')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr>
                  <td data-label={t('activity.col.when')}>
                    <time datetime={new Date(e.createdAt).toISOString()}>{date(e.createdAt)}</time>
                  </td>
                  <td data-label={t('activity.col.who')}>{e.actorName}</td>
                  <td data-label={t('activity.col.what')}>{actionLabel(t, e.action)}</td>
                  <td data-label={t('activity.col.partner')}>{e.partnerName ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="pager">
        {link(`/activity${filterQuery(filter)}`, t('activity.newest'))}
        {more && last && link(`/activity${filterQuery(filter, last.id)}`, t('activity.older'))}
      </p>
    </section>
  );
}

export function ActivityPage(props: { entries: ActivityEntry[]; more: boolean; filter: ActivityFilter; partners: { id: string; name: string }[] }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  const { filter, partners } = props;
  return (
    <>
      <h1>{t('activity.title')}</h1>
      <p>{t('activity.intro')}</p>
      <form method="get" action="/activity" hx-get="/activity" hx-target="#activity-log" hx-swap="outerHTML" hx-push-url="true" class="actions">
        <label for="f-partner">{t('activity.filter.partner')}</label>
        <select id="f-partner" name="partner">
          <option value="">{t('activity.filter.any')}</option>
          {partners.map((p) => (
            <option value={p.id} selected={filter.partner === p.id}>
              {p.name}
            </option>
          ))}
        </select>
        <label for="f-action">{t('activity.filter.action')}</label>
        <select id="f-action" name="action">
          <option value="">{t('activity.filter.any')}</option>
          {categories.map((c) => (
            <option value={c} selected={filter.category === c}>
              {t(`activity.category.${c}`)}
            </option>
          ))}
        </select>
        <button>{t('activity.filter.submit')}</button>
      </form>
      <p>
        <a href={`/activity.csv${filterQuery(filter)}`} download>
          {t('activity.export')}
        </a>
      </p>
      <ActivityList {...props} />
    </>
  );
}
