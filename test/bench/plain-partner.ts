/**
 * The hand-written twin of the htmx fragment POST /subscriptions/:id/partner (add or remove the partner of
 * record of one subscription), the baseline `npm run bench` measures that write against (decision 091):
 * node:http, postgres.js and node:zlib, no framework. It does the app's work for the bench's visitor:
 * the session by the SHA-256 of the cookie, the form token checked, then in one transaction the app's
 * statements with the app's parameters (the subscription locked with what the rules need and the partner
 * looked up; the change with its audit row, the partner's e-mail in its three languages and the
 * organization's partner-of-record lock; the advisor relationship's sync with its audit row), and the
 * app's fragment, byte for byte (the bench compares them before measuring). Like the plain pages' separate
 * session lookup, it sends its statements one after another; the app sends the last two in one round trip.
 * The rules are the app's for the cases the bench sends: an eligible partner added to a subscription
 * without one, and removed again.
 */
import type http from 'node:http';
import type { Sql } from 'postgres';
import { productName } from '../../src/catalog/text.ts';
import { i18n } from '../../src/i18n/index.ts';
import type { PartnerProfile } from '../../src/partner-of-record/partner-of-record.rules.ts';
import { esc } from './plain-html.ts';

type Partner = PartnerProfile & { contactEmail: string };
interface Locked {
  id: string;
  version: number;
  productId: string;
  productName: string;
  partnerOrgId: string | null;
  partner: Partner | null;
  heldByReseller: boolean;
  country: string;
  newPartner: Partner | null;
}

// The app's statements, as its log shows them: the same text, so PostgreSQL plans them alike.
const LOCK = `with locked as materialized (
        select id, version, product_id, partner_org_id, quantity, status, billing_frequency, started_at, renews_at from subscriptions
        where org_id = $1 and id in ($2::uuid) order by id for update)
      select l.id, l.version, l.product_id as "productId", pr.name as "productName", l.partner_org_id as "partnerOrgId",
        l.quantity, l.status, l.billing_frequency as "billingFrequency", l.started_at as "startedAt", l.renews_at as "renewsAt",
        (select json_build_object('orgId', p.org_id, 'partnerId', p.partner_id, 'name', p.name, 'countries', p.countries,
    'productIds', p.product_ids, 'capabilities', p.capabilities, 'contactEmail', p.contact_email) from partners p where p.org_id = l.partner_org_id) as partner,
        exists (select 1 from partner_relationships held where held.org_id = $3 and held.partner_org_id = l.partner_org_id
    and held.type = 'reseller' and held.status = 'active') as "heldByReseller",
        o.country,
        (select json_build_object('orgId', p.org_id, 'partnerId', p.partner_id, 'name', p.name, 'countries', p.countries,
    'productIds', p.product_ids, 'capabilities', p.capabilities, 'contactEmail', p.contact_email) from partners p where p.partner_id = $4) as "newPartner"
      from locked l join products pr on pr.id = l.product_id join organizations o on o.id = $5`;

const locale = (to: string) => `(case ${to}.country when 'CN' then 'zh' when 'SG' then 'zh' when 'PL' then 'pl' else 'en' end)`;
const WRITE = `with written as (update subscriptions set partner_org_id = $1::uuid, version = version + 1
      where org_id = $2 and id in ($3::uuid)), audited as (insert into audit_log (org_id, partner_org_id, actor_user_id, actor_name, action, target_type, target_id, before, after) select org_id, partner_org_id, actor_user_id, actor_name, action, target_type, target_id, before, after from jsonb_to_recordset($4::jsonb)
    as e (org_id uuid, partner_org_id uuid, actor_user_id uuid, actor_name text, action text, target_type text, target_id text, before jsonb, after jsonb)),
      mailed as (insert into outbox (to_address, subject, body, dedupe_key)
    select v.to_address, case l.locale when 'pl' then v.subject_pl when 'zh' then v.subject_zh else v.subject_en end, case l.locale when 'pl' then v.body_pl when 'zh' then v.body_zh else v.body_en end, v.dedupe_key from jsonb_to_recordset($5::jsonb) as v (to_address text, fallback text, org_id uuid, dedupe_key text, subject_en text, body_en text, subject_pl text, body_pl text, subject_zh text, body_zh text) cross join lateral (select coalesce(
    (select coalesce(ru.locale, ${locale('ro')}) from users ru join organizations ro on ro.id = ru.org_id where lower(ru.email) = lower(v.to_address) limit 1),
    (select ${locale('ro')} from organizations ro where ro.id = v.org_id),
    v.fallback) as locale) l
    where true
    on conflict (dedupe_key) do nothing)
    select pg_advisory_xact_lock(hashtextextended('partner-of-record:' || $6::text, 0))`;

/** The advisor relationship's sync: partners that gained a subscription, and partners that lost one (comma-separated). */
const SYNC = `with ended as (
        update partner_relationships r set status = 'ended', ended_at = $1::timestamptz
        where r.org_id = $2 and r.type = 'advisor' and r.status = 'active' and r.partner_org_id = any(string_to_array($3::text, ',')::uuid[])
          and not exists (select 1 from subscriptions s where s.org_id = $4 and s.partner_org_id = r.partner_org_id)
        returning r.id, r.partner_org_id),
      started as (
        insert into partner_relationships (org_id, partner_org_id, type, started_at, authorized_by_user_id)
        select $5, p, 'advisor', $6::timestamptz, $7 from unnest(string_to_array($8::text, ',')::uuid[]) p
        where not exists (select 1 from partner_relationships r where r.org_id = $9 and r.partner_org_id = p and r.type = 'advisor' and r.status = 'active')
        on conflict (org_id, partner_org_id, type) where status = 'active' do nothing
        returning id, partner_org_id),
      changed as (select id, partner_org_id, 'relationship.advisor.ended' as action from ended
        union all select id, partner_org_id, 'relationship.advisor.started' from started)
      insert into audit_log (org_id, partner_org_id, actor_user_id, actor_name, action, target_type, target_id, before, after) select ($10)::uuid, (c.partner_org_id)::uuid, ($11)::uuid, ($12)::text, (c.action)::text, ($13)::text, (c.id::text)::text, null::jsonb, null::jsonb from changed c`;

const { t } = i18n('en');

/** The partner's e-mail, as the app's outbox row takes it: in each language (the recipient's is chosen in SQL). */
function mail(kind: 'added' | 'removed', partner: Partner, org: string, productId: string, stored: string) {
  const texts: Record<string, string> = {};
  for (const l of ['en', 'pl', 'zh'] as const) {
    const i = i18n(l);
    const values = { org, partner: partner.name, products: productName(i, productId, stored) };
    texts[`subject_${l}`] = i.t(`subs.mail.${kind}.subject`, values);
    texts[`body_${l}`] = i.t(`subs.mail.${kind}.body`, values);
  }
  return { to_address: partner.contactEmail, fallback: 'en', org_id: partner.orgId, dedupe_key: null, ...texts };
}

const audited = (p: Partner | null) => (p ? { partnerOrgId: p.orgId, partnerId: p.partnerId, name: p.name } : null);

/** The pane the app swaps in, for a subscription with or without a partner of record. */
function pane(id: string, csrf: string, partner: Partner | null, version: number, message: string): string {
  const action = `/subscriptions/${esc(id)}/partner`;
  const form = `<form method="post" action="${action}" data-hx-post="${action}" data-hx-target="#partner-info" data-hx-swap="outerHTML"`;
  const hidden = `<input type="hidden" name="_csrf" value="${esc(csrf)}"/><input type="hidden" name="version" value="${version}"/>`;
  const field = (label: string, hint: string) =>
    `<div class="field"><label for="f-partnerId">${esc(label)}</label><small id="f-partnerId-hint" class="hint">${esc(hint)}</small>` +
    '<input id="f-partnerId" name="partnerId" type="text" required="" autocomplete="off" inputmode="numeric" maxlength="12" aria-describedby="f-partnerId-hint"/></div>';
  const current = partner
    ? `${form} class="actions">${hidden}<p>${esc(t('subs.partnerOfRecord'))}: <strong>${esc(partner.name)}</strong> <span class="muted">(${esc(t('subs.partnerIdShort', { id: partner.partnerId }))})</span></p>` +
      `<button name="action" value="remove" class="danger" aria-label="${esc(t('subs.removeOf', { partner: partner.name }))}">${esc(t('subs.remove'))}</button></form>`
    : `<p>${esc(t('subs.noPartner'))}</p>`;
  const add = partner ? field(t('subs.changePartnerId'), t('subs.changeHint', { partner: partner.name })) : field(t('subs.partnerId'), t('subs.partnerIdHint'));
  return (
    `<section id="partner-info" class="pane" aria-labelledby="partner-info-title"><h2 id="partner-info-title">${esc(t('subs.partnerInfo'))}</h2>` +
    `<p class="flash" role="status">${esc(message)}</p>${current}${form}>${hidden}${add}<button name="action" value="add" class="primary">${esc(t('subs.add'))}</button></form></section>` +
    `<div id="live" data-hx-swap-oob="innerHTML">${esc(message)}</div>`
  );
}

export type Answer = { status: number; html: string };

/**
 * The change itself, for the signed-in `user` (their organization), `form` as the browser sent it.
 * `null` for what the bench never sends (another partner's replacement, a refused partner): the bench's
 * comparison fails on it rather than measuring something else.
 */
export async function changePartner(
  sql: Sql,
  user: { id: string; name: string; org_id: string; org_name: string },
  csrf: string,
  id: string,
  form: URLSearchParams,
): Promise<Answer | null> {
  const org = user.org_id;
  const adding = form.get('action') === 'add';
  const partnerId = adding ? (form.get('partnerId') ?? '').trim() : null;
  if (adding && !/^[0-9]{1,12}$/.test(partnerId!)) return null;
  return sql.begin(async (tx) => {
    const [s] = (await tx.unsafe(LOCK, [org, id, org, partnerId, org], { prepare: true })) as unknown as Locked[];
    if (!s) return { status: 404, html: '' };
    if (s.heldByReseller) return null;
    const to = adding ? s.newPartner : null;
    if (adding) {
      const p = to;
      if (!p || !p.capabilities.includes('advisor') || !p.productIds.includes(s.productId) || !p.countries.includes(s.country)) return null;
      if (s.partnerOrgId === p.orgId) return { status: 200, html: pane(id, csrf, s.partner, s.version, t('subs.nothingChanged')) };
      if (s.partnerOrgId) return null;
    } else if (!s.partnerOrgId) {
      return { status: 422, html: '' };
    }
    const from = s.partner;
    const changed = (to ?? from)!;
    const version = s.version + 1;
    const now = new Date().toISOString();
    const kind = to ? 'added' : 'removed';
    const entry = {
      org_id: org,
      partner_org_id: changed.orgId,
      actor_user_id: user.id,
      actor_name: user.name,
      action: `subscription.partner_of_record.${kind}`,
      target_type: 'subscription',
      target_id: id,
      before: { partner: audited(from), version: s.version },
      after: { partner: audited(to), version },
    };
    // postgres.js writes a jsonb parameter as JSON: the rows and the mail go as they are.
    await tx.unsafe(WRITE, [to?.orgId ?? null, org, id, [entry], [mail(kind, changed, user.org_name, s.productId, s.productName)], org], {
      prepare: true,
    });
    const [added, removed] = to ? [to.orgId, ''] : ['', from!.orgId];
    await tx.unsafe(SYNC, [now, org, removed, org, org, now, user.id, added, org, org, user.id, user.name, 'partner_relationship'], { prepare: true });
    return { status: 200, html: pane(id, csrf, to, version, t(to ? 'subs.partnerAdded' : 'subs.partnerRemoved')) };
  });
}

/** The request's form body (the bench's is small; a real server would cap it). */
export function formBody(req: http.IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString())));
    req.on('error', reject);
  });
}
