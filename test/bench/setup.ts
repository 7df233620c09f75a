/** The bench's data and visitors: the database (seeded when missing), signed-in cookies, the key pages. */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import postgres from 'postgres';
import { DEMO_PASSWORD } from '../../src/seed/seed.ts';
import { MARKER_ORG } from '../../src/seed/seed-large.ts';
import { request } from './load.ts';
import { root } from './servers.ts';

export const browserHeaders = { 'accept-language': 'en', 'accept-encoding': 'br, gzip', accept: 'text/html' };
/** Pages followed through the subscription list's "next" links to reach a deep page. */
const DEEP_PAGES = 99;
/**
 * Partner IDs of the demo directory (seed.ts: 1000001 + i × 137) tried for the fragment; Northwind
 * (1000001) is Contoso's reseller, whose partner of record only the reseller may end, so it comes last.
 */
const PARTNER_IDS = ['1000138', '1000275', '1000412', '1000549', '1000001'];

export interface Target {
  name: string;
  path: string;
  cookie?: string;
  note?: string;
  toggle?: { ids: string[]; csrf: string; partnerId: string };
  /** The plain server has this page's own twin (the same path, or for the toggle the same write), measured instead of the plain /subscriptions. */
  twin?: boolean;
}

/** Creates the database when missing; the big data set is seeded unless `small` (then the server seeds the demo). */
export async function ensureDatabase(url: string, small: boolean, log: (l: string) => void) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const server = new URL(url);
  server.pathname = '/postgres';
  const admin = postgres(server.toString(), { max: 1, onnotice: () => {} });
  try {
    if ((await admin`select 1 from pg_database where datname = ${name}`).length === 0) {
      log(`Creating database ${name}.`);
      await admin.unsafe(`create database "${name.replaceAll('"', '""')}"`);
    }
  } finally {
    await admin.end();
  }
  if (small) return;
  const db = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [{ seeded }] = await db`select to_regclass('public.organizations') is not null
      and exists (select 1 from organizations where name = ${MARKER_ORG}) as seeded`;
    if (!seeded) {
      log('The large data set is missing: seeding it (npm run seed, a couple of minutes) ...');
      await new Promise<void>((resolve, reject) => {
        const child = spawn('npx', ['tsx', 'src/seed/seed-large.ts'], { cwd: root, env: { ...process.env, DATABASE_URL: url }, stdio: 'inherit' });
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run seed exited with ${code}`))));
      });
    }
  } finally {
    await db.end();
  }
}

function cookiesFrom(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of headers['set-cookie'] ?? []) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

/** GET /signin for the CSRF cookie, POST the form: the cookies of a signed-in browser. */
async function signIn(agent: http.Agent, port: number, email: string): Promise<{ cookie: string; csrf: string }> {
  const page = await request(agent, port, '/signin', { headers: browserHeaders });
  const csrf = cookiesFrom(page.headers).pd_csrf;
  if (!csrf) throw new Error('GET /signin set no pd_csrf cookie');
  const body = new URLSearchParams({ email, password: DEMO_PASSWORD, _csrf: csrf, next: '/' }).toString();
  const res = await request(agent, port, '/signin', {
    method: 'POST',
    body,
    headers: {
      ...browserHeaders,
      cookie: `pd_csrf=${csrf}`,
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(Buffer.byteLength(body)),
    },
  });
  const session = cookiesFrom(res.headers).pd_session;
  if (res.status !== 303 || !session) throw new Error(`signing in as ${email} failed: status ${res.status}`);
  const cookie = `pd_csrf=${csrf}; pd_session=${session}`;
  // Signed in, forms carry a token derived from the session (not the signed-out cookie): read it off a page.
  const home = text(await request(agent, port, '/settings/preferences', { headers: { ...browserHeaders, cookie } }));
  const signedIn = home.match(/name="_csrf" value="([^"]+)"/)?.[1];
  if (!signedIn) throw new Error(`no form token on the preferences page of ${email}`);
  return { cookie, csrf: signedIn };
}

function text(res: { headers: http.IncomingHttpHeaders; body: Buffer }): string {
  const enc = res.headers['content-encoding'];
  return (enc === 'br' ? brotliDecompressSync(res.body) : enc === 'gzip' ? gunzipSync(res.body) : res.body).toString('utf8');
}

/** The list's "next page" link (rel="next"). */
function nextLink(html: string): string | null {
  const tag = (html.match(/<a\b[^>]*>/g) ?? []).find((a) => /\brel="[^"]*\bnext\b/.test(a));
  return tag?.match(/\bhref="([^"]*)"/)?.[1]?.replaceAll('&amp;', '&') ?? null;
}

/** Contoso's subscriptions that take a partner of record and give it back (checked by doing it once), and that partner. */
async function toggleable(agent: http.Agent, port: number, url: string, who: { cookie: string; csrf: string }, want: number) {
  const db = postgres(url, { max: 1, onnotice: () => {} });
  // Those an earlier run left with one of the tried partners count too: a removal first gives them back.
  const tried = PARTNER_IDS.slice(0, -1);
  const candidates = await db<{ id: string }[]>`select s.id from subscriptions s join users u on u.org_id = s.org_id
    where u.email = 'admin@contoso.example' and s.status = 'active'
      and (s.partner_org_id is null or s.partner_org_id in (select org_id from partners where partner_id in ${db(tried)}))
    order by s.id limit ${want * 2}`;
  await db.end();
  const post = (id: string, form: string) => {
    const body = `_csrf=${who.csrf}&${form}`;
    const headers = {
      ...browserHeaders,
      cookie: who.cookie,
      'hx-request': 'true',
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(body.length),
    };
    return request(agent, port, `/subscriptions/${id}/partner`, { method: 'POST', body, headers });
  };
  const ids: string[] = [];
  let partnerId = '';
  for (const { id } of candidates) {
    if (ids.length >= want) break;
    await post(id, 'action=remove');
    for (const p of partnerId ? [partnerId] : PARTNER_IDS) {
      if ((await post(id, `action=add&partnerId=${p}&confirm=1`)).status === 200 && (await post(id, 'action=remove')).status === 200) {
        ids.push(id);
        partnerId = p;
        break;
      }
    }
  }
  return { ids, partnerId };
}

/** Signs in, finds the deep page by following "next" links, and lists the key pages. */
export async function targets(port: number, url: string, small: boolean): Promise<Target[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const contoso = await signIn(agent, port, 'admin@contoso.example');
  const northwind = await signIn(agent, port, 'partner@northwind.example');
  const db = postgres(url, { max: 1, onnotice: () => {} });
  // A subscription from the middle of Contoso's list (an old one: nothing cached about it).
  const [mid] = await db`select s.id from subscriptions s join users u on u.org_id = s.org_id where u.email = 'admin@contoso.example'
    order by s.created_at desc, s.id desc offset (select count(*) / 2 from subscriptions s join users u on u.org_id = s.org_id where u.email = 'admin@contoso.example') limit 1`;
  await db.end();

  let deep = '';
  let link = nextLink(text(await request(agent, port, '/subscriptions', { headers: { ...browserHeaders, cookie: contoso.cookie } })));
  let hops = 0;
  while (link && hops < DEEP_PAGES) {
    const page = await request(agent, port, link, { headers: { ...browserHeaders, cookie: contoso.cookie } });
    if (page.status !== 200) break;
    deep = link;
    hops++;
    link = nextLink(text(page));
  }
  // Four times wrk's 50 connections: two requests for one subscription are never in flight at once, or
  // its removal could overtake its addition and be refused (nothing to remove).
  const { ids, partnerId } = await toggleable(agent, port, url, contoso, small ? 20 : 200);
  agent.destroy();
  const c = contoso.cookie;
  return [
    { name: '/subscriptions', path: '/subscriptions', cookie: c },
    {
      name: `/subscriptions (page ${hops ? hops + 1 : DEEP_PAGES + 1})`,
      path: deep,
      cookie: c,
      note: hops ? `${hops} next-page clicks` : 'no next page: small data',
    },
    { name: '/subscriptions/:id', path: mid ? `/subscriptions/${mid.id}` : '', cookie: c },
    { name: '/partners', path: '/partners', cookie: c },
    { name: '/settings/partner-relationships', path: '/settings/partner-relationships', cookie: c },
    { name: '/activity', path: '/activity', cookie: c, twin: true },
    { name: '/portal', path: '/portal', cookie: northwind.cookie, note: 'as partner@northwind.example', twin: true },
    {
      name: 'POST partner fragment (htmx)',
      path: ids.length ? `/subscriptions/${ids[0]}/partner` : '',
      cookie: c,
      toggle: { ids, csrf: contoso.csrf, partnerId },
      twin: true,
      note: `add/remove Partner ID ${partnerId} on ${ids.length} subscriptions`,
    },
  ];
}
