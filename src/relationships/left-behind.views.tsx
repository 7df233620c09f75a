/** A relationship's own page and what its partner left behind, with one action each and one for all (issue 23). */
import { When } from '../ui/date.tsx';
import { useRequestContext } from '#jsx/jsx-runtime';
import type { AppEnv } from '../context.ts';
import type { Role } from '../db/schema.ts';
import type { MessageKey } from '../i18n/index.ts';
import { CsrfField } from '../ui/form.tsx';
import { Notice } from '../ui/notice.tsx';
import { roleName } from '../users/roles.views.tsx';
import type { LeftBehind } from './left-behind.queries.ts';
import { RoleList, typeLabel } from './row.views.tsx';

export const RELATIONSHIP_PAGE = '/settings/partner-relationships';
export const relationshipHref = (id: string) => `${RELATIONSHIP_PAGE}/${id}`;

/** One POST button that swaps the section with htmx and works as a plain form without JavaScript. */
function Action({ action, label, name, danger = true }: { action: string; label: string; name: string; danger?: boolean }) {
  return (
    <form method="post" action={action} data-hx-post={action} data-hx-target="#left-behind" data-hx-swap="outerHTML" class="inline">
      <CsrfField />
      <button class={danger ? 'danger' : undefined} aria-label={name}>
        {label}
      </button>
    </form>
  );
}

export function LeftBehindSection({ lb, role, notice }: { lb: LeftBehind; role: Role; notice?: string }) {
  const { t, number } = useRequestContext<AppEnv>().get('i18n');
  const base = `${relationshipHref(lb.id)}/left-behind`;
  const partner = lb.partnerName;
  const over = lb.status !== 'active';
  const acts = over && role === 'global_admin';
  const open = lb.accounts.some((a) => !a.disabled && !a.globalAdmin) || lb.grants.some((g) => g.held);
  const empty = lb.accounts.length === 0 && lb.grants.length === 0;
  return (
    <section id="left-behind" class="pane">
      <h2>{t('rel.left.title', { partner })}</h2>
      <Notice message={notice} />
      {empty ? (
        <p>{t('rel.left.none', { partner })}</p>
      ) : (
        <>
          <p>{over ? t('rel.left.intro', { partner }) : t('rel.left.active', { partner })}</p>
          {over && !acts && open && <p class="muted">{t('rel.left.globalAdminsOnly')}</p>}
          {lb.accounts.length > 0 && (
            <>
              <h3>{t('rel.left.accounts')}</h3>
              {lb.accountCount > lb.accounts.length && (
                <p class="muted">{t('rel.left.more', { shown: number(lb.accounts.length), total: number(lb.accountCount) })}</p>
              )}
              <ul>
                {lb.accounts.map((a) => (
                  <li>
                    <strong>{a.name}</strong> ({a.email}) · {t('rel.left.createdBy', { person: a.by ?? '—' })} ·{' '}
                    {a.disabled ? (
                      <span class="badge">{t('rel.left.disabled')}</span>
                    ) : a.globalAdmin ? (
                      <span class="muted">{t('rel.left.globalAdmin')}</span>
                    ) : (
                      acts && (
                        <Action action={`${base}/accounts/${a.id}/disable`} label={t('rel.left.disable')} name={t('rel.left.disableOf', { name: a.name })} />
                      )
                    )}
                  </li>
                ))}
              </ul>
            </>
          )}
          {lb.grants.length > 0 && (
            <>
              <h3>{t('rel.left.roles')}</h3>
              {lb.grantCount > lb.grants.length && <p class="muted">{t('rel.left.more', { shown: number(lb.grants.length), total: number(lb.grantCount) })}</p>}
              <ul>
                {lb.grants.map((g) => (
                  <li>
                    <strong>{g.userName}</strong>: {t('rel.left.grantedBy', { role: roleName(t, g.role), person: g.by ?? '—' })} ·{' '}
                    {g.held ? (
                      acts && (
                        <Action
                          action={`${base}/grants/${g.id}/remove`}
                          label={t('rel.left.remove')}
                          name={t('rel.left.removeOf', { role: roleName(t, g.role), name: g.userName })}
                        />
                      )
                    ) : (
                      <span class="badge">{t('rel.left.removed')}</span>
                    )}
                  </li>
                ))}
              </ul>
            </>
          )}
          {acts && open && <Action action={`${base}/all`} label={t('rel.left.all')} name={t('rel.left.all')} />}
        </>
      )}
    </section>
  );
}

export function RelationshipPageView({ lb, role, notice }: { lb: LeftBehind; role: Role; notice?: string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <>
      <p>
        <a href={RELATIONSHIP_PAGE}>{t('rel.backToList')}</a>
      </p>
      <h1>{t('rel.page.title', { type: typeLabel(t, lb.type), partner: lb.partnerName })}</h1>
      <dl class="facts">
        <dt>{t('rel.col.status')}</dt>
        <dd>{t(`rel.status.${lb.status}` as MessageKey)}</dd>
        <dt>{t('rel.col.roles')}</dt>
        <dd>
          <RoleList roles={lb.roles} />
        </dd>
        <dt>{t('rel.col.started')}</dt>
        <dd>
          <When at={lb.startedAt} />
        </dd>
        <dt>{t(lb.endedAt ? 'rel.col.ended' : 'rel.col.ends')}</dt>
        <dd>
          <When at={lb.endedAt ?? lb.endsAt} />
        </dd>
      </dl>
      {lb.type === 'delegated_admin' && <LeftBehindSection lb={lb} role={role} notice={notice} />}
    </>
  );
}
