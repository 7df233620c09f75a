/**
 * The hand-written twin of GET /subscriptions, the baseline `npm run bench` measures the read pages against:
 * node:http, postgres.js and node:zlib only. It does the app's work for the bench's visitor (Contoso's
 * global admin, in English): the session looked up by the SHA-256 of the cookie joined to its user and
 * organization, one keyset page of 20 subscriptions with product and partner names, whether each is held
 * by the reseller and the list's "Select all" count and version (the app's SQL, as one prepared
 * statement), and the very page the app sends, byte for byte (the bench checks this before measuring),
 * written with template strings and compressed with brotli at the app's quality and window. No framework,
 * no JSX, no middleware chain. It also serves the twin of the htmx partner fragment (plain-partner.ts).
 *
 * Started by test/bench/run.ts (bundled by esbuild like the server): PORT, DATABASE_URL,
 * DATABASE_POOL_SIZE (default 4, the app's default).
 */
// The app's message catalogue, registered with i18n before the twins below use it (docs/decisions/107).
import '../../src/messages.ts';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { brotliCompressSync, constants } from 'node:zlib';
import postgres from 'postgres';
import { FAVICON_DATA_URL } from '../../src/assets/favicon.ts';
import { headEnd } from '../../src/ui/style.ts';
import { countryTimeZone } from '../../src/i18n/regional.ts';
import { activityMain, activityTitle } from './plain-activity.ts';
import { changePartner, formBody } from './plain-partner.ts';
import { portalMain, portalTitle } from './plain-portal.ts';
import type { Role } from '../../src/db/schema.ts';
import { esc } from './plain-html.ts';

const sql = postgres(process.env.DATABASE_URL!, { max: Number(process.env.DATABASE_POOL_SIZE ?? 4), onnotice: () => {} });
const BROTLI = { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_LGWIN]: 17 };
const assets = JSON.parse(readFileSync('public/build/manifest.json', 'utf8')) as { css: string; htmx: string };

function cookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
/** The app's CSRF token of a signed-in request: base32 of SHA-256 of a label and the session token, 32 characters. */
function csrfOf(token: string): string {
  const bytes = createHash('sha256').update(`partnerdesk csrf\0${token}`).digest();
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < 32) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

interface Row {
  id: string;
  product_name: string;
  quantity: number;
  status: string;
  renews_at: Date | null;
  version: number;
  sort_key: string;
  partner_name: string | null;
  partner_partner_id: string | null;
  held_by_reseller: boolean;
  summary: { version: string; selectable: number };
}

const statusLabel: Record<string, string> = { trial: 'Trial', active: 'Active', expired: 'Expired', cancelled: 'Cancelled' };
const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' });
const numberFormat = new Intl.NumberFormat('en');
const date = (d: Date | null) => (d ? dateFormat.format(d) : '—');

const menu =
  '<nav id="nav" aria-label="Main navigation"><p class="menu"><a class="menu-open" href="#nav">Menu</a><a class="menu-close" href="#main">Close menu</a></p><div class="menu-items">';
const navHtml =
  menu +
  '<ul><li><a href="/">Home</a></li></ul>' +
  '<ul><li class="group">Subscriptions</li><li><a href="/subscriptions">Subscriptions</a></li><li><a href="/purchase">Add more products</a></li></ul>' +
  '<ul><li><a href="/users">Users and licenses</a></li><li><a href="/activity">Activity log</a></li><li><a href="/partners">Find a partner</a></li></ul>' +
  '<ul><li class="group">Settings</li><li><a href="/settings/partner-relationships">Partner relationships</a></li><li><a href="/domains">Domains</a></li><li><a href="/settings/security">Security</a></li><li><a href="/settings/alerts">Alerts</a></li></ul>';
const partnerNavHtml =
  menu +
  '<ul><li><a href="/portal">Customers</a></li><li><a href="/portal/links">Authorization links</a></li><li><a href="/partners">Find a partner</a></li></ul>';
/** The navigation with the current page marked, made once per page (its end, the view switch, per request). */
const nav = (html: string, path: string) => html.replace(`<a href="${path}">`, `<a href="${path}" aria-current="page">`);
const navs = new Map([
  ['/subscriptions', nav(navHtml, '/subscriptions')],
  ['/activity', nav(navHtml, '/activity')],
  ['/portal', nav(partnerNavHtml, '/portal')],
]);

/** The app's layout for a customer's global admin (or, `partner`, a partner's admin), in English, around `main`. */
export function layout(
  user: { name: string; org_name: string },
  csrf: string,
  page: { path: string; title: string; main: string; partner?: boolean; swaps: boolean },
): string {
  const token = `<input type="hidden" name="_csrf" value="${esc(csrf)}"/>`;
  const back = `<input type="hidden" name="back" value="${esc(page.path)}"/>`;
  return (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>' +
    `<title>${esc(page.title)} · partnerdesk</title><link rel="icon" href="${esc(FAVICON_DATA_URL)}"/>${headEnd(assets.htmx, page.swaps)}</head><body>` +
    '<a class="skip" href="#main">Skip to main content</a>' +
    `<header class="top"><a class="brand" href="/">partnerdesk</a><span class="who">${esc(user.org_name)} · ${esc(user.name)}</span>` +
    `<form method="post" action="/signout" class="inline">${token}<button class="link">Sign out</button></form></header>` +
    `<div class="frame">${navs.get(page.path)}` +
    (page.partner
      ? ''
      : `<form method="post" action="/settings/view">${token}${back}<button name="view" value="dashboard" class="link">Switch to dashboard view</button></form>`) +
    `</div></nav><main id="main" tabindex="-1">${page.main}</main></div>` +
    '<div id="live" class="vh" role="status" aria-live="polite"></div>' +
    `<footer><ul><li><a href="/settings/preferences">Preferences</a></li><li><form method="post" action="/language">${token}${back}<span>Language:</span>` +
    '<button name="locale" value="en" class="link" lang="en" aria-pressed="true">English</button><button name="locale" value="pl" class="link" lang="pl" aria-pressed="false">Polski</button>' +
    '<button name="locale" value="zh" class="link" lang="zh" aria-pressed="false">简体中文</button></form></li></ul></footer></body></html>'
  );
}

function row(s: Row): string {
  const id = esc(s.id);
  const product = esc(s.product_name);
  const partner = s.partner_name
    ? `${esc(s.partner_name)} <span class="muted">(Partner ID ${esc(s.partner_partner_id)})</span>`
    : '<span class="muted">None</span>';
  const held = s.held_by_reseller
    ? `<small id="held-${id}" class="hint">${esc(s.partner_name)} is your reseller: only the reseller can end this partner of record.</small>`
    : '';
  return (
    `<tr><td><label class="check"><input type="checkbox" name="ids" value="${id}"${s.held_by_reseller ? ` disabled="" aria-describedby="held-${id}"` : ''}/>` +
    `<span class="vh">Select ${product}, licenses: ${numberFormat.format(s.quantity)}, renews ${date(s.renews_at)}</span></label></td>` +
    `<td data-label="Product"><a href="/subscriptions/${id}">${product}</a></td>` +
    `<td data-label="Licenses">${numberFormat.format(s.quantity)}</td>` +
    `<td data-label="Status"><span class="badge">${esc(statusLabel[s.status])}</span></td>` +
    `<td data-label="Renewal date">${date(s.renews_at)}</td>` +
    `<td data-label="Partner of record">${partner}${held}</td></tr>`
  );
}

function subscriptionList(csrf: string, list: Row[], next: string | null): string {
  const token = `<input type="hidden" name="_csrf" value="${esc(csrf)}"/>`;
  const summary = list[0]?.summary ?? { version: '0.0', selectable: 0 };
  const selectAll =
    summary.selectable > 0
      ? '<div class="field"><label><input type="checkbox" name="all" value="1" aria-describedby="select-all-hint"/> ' +
        `${summary.selectable === 1 ? 'Select the 1 subscription' : `Select all ${numberFormat.format(summary.selectable)} subscriptions`}</label>` +
        '<small id="select-all-hint" class="hint">The whole list, not only this page. Subscriptions whose partner of record is your reseller are left to the reseller.</small></div>'
      : '';
  return (
    '<h1>Subscriptions</h1><p><a href="/purchase">Add more products</a></p><section id="subscription-list">' +
    `<form method="post" action="/subscriptions/partner" data-hx-post="/subscriptions/partner" data-hx-target="#subscription-list" data-hx-swap="outerHTML">${token}` +
    '<input type="hidden" name="sort" value="created"/><input type="hidden" name="dir" value="desc"/><input type="hidden" name="after" value=""/>' +
    `<input type="hidden" name="listVersion" value="${esc(summary.version)}"/>${list.map((s) => `<input type="hidden" name="v" value="${esc(s.id)}:${s.version}"/>`).join('')}` +
    '<div class="table-wrap"><table class="stack"><caption class="muted">Your organization’s subscriptions. Select several to change their partner of record at once.</caption>' +
    '<thead><tr><th><span class="vh">Select</span></th><th><a href="/subscriptions?sort=product&amp;dir=asc">Product</a></th><th>Licenses</th><th>Status</th>' +
    '<th><a href="/subscriptions?sort=renewal&amp;dir=asc">Renewal date</a></th><th>Partner of record</th></tr></thead>' +
    `<tbody>${list.map(row).join('')}</tbody></table></div>` +
    `<fieldset><legend>Partner of record of the selected subscriptions</legend>${selectAll}<div class="field"><label for="f-partnerId">Partner ID</label>` +
    '<small id="f-partnerId-hint" class="hint">To add or change, type the Partner ID. To remove, leave it empty.</small>' +
    '<input id="f-partnerId" name="partnerId" type="text" autocomplete="off" inputmode="numeric" maxlength="12" aria-describedby="f-partnerId-hint"/></div>' +
    '<div class="actions"><button name="action" value="add" class="primary">Add or change partner</button><button name="action" value="remove">Remove partner</button></div></fieldset></form>' +
    `<p class="pager">${next ? `<a href="/subscriptions?sort=created&amp;dir=desc&amp;after=${esc(next)}" rel="next">Next page</a>` : ''}</p></section>`
  );
}

/** The signed-in person by the SHA-256 of the session cookie, or a redirect to sign in. */
async function signedIn(req: http.IncomingMessage, res: http.ServerResponse) {
  const token = cookies(req.headers.cookie).pd_session ?? '';
  const sessionId = createHash('sha256').update(token).digest('hex');
  const [user] = await sql<
    { id: string; org_id: string; name: string; org_name: string; role: Role; time_zone: string | null; country: string; expires_at: Date }[]
  >`
    select u.id, u.org_id, u.name, o.name as org_name, u.role, u.time_zone, o.country, s.expires_at
    from sessions s join users u on u.id = s.user_id join organizations o on o.id = u.org_id where s.id = ${sessionId}`;
  if (user && user.expires_at.getTime() > Date.now()) return { user, token };
  res.writeHead(303, { location: '/signin' }).end();
  return null;
}

function send(res: http.ServerResponse, status: number, text: string) {
  const html = Buffer.from(text);
  const body = brotliCompressSync(html, { params: { ...BROTLI, [constants.BROTLI_PARAM_SIZE_HINT]: html.length } });
  res
    .writeHead(status, { 'content-type': 'text/html; charset=UTF-8', 'content-encoding': 'br', vary: 'Accept-Encoding', 'content-length': body.length })
    .end(body);
}

/** The twin of the htmx fragment: plain-partner.ts does the change; here the session and the form token. */
async function partnerFragment(req: http.IncomingMessage, res: http.ServerResponse, id: string) {
  const form = await formBody(req);
  const session = await signedIn(req, res);
  if (!session) return;
  const csrf = csrfOf(session.token);
  if (form.get('_csrf') !== csrf) return send(res, 403, 'Forbidden');
  const answer = await changePartner(sql, session.user, csrf, id, form);
  if (!answer) return send(res, 500, 'The plain twin does not handle this change.');
  send(res, answer.status, answer.html);
}

async function subscriptions(req: http.IncomingMessage, res: http.ServerResponse) {
  const session = await signedIn(req, res);
  if (!session) return;
  const { user, token } = session;
  const org = user.org_id;
  // The app's statement, parameters included (they decide how PostgreSQL plans it: generic or per call).
  // The app writes its page size into the text (decision 094); this page keeps it a parameter, its faster
  // form here: with `limit 21`, PostgreSQL chose a generic plan that served a quarter fewer requests.
  const [valued, nulls, limit] = [1, 0, 21];
  const found = await sql<Row[]>`
    with page as ((select s.*, ${valued} as part, s.created_at::text as sort_key from subscriptions s
        where s.org_id = ${org} and s.created_at is not null order by s.created_at desc, s.id desc limit ${limit})
      union all (select s.*, ${nulls} as part, s.created_at::text as sort_key from subscriptions s
        where s.org_id = ${org} and s.created_at is null order by s.created_at desc, s.id desc limit ${limit}))
    select s.id, pr.name as product_name, s.quantity, s.status, s.renews_at, s.version, s.sort_key,
      p.name as partner_name, p.partner_id as partner_partner_id,
      exists (select 1 from partner_relationships held where held.org_id = ${org} and held.partner_org_id = s.partner_org_id
        and held.type = 'reseller' and held.status = 'active') as held_by_reseller,
      (select json_build_object('version', coalesce(sum(t.n), 0)::text || '.' || coalesce(sum(t.changes), 0)::text,
        'selectable', coalesce(sum(t.n) filter (where (t.partner_org_id is null or t.partner_org_id not in
          (select partner_org_id from partner_relationships where org_id = ${org} and type = 'reseller' and status = 'active'))), 0))
        from subscription_tallies t where t.org_id = ${org}) as summary
    from page s join products pr on pr.id = s.product_id left join partners p on p.org_id = s.partner_org_id
    order by s.part, s.created_at desc, s.id desc limit ${limit}`;
  const list = found.slice(0, 20);
  const last = list.at(-1);
  const next = found.length > 20 && last ? Buffer.from(JSON.stringify([last.sort_key, last.id])).toString('base64url') : null;
  const csrf = csrfOf(token);
  send(res, 200, layout(user, csrf, { path: '/subscriptions', title: 'Subscriptions', main: subscriptionList(csrf, list, next), swaps: true }));
}

/** The twin of GET /activity: plain-activity.ts writes the list; here the session and the layout. */
async function activity(req: http.IncomingMessage, res: http.ServerResponse) {
  const session = await signedIn(req, res);
  if (!session) return;
  const { user, token } = session;
  const main = await activityMain(sql, user.org_id, user.time_zone ?? countryTimeZone(user.country));
  send(res, 200, layout(user, csrfOf(token), { path: '/activity', title: activityTitle, main, swaps: true }));
}

/** The twin of GET /portal (a partner's customers): plain-portal.ts writes the list; here the session and the layout. */
async function portal(req: http.IncomingMessage, res: http.ServerResponse) {
  const session = await signedIn(req, res);
  if (!session) return;
  const { user, token } = session;
  const main = await portalMain(sql, { id: user.org_id, name: user.org_name }, user.role, user.time_zone ?? countryTimeZone(user.country));
  send(res, 200, layout(user, csrfOf(token), { path: '/portal', title: portalTitle, main, partner: true, swaps: true }));
}

const pages: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>> = {
  '/subscriptions': subscriptions,
  '/activity': activity,
  '/portal': portal,
};
const fragmentPath = /^\/subscriptions\/([0-9a-f-]{36})\/partner$/;

http
  .createServer((req, res) => {
    const path = req.url?.split('?')[0] ?? '';
    const fragment = req.method === 'POST' ? fragmentPath.exec(path) : null;
    const page = req.method === 'GET' ? pages[path] : undefined;
    if (!fragment && !page) {
      res.writeHead(404).end();
      return;
    }
    (fragment ? partnerFragment(req, res, fragment[1]) : page!(req, res)).catch((e: Error) => {
      console.error(e.message);
      res.writeHead(500).end();
    });
  })
  .listen(Number(process.env.PORT ?? 3001), '127.0.0.1', () => console.log(`plain /subscriptions on port ${process.env.PORT ?? 3001}`));
