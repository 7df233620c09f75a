import { useRequestContext } from '#jsx/jsx-runtime';
import type { AppEnv } from '../context.ts';
import { categories, type ActivityEntry, type ActivityFilter } from './activity.queries.ts';
import { activitySentence } from './sentence.ts';
import { Pager } from '../ui/pager.tsx';
import { isoInstant } from '../i18n/index.ts';

/** The viewer's time zone: their own setting, else their organization country's (resolved at sign-in). */
export function useViewerTimeZone(): string {
  return useRequestContext<AppEnv>().get('auth')?.user.timeZone ?? 'UTC';
}

/** When it happened (date and time in the viewer's zone) and what happened, as a sentence. */
export function ActivityWhen({ at }: { at: Date | string }) {
  const { dateTime } = useRequestContext<AppEnv>().get('i18n');
  return <time datetime={isoInstant(at)}>{dateTime(at, useViewerTimeZone())}</time>;
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
  const i18n = useRequestContext<AppEnv>().get('i18n');
  const { t } = i18n;
  const last = entries[entries.length - 1];
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
                <th>{t('activity.col.what')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr>
                  <td data-label={t('activity.col.when')}>
                    <ActivityWhen at={e.createdAt} />
                  </td>
                  <td data-label={t('activity.col.what')}>{activitySentence(i18n, e, useRequestContext<AppEnv>().get('auth')?.user.timeZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        first={`/activity${filterQuery(filter)}`}
        firstLabel={t('activity.newest')}
        next={more && last ? `/activity${filterQuery(filter, last.id)}` : null}
        nextLabel={t('activity.older')}
        hx={{ target: '#activity-log' }}
      />
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
      <form
        method="get"
        action="/activity"
        data-hx-get="/activity"
        data-hx-target="#activity-log"
        data-hx-swap="outerHTML"
        data-hx-push-url="true"
        class="actions"
      >
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
        </a>{' '}
        <a href="/activity/verify">{t('activity.verify.link')}</a>
      </p>
      <ActivityList {...props} />
    </>
  );
}
