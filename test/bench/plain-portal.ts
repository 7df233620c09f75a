/**
 * The hand-written twin of GET /portal, the partner's customers (decision 093): the app's statement with
 * the app's parameters (one page of 25 customers, each with its relationships to the partner, as rows)
 * and the app's page, byte for byte, written with template strings. Words, dates and the rules that say
 * whether a relationship may be ended come from the app's message catalogue and rule functions.
 */
import type { Sql } from 'postgres';
import type { Role } from '../../src/db/schema.ts';
import { i18n, type MessageKey } from '../../src/i18n/index.ts';
import type { RelationshipRow } from '../../src/relationships/relationships.queries.ts';
import { effectiveStatus, expiresSoon, whyNotEndable } from '../../src/relationships/relationships.rules.ts';
import { esc } from './plain-html.ts';
import { eligibleOf } from '../../src/elevation/elevation.rules.ts';

const PAGE_SIZE = 25;
const en = i18n('en');
const { t } = en;

// The app's statement, as its log shows it (first page, no search).
const PAGE = `with page as (
        select distinct on (r.customer_name, r.org_id) r.org_id as id, r.customer_name as name
        from partner_relationships r
        where r.partner_org_id = $1
          
          
        order by r.customer_name, r.org_id limit 26)
      select page.id as "orgId", page.name, r.id, r.type, case when r.status = 'active' and r.ends_at is not null and r.ends_at <= $2::timestamptz then 'expired' else r.status::text end as status, r.roles, r.eligible,
        r.started_at as "startedAt", r.ends_at as "endsAt", r.ended_at as "endedAt", r.suspended_at as "suspendedAt"
      from page join partner_relationships r on r.partner_org_id = $3 and r.org_id = page.id
      order by page.name, page.id, (r.status = 'active') desc, r.type, r.started_at desc`;

type Row = RelationshipRow & { orgId: string; name: string };

const typeLabel = (type: string) => esc(t(`rel.type.${type}` as MessageKey));

/** The app's <When>: the day in the reader's zone, the full date and time for print. */
const when = (at: Date | string | null, zone: string) =>
  at ? `<time datetime="${new Date(at).toISOString()}" data-full="${esc(en.fullDateTime(at, zone))}">${esc(en.dateIn(at, zone))}</time>` : '—';

function relationship(r: Row, role: Role, customer: string, now: Date, zone: string): string {
  const roles = r.roles.length ? esc(r.roles.map((x) => t(`rel.role.${x}` as MessageKey)).join(', ')) : '<span class="muted">—</span>';
  const soon = expiresSoon(r, now) ? ` <strong class="badge error">${esc(t('rel.expiresSoon'))}</strong>` : '';
  let remove = '';
  if (r.status === 'active') {
    const why = whyNotEndable(role, r.type);
    const name = esc(t('rel.removeOf', { type: t(`rel.type.${r.type}` as MessageKey), name: customer }));
    const href = `/portal/relationships/${esc(r.id)}/remove`;
    remove = why
      ? `<button type="button" class="danger" disabled="" aria-label="${name}" aria-describedby="why-${esc(r.id)}">${esc(t('rel.remove'))}</button> ` +
        `<small id="why-${esc(r.id)}" class="hint">${esc(t(`rel.why.${why}`, { partner: customer }))}</small>`
      : `<form method="get" action="${href}" data-hx-get="${href}" data-hx-target="closest .act" data-hx-swap="innerHTML" class="inline"><button class="danger" aria-label="${name}">${esc(t('rel.remove'))}</button></form>`;
  }
  return (
    `<li id="rel-${esc(r.id)}"><strong>${typeLabel(r.type)}</strong> · ${roles} · <span class="badge">${esc(t(`rel.status.${r.status}` as MessageKey))}</span>${soon}` +
    ` · ${when(r.startedAt, zone)} – ${when(r.endedAt ?? r.endsAt, zone)} <div class="act">${remove}</div></li>`
  );
}

/** The page's main part for the partner organization `partner` (its name, its id), seen by someone of `role`, times in `zone`. */
export async function portalMain(sql: Sql, partner: { id: string; name: string }, role: Role, zone: string): Promise<string> {
  const now = new Date();
  const found = (await sql.unsafe(PAGE, [partner.id, now.toISOString(), partner.id], { prepare: true })) as unknown as Row[];
  const customers: { orgId: string; name: string; rows: Row[] }[] = [];
  for (const r of found) {
    if (customers.at(-1)?.orgId !== r.orgId) customers.push({ orgId: r.orgId, name: r.name, rows: [] });
    customers.at(-1)!.rows.push(r);
  }
  const shown = customers.slice(0, PAGE_SIZE);
  const articles = shown
    .map((c) => {
      const id = esc(c.orgId);
      const suspended = c.rows.some((r) => r.type === 'delegated_admin' && !!r.suspendedAt && effectiveStatus(r, now) === 'active');
      const delegated = c.rows.find((r) => r.type === 'delegated_admin' && effectiveStatus(r, now) === 'active');
      const activate =
        delegated && Object.keys(eligibleOf(delegated.eligible)).length
          ? `<a class="button" href="/portal/customers/${id}/elevations" aria-label="${esc(t('elev.linkOf', { customer: c.name }))}">${esc(t('elev.link'))}</a>`
          : '';
      const open =
        (suspended ? `<p class="notice notice-error">${esc(t('rel.suspend.portal', { customer: c.name }))}</p>` : '') +
        (!suspended && delegated
          ? `<p>${delegated.roles.length ? `<a class="button primary" href="/portal/customers/${id}" aria-label="${esc(t('portal.openOf', { customer: c.name }))}">${esc(t('portal.open'))}</a>` : ''} ${activate}</p>`
          : '');
      return `<article class="pane" id="customer-${id}"><h2>${esc(c.name)}</h2>${open}<ul>${c.rows.map((r) => relationship(r, role, c.name, now, zone)).join('')}</ul></article>`;
    })
    .join('');
  const last = shown.at(-1);
  const next = customers.length > PAGE_SIZE && last ? `/portal?after=${Buffer.from(JSON.stringify([last.name, last.orgId])).toString('base64url')}` : null;
  return (
    `<h1>${esc(t('portal.title'))}</h1><p>${esc(t('portal.intro', { partner: partner.name }))}</p>` +
    `<form method="get" action="/portal" data-hx-get="/portal" data-hx-target="#customers" data-hx-swap="outerHTML" data-hx-push-url="true" role="search" class="actions">` +
    `<label for="f-q">${esc(t('portal.search'))}</label><input id="f-q" name="q" type="search" value="" maxlength="120"/><button>${esc(t('portal.search.submit'))}</button></form>` +
    `<section id="customers">${shown.length ? articles : `<p>${esc(t('portal.empty'))}</p>`}<p class="pager">` +
    `${next ? `<a href="${next}" rel="next" data-hx-get="${next}" data-hx-target="#customers" data-hx-swap="outerHTML" data-hx-push-url="true">${esc(t('portal.next'))}</a>` : ''}</p></section>`
  );
}

export const portalTitle = t('portal.title');
