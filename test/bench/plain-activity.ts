/**
 * The hand-written twin of GET /activity (decision 093): the app's two statements with the app's
 * parameters (the newest 50 audit rows with the names they point at, and the partners to filter by) and
 * the app's page, byte for byte, written with template strings. Each row's sentence and time are written
 * by the app's own message catalogue and sentence function (src/activity/sentence.ts, src/i18n): they are
 * the page's words, the same in any implementation; what the twin leaves out is the framework around them.
 */
import type { Sql } from 'postgres';
import type { ActivityEntry } from '../../src/activity/activity.queries.ts';
import { activitySentence } from '../../src/activity/sentence.ts';
import { i18n } from '../../src/i18n/index.ts';
import { esc } from './plain-html.ts';

const PAGE_SIZE = 50;
const en = i18n('en');
const { t } = en;

// The app's statements, as its log shows them.
const ENTRIES = `select a.id::int as "id", a.created_at as "createdAt", a.actor_name as "actorName", a.action as "action",
  a.before as "before", a.after as "after",
  (select p.name from partners p where p.org_id = a.partner_org_id) as "partnerName",
  coalesce((select u.org_id = a.partner_org_id from users u where u.id = a.actor_user_id), false) as "onBehalf",
  (a.actor_user_id is null and a.actor_name = 'partnerdesk') as "system",
  sp.name as "productName", sp.id as "productId",
  (select u.name from users u where u.id = coalesce(case when a.target_type = 'user' then t.id end, (case when a.after->>'userId' ~ '^[0-9a-fA-F-]{36}$' then (a.after->>'userId')::uuid end))) as "userName",
  coalesce(a.before->>'type', a.after->>'type', (select r.type::text from partner_relationships r
    where r.id = case when a.target_type = 'partner_relationship' then t.id end)) as "relationshipType" from audit_log a cross join lateral (select (case when a.target_id ~ '^[0-9a-fA-F-]{36}$' then (a.target_id)::uuid end) as id) t
  left join lateral (select pr.id, pr.name from subscriptions s join products pr on pr.id = s.product_id
    where s.id = case when a.target_type = 'subscription' then t.id end) sp on true where a.org_id = $1
      
      
      
      order by a.id desc limit 51`;
const PARTNERS = `with recursive d as (
      (select r.partner_name, r.partner_org_id from partner_relationships r where r.org_id = $1 order by r.partner_name, r.partner_org_id limit 1)
      union all
      select n.partner_name, n.partner_org_id from d cross join lateral (select r.partner_name, r.partner_org_id from partner_relationships r
        where r.org_id = $2 and (r.partner_name, r.partner_org_id) > (d.partner_name, d.partner_org_id)
        order by r.partner_name, r.partner_org_id limit 1) n)
    select p.org_id as id, p.name from partners p where p.org_id in (select partner_org_id from d) order by p.name`;

const categories = ['relationship', 'subscription', 'user', 'license', 'invitation', 'organization', 'domain'] as const;
const hx = (href: string) => `data-hx-get="${href}" data-hx-target="#activity-log" data-hx-swap="outerHTML" data-hx-push-url="true"`;

const filterForm = (partners: { id: string; name: string }[]) =>
  `<form method="get" action="/activity" ${hx('/activity')} class="actions"><label for="f-partner">${esc(t('activity.filter.partner'))}</label>` +
  `<select id="f-partner" name="partner"><option value="">${esc(t('activity.filter.any'))}</option>` +
  `${partners.map((p) => `<option value="${esc(p.id)}">${esc(p.name)}</option>`).join('')}</select>` +
  `<label for="f-action">${esc(t('activity.filter.action'))}</label><select id="f-action" name="action"><option value="">${esc(t('activity.filter.any'))}</option>` +
  `${categories.map((c) => `<option value="${c}">${esc(t(`activity.category.${c}`))}</option>`).join('')}</select><button>${esc(t('activity.filter.submit'))}</button></form>`;

/** The page's main part for the organization `orgId`, times in `timeZone`. */
export async function activityMain(sql: Sql, orgId: string, timeZone: string): Promise<string> {
  const [found, partners] = await Promise.all([
    sql.unsafe(ENTRIES, [orgId], { prepare: true }) as unknown as Promise<ActivityEntry[]>,
    sql.unsafe(PARTNERS, [orgId, orgId], { prepare: true }) as unknown as Promise<{ id: string; name: string }[]>,
  ]);
  const entries = found.slice(0, PAGE_SIZE);
  const when = esc(t('activity.col.when'));
  const what = esc(t('activity.col.what'));
  const rows = entries
    .map((e) => {
      const at = new Date(e.createdAt);
      return `<tr><td data-label="${when}"><time datetime="${at.toISOString()}">${esc(en.dateTime(at, timeZone))}</time></td><td data-label="${what}">${esc(activitySentence(en, e))}</td></tr>`;
    })
    .join('');
  const last = entries.at(-1);
  const older = found.length > PAGE_SIZE && last ? `/activity?before=${last.id}` : null;
  const list = entries.length
    ? `<div class="table-wrap"><table class="stack"><thead><tr><th>${when}</th><th>${what}</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : `<p>${esc(t('activity.empty'))}</p>`;
  return (
    `<h1>${esc(t('activity.title'))}</h1><p>${esc(t('activity.intro'))}</p>${filterForm(partners)}` +
    `<p><a href="/activity.csv" download="">${esc(t('activity.export'))}</a> <a href="/activity/verify">${esc(t('activity.verify.link'))}</a></p><section id="activity-log">${list}` +
    `<p class="pager"><a href="/activity" ${hx('/activity')}>${esc(t('activity.newest'))}</a>` +
    `${older ? `<a href="${older}" rel="next" ${hx(older)}>${esc(t('activity.older'))}</a>` : ''}</p></section>`
  );
}

export const activityTitle = t('activity.title');
