/** Partner portal → Authorization links: list, create (shown once to copy, e-mailed) and revoke. */
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { generateToken, hashToken } from '../auth/session.ts';
import type { AppEnv } from '../context.ts';
import { notFound } from '../http/middleware.tsx';
import { partnerStaff, requireRole } from '../authorization/require-role.ts';
import { isPartial, now, redirectWithFlash, secureCookies } from '../http/respond.ts';
import { form, query } from '../http/validate.ts';
import { fragment, respond } from '../ui/fragment.tsx';
import type { FieldErrors } from '../ui/form.tsx';
import { createLink, linksPage, revokeLink } from './invitations.queries.ts';
import { checkNewLink, createLinkForm, type CreateLinkInput } from './invitations.rules.ts';
import { LinkItem, LinksSection, defaultMailLocale, emptyLinkForm, type LinksView } from './links.views.tsx';
import { invitationMail } from './mails.ts';
import { isLocale } from '../i18n/locales.ts';
import { COPY_SCRIPT, COPY_SCRIPT_VERSION } from '../ui/copy.ts';
import { DAY } from '../time.ts';
import { decodeCursor, isUuid } from '../http/cursor.ts';

/** Carries a new link's token across the redirect after POST, so the list page can show it once. */
const NEW_LINK_COOKIE = 'pd_new_link';

export function authorizationUrl(c: Context<AppEnv>, token: string): string {
  return `${c.get('deps').env.PUBLIC_URL}/authorize/${token}`;
}

function render(c: Context<AppEnv>, view: LinksView, status: 200 | 422 = 200) {
  return respond(c, { part: <LinksSection {...view} />, title: c.get('i18n').t('links.title'), status });
}

export const linksRoutes = new Hono<AppEnv>()
  .get('/portal/links/copy.js', (c) => {
    c.header('content-type', 'text/javascript; charset=utf-8');
    c.header('cache-control', c.req.query('v') === COPY_SCRIPT_VERSION ? 'public, max-age=31536000, immutable' : 'no-cache');
    return c.body(COPY_SCRIPT);
  })
  .get('/portal/links', requireRole(...partnerStaff), query(z.object({ after: z.string().optional() })), async (c) => {
    const auth = c.get('auth')!;
    const page = await linksPage(c.get('deps').db, auth.org.id, decodeCursor(c.req.valid('query').after, 'timestamp') ?? null);
    const token = getCookie(c, NEW_LINK_COOKIE);
    if (token) deleteCookie(c, NEW_LINK_COOKIE, { path: '/portal/links' });
    const createdUrl = token && /^[a-z2-7]{32}$/.test(token) ? authorizationUrl(c, token) : null;
    return render(c, { ...page, values: emptyLinkForm, createdUrl, now: now(c) });
  })
  .post('/portal/links', requireRole(...partnerStaff), form(createLinkForm), async (c) => {
    const auth = c.get('auth')!;
    const { db } = c.get('deps');
    const i = c.get('i18n');
    const values: CreateLinkInput = c.req.valid('form');
    const at = now(c);
    const page = await linksPage(db, auth.org.id, null);
    const checked = checkNewLink(values, { capabilities: page.capabilities }, page.products);
    if (!checked.link) {
      const errors: FieldErrors = Object.fromEntries(Object.entries(checked.errors).map(([k, key]) => [k, i.t(key!)]));
      return render(c, { ...page, values, errors, now: at }, 422);
    }
    const link = checked.link;
    const token = generateToken();
    const expiresAt = new Date(at.getTime() + link.validDays * DAY);
    const product = page.products.find((p) => p.id === link.offerProductId);
    const created = await createLink(db, {
      partnerOrgId: auth.org.id,
      userId: auth.user.id,
      actorName: auth.user.name,
      tokenHash: hashToken(token),
      link,
      expiresAt,
      mail: invitationMail({
        to: link.email,
        fallback: isLocale(values.mailLocale) ? values.mailLocale : defaultMailLocale(c),
        partnerName: auth.org.name,
        offer: { ...link, productId: product?.id ?? null, productName: product?.name ?? null },
        terms: link.terms,
        url: authorizationUrl(c, token),
        expiresAt,
      }),
    });
    if (isPartial(c)) {
      return render(c, { ...page, links: [created, ...page.links], values: emptyLinkForm, createdUrl: authorizationUrl(c, token), now: at });
    }
    setCookie(c, NEW_LINK_COOKIE, token, { path: '/portal/links', httpOnly: true, sameSite: 'Lax', secure: secureCookies(c), maxAge: 300 });
    return redirectWithFlash(c, '/portal/links', 'links.created.flash');
  })
  .post('/portal/links/:id/revoke', requireRole(...partnerStaff), async (c) => {
    const auth = c.get('auth')!;
    const id = c.req.param('id');
    if (!isUuid(id)) return notFound(c);
    const result = await revokeLink(c.get('deps').db, auth.org.id, id, { userId: auth.user.id, name: `${auth.user.name} (${auth.org.name})` }, now(c));
    if (!result.found) return notFound(c);
    if (isPartial(c)) return fragment(c, <LinkItem link={result.link} now={now(c)} />, result.revoked ? 200 : 409);
    return redirectWithFlash(c, '/portal/links', result.revoked ? 'links.revoked.flash' : 'links.revoked.notOpen');
  });
