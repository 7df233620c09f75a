import { useRequestContext } from '#jsx/jsx-runtime';
import { When } from '../ui/date.tsx';
import type { AppEnv } from '../context.ts';
import type { Role } from '../db/schema.ts';
import { RemoveControl, RoleList, StatusCell, typeLabel } from '../relationships/row.views.tsx';
import { effectiveStatus } from '../relationships/relationships.rules.ts';
import { isSuspended, SuspendedNote } from '../relationships/suspend.views.tsx';
import { ErrorSummary } from '../ui/form.tsx';
import { encodeCursor } from '../http/cursor.ts';
import type { Customer } from './portal.queries.ts';
import { Notice } from '../ui/notice.tsx';
import { Pager } from '../ui/pager.tsx';
import { ActivateLink } from '../elevation/elevation.views.tsx';

export interface CustomersProps {
  customers: Customer[];
  more: boolean;
  q: string;
  paged: boolean;
  role: Role;
  now: Date;
  notice?: string;
  error?: string;
}

const href = (q: string, after?: string) => {
  const p = new URLSearchParams();
  if (q) p.set('q', q);
  if (after) p.set('after', after);
  const s = p.toString();
  return s ? `/portal?${s}` : '/portal';
};

/** The list that search, paging and removals swap with htmx. */
export function CustomersSection(p: CustomersProps) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  const last = p.customers[p.customers.length - 1];
  return (
    <section id="customers">
      <Notice message={p.notice} />
      <ErrorSummary errors={p.error} />
      {p.customers.length === 0 ? (
        <p>{p.q ? t('portal.noMatch') : t('portal.empty')}</p>
      ) : (
        p.customers.map((c) => {
          const suspended = c.relationships.some((r) => isSuspended(r, p.now));
          const delegated = suspended ? undefined : c.relationships.find((r) => r.type === 'delegated_admin' && effectiveStatus(r, p.now) === 'active');
          // Only standing roles open the admin center at once; eligible ones first need an activation (its page links on).
          const canOpen = !!delegated && delegated.roles.length > 0;
          return (
            <article class="pane" id={`customer-${c.orgId}`}>
              <h2>{c.name}</h2>
              {suspended && <SuspendedNote customer={c.name} />}
              {delegated && (
                <p>
                  {canOpen && (
                    <a class="button primary" href={`/portal/customers/${c.orgId}`} aria-label={t('portal.openOf', { customer: c.name })}>
                      {t('portal.open')}
                    </a>
                  )}{' '}
                  <ActivateLink customerId={c.orgId} customerName={c.name} eligible={delegated.eligible} />
                </p>
              )}
              <ul>
                {c.relationships.map((r) => (
                  <li id={`rel-${r.id}`}>
                    <strong>{typeLabel(t, r.type)}</strong> · <RoleList roles={r.roles} eligible={r.eligible} /> · <StatusCell r={r} now={p.now} /> ·{' '}
                    <When at={r.startedAt} /> – <When at={r.endedAt ?? r.endsAt} />{' '}
                    <div class="act">
                      <RemoveControl r={r} role={p.role} partnerName={c.name} href={`/portal/relationships/${r.id}/remove`} target="closest .act" />
                    </div>
                  </li>
                ))}
              </ul>
            </article>
          );
        })
      )}
      <Pager
        first={p.paged ? href(p.q) : null}
        firstLabel={t('portal.first')}
        next={p.more && last ? href(p.q, encodeCursor({ key: last.name, id: last.orgId })) : null}
        nextLabel={t('portal.next')}
        hx={{ target: '#customers' }}
      />
    </section>
  );
}

export function CustomersPage(p: CustomersProps) {
  const c = useRequestContext<AppEnv>();
  const { t } = c.get('i18n');
  return (
    <>
      <h1>{t('portal.title')}</h1>
      <p>{t('portal.intro', { partner: c.get('auth')!.org.name })}</p>
      <form
        method="get"
        action="/portal"
        data-hx-get="/portal"
        data-hx-target="#customers"
        data-hx-swap="outerHTML"
        data-hx-push-url="true"
        role="search"
        class="actions"
      >
        <label for="f-q">{t('portal.search')}</label>
        <input id="f-q" name="q" type="search" value={p.q} maxlength={120} />
        <button>{t('portal.search.submit')}</button>
      </form>
      <CustomersSection {...p} />
    </>
  );
}
