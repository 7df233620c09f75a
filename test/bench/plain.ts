/**
 * The hand-written twin of GET /subscriptions, the baseline `npm run bench` measures every page against:
 * node:http, postgres.js and node:zlib only. It does the same work as the app's page: the session looked
 * up by the SHA-256 of the cookie joined to its user and organization (one prepared statement), one
 * keyset page of 20 subscriptions with product and partner names (a second one), the page written as
 * escaped HTML of the app's size with its header, navigation, bulk form and footer, and brotli at the
 * quality and window the app's compress middleware uses. No framework, no JSX, no middleware chain.
 *
 * Started by test/bench/run.ts (bundled by esbuild like the server): PORT, DATABASE_URL,
 * DATABASE_POOL_SIZE (default 4, the app's default).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { brotliCompressSync, constants } from 'node:zlib';
import postgres from 'postgres';

const sql = postgres(process.env.DATABASE_URL!, { max: Number(process.env.DATABASE_POOL_SIZE ?? 4), onnotice: () => {} });
const BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_LGWIN]: 17 } };

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (ch) => escapes[ch]);

function cookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

interface Row {
  id: string;
  product_name: string;
  quantity: number;
  status: string;
  renews_at: Date | null;
  partner_name: string | null;
  partner_id: string | null;
}

const statusLabel: Record<string, string> = { trial: 'Trial', active: 'Active', expired: 'Expired', cancelled: 'Cancelled' };
const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' });
const numberFormat = new Intl.NumberFormat('en');
const nav = [
  ['/', 'Home'],
  ['/subscriptions', 'Subscriptions'],
  ['/purchase', 'Add more products'],
  ['/partners', 'Find a partner'],
  ['/settings/partner-relationships', 'Partner relationships'],
  ['/activity', 'Activity'],
  ['/users', 'Users'],
];

function row(s: Row): string {
  const partner = s.partner_name ? `${esc(s.partner_name)} <span class="muted">(Partner ID ${esc(s.partner_id)})</span>` : '<span class="muted">None</span>';
  return (
    `<tr><td><input type="checkbox" name="ids" value="${esc(s.id)}" aria-label="Select ${esc(s.product_name)}"/></td>` +
    `<td data-label="Product"><a href="/subscriptions/${esc(s.id)}">${esc(s.product_name)}</a></td>` +
    `<td data-label="Licenses">${numberFormat.format(s.quantity)}</td>` +
    `<td data-label="Status"><span class="badge">${esc(statusLabel[s.status])}</span></td>` +
    `<td data-label="Renewal date">${s.renews_at ? esc(dateFormat.format(s.renews_at)) : ''}</td>` +
    `<td data-label="Partner of record">${partner}</td></tr>`
  );
}

function page(user: { name: string; org_name: string }, csrf: string, list: Row[], next: string | null): string {
  const token = `<input type="hidden" name="_csrf" value="${esc(csrf)}"/>`;
  return (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>' +
    '<title>Subscriptions · partnerdesk</title><link rel="stylesheet" href="/assets/app.css"/><script src="/assets/htmx.js" defer></script></head><body>' +
    `<header class="top"><a class="brand" href="/">partnerdesk</a><span class="who">${esc(user.org_name)} · ${esc(user.name)}</span>` +
    `<form method="post" action="/settings/view" class="inline">${token}<input type="hidden" name="back" value="/subscriptions"/><button name="view" value="simplified" class="link">Switch to the simplified view</button></form>` +
    `<form method="post" action="/signout" class="inline">${token}<button class="link">Sign out</button></form></header>` +
    `<div class="frame"><nav aria-label="Main"><ul>${nav.map(([href, label]) => `<li><a href="${href}"${href === '/subscriptions' ? ' aria-current="page"' : ''}>${label}</a></li>`).join('')}</ul></nav>` +
    '<main id="main"><h1>Subscriptions</h1><p><a href="/purchase">Add more products</a></p><section id="subscription-list">' +
    `<form method="post" action="/subscriptions/partner" data-hx-post="/subscriptions/partner" data-hx-target="#subscription-list" data-hx-swap="outerHTML">${token}` +
    '<input type="hidden" name="sort" value="created"/><input type="hidden" name="dir" value="desc"/><input type="hidden" name="after" value=""/>' +
    '<div class="table-wrap"><table class="stack"><caption class="muted">Your organization’s subscriptions. Select several to change their partner of record at once.</caption>' +
    '<thead><tr><th><span class="skip">Select</span></th><th><a href="/subscriptions?sort=product&amp;dir=asc">Product</a></th><th>Licenses</th><th>Status</th>' +
    '<th><a href="/subscriptions?sort=renewal&amp;dir=asc">Renewal date</a></th><th>Partner of record</th></tr></thead>' +
    `<tbody>${list.map(row).join('')}</tbody></table></div>` +
    '<fieldset><legend>Partner of record of the selected subscriptions</legend><div class="field"><label for="partnerId">Partner ID</label>' +
    '<p class="hint" id="partnerId-hint">To add or change, type the Partner ID. To remove, leave it empty.</p>' +
    '<input id="partnerId" name="partnerId" value="" aria-describedby="partnerId-hint" inputmode="numeric" maxlength="12" autocomplete="off"/></div>' +
    '<div class="actions"><button name="action" value="add" class="primary">Add or change partner</button><button name="action" value="remove">Remove partner</button></div></fieldset></form>' +
    `<p class="pager">${next ? `<a href="/subscriptions?sort=created&amp;dir=desc&amp;after=${esc(encodeURIComponent(next))}" rel="next">Next page</a>` : ''}</p></section></main></div>` +
    `<footer><form method="post" action="/language" class="inline">${token}<input type="hidden" name="back" value="/subscriptions"/><span>Language: </span>` +
    '<button name="locale" value="en" class="link" lang="en" aria-pressed="true">English</button><button name="locale" value="pl" class="link" lang="pl" aria-pressed="false">Polski</button>' +
    '<button name="locale" value="zh" class="link" lang="zh" aria-pressed="false">中文</button></form></footer></body></html>'
  );
}

async function subscriptions(req: http.IncomingMessage, res: http.ServerResponse) {
  const jar = cookies(req.headers.cookie);
  const sessionId = createHash('sha256')
    .update(jar.pd_session ?? '')
    .digest('hex');
  const [user] = await sql<{ org_id: string; name: string; org_name: string; expires_at: Date }[]>`
    select u.org_id, u.name, o.name as org_name, s.expires_at
    from sessions s join users u on u.id = s.user_id join organizations o on o.id = u.org_id where s.id = ${sessionId}`;
  if (!user || user.expires_at.getTime() <= Date.now()) {
    res.writeHead(303, { location: '/signin' }).end();
    return;
  }
  const found = await sql<(Row & { created_at: Date })[]>`
    select s.id, pr.name as product_name, s.quantity, s.status, s.renews_at, s.created_at, p.name as partner_name, p.partner_id
    from (select * from subscriptions where org_id = ${user.org_id} order by created_at desc, id desc limit 21) s
    join products pr on pr.id = s.product_id left join partners p on p.org_id = s.partner_org_id
    order by s.created_at desc, s.id desc`;
  const list = found.slice(0, 20);
  const last = list.at(-1);
  const next = found.length > 20 && last ? `${last.created_at.toISOString()}~${last.id}` : null;
  const body = brotliCompressSync(page(user, jar.pd_csrf ?? '', list, next), BROTLI);
  res
    .writeHead(200, { 'content-type': 'text/html; charset=UTF-8', 'content-encoding': 'br', vary: 'Accept-Encoding', 'content-length': body.length })
    .end(body);
}

http
  .createServer((req, res) => {
    if (req.url?.split('?')[0] !== '/subscriptions') {
      res.writeHead(404).end();
      return;
    }
    subscriptions(req, res).catch((e: Error) => {
      console.error(e.message);
      res.writeHead(500).end();
    });
  })
  .listen(Number(process.env.PORT ?? 3001), '127.0.0.1', () => console.log(`plain /subscriptions on port ${process.env.PORT ?? 3001}`));
