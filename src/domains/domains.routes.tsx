import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { isUniqueViolation } from '../auth/auth.queries.ts';
import type { AppEnv } from '../context.ts';
import { UUID } from '../http/cursor.ts';
import { notFound } from '../http/middleware.tsx';
import { partnerStaff, requireRole } from '../authorization/require-role.ts';
import { isPartial, now, redirectWithFlash } from '../http/respond.ts';
import { form } from '../http/validate.ts';
import { fragment } from '../ui/fragment.tsx';
import { onBehalfScope, ownScope, type AdminSide } from '../authorization/admin-side.ts';
import { lookupTxt } from './dns.ts';
import { retryAfter } from '../auth/rate-limit.ts';
import { addDomain, domainsPage, findDomainToVerify, markVerified, removeDomain, setDefault } from './domains.queries.ts';
import { checkTxt, parseDomainName, whyNotRemovable } from './domains.rules.ts';
import { DomainItem, DomainsPage, problemKey, type RowState } from './domains.views.tsx';

/** Domain verification asks DNS: at most this many tries per organization per window (issue 23), its admins and partner together. */
export const VERIFY_LIMIT = 10;
export const VERIFY_WINDOW = 15 * 60;

/** Settings → Domains, once, for whoever acts: the organization's admins at `/domains`, its partner under `/portal/customers/:id/domains`. */
export function domainRoutes(opts: AdminSide & { base: string; link: (c: Context<AppEnv>) => string }) {
  const one = `${opts.base}/:domainId{${UUID}}`;
  const ctx = (c: Context<AppEnv>) => ({ db: c.get('deps').db, scope: opts.scope(c), base: opts.link(c), at: now(c), t: c.get('i18n').t });

  /** The whole page again, for a refusal without JavaScript: with the typed name or one row's message. */
  async function page(c: Context<AppEnv>, status: 200 | 409 | 422 | 429, extra: { value?: string; error?: string; rows?: Record<string, RowState> } = {}) {
    const { db, scope, base, at, t } = ctx(c);
    const data = await domainsPage(db, scope, at);
    if (!data) return notFound(c);
    c.status(status);
    return c.render(<DomainsPage {...data} partner={scope.partner?.name ?? null} base={base} {...extra} />, { title: t('domains.title') });
  }

  /** A row's answer: the row itself for htmx, else the page. */
  async function rowAnswer(c: Context<AppEnv>, d: Parameters<typeof DomainItem>[0]['d'], state: RowState, status: 200 | 409 | 422 | 429) {
    if (isPartial(c)) return fragment(c, <DomainItem d={d} base={ctx(c).base} state={state} />, status);
    return page(c, status, { rows: { [d.id]: state } });
  }

  return new Hono<AppEnv>()
    .get(opts.base, opts.guard, (c) => page(c, 200))
    .post(opts.base, opts.guard, form(z.object({ name: z.string().max(1000).default('') })), async (c) => {
      const { db, scope, base, at, t } = ctx(c);
      const typed = c.req.valid('form').name;
      const parsed = parseDomainName(typed, c.get('deps').env.DOMAIN_SUFFIX);
      if (!parsed.ok) return page(c, 422, { value: typed, error: t(problemKey(parsed.problem)) });
      const outcome = await addDomain(db, scope, at, parsed.ascii, randomBytes(16).toString('hex'));
      if (outcome === 'noAccess') return notFound(c);
      if (outcome === 'added') return redirectWithFlash(c, base, 'domains.added');
      return page(c, 422, { value: typed, error: t(problemKey(outcome)) });
    })
    .post(`${one}/verify`, opts.guard, async (c) => {
      const { db, scope, base, at, t } = ctx(c);
      const key = `domains.verify:${scope.orgId}`;
      const found = await findDomainToVerify(db, scope, at, c.req.param('domainId')!, { key, windowSeconds: VERIFY_WINDOW });
      if (!found?.domain) return notFound(c);
      const d = found.domain;
      if (d.verified) return rowAnswer(c, d, { notice: t('domains.verifiedNow') }, 200);
      const wait = retryAfter(found.counters ?? [], { [key]: VERIFY_LIMIT }, VERIFY_WINDOW, at);
      if (wait > 0) {
        c.header('retry-after', String(wait));
        return rowAnswer(c, d, { error: t('domains.error.tooMany', { limit: VERIFY_LIMIT, minutes: Math.ceil(wait / 60) }) }, 429);
      }
      const answer = await lookupTxt(d.name, c.get('deps').env.DNS_SERVERS);
      if (!answer.ok) return rowAnswer(c, d, { error: t('domains.error.dns') }, 409);
      const check = checkTxt(answer.records, d.txtToken);
      if (!check.verified) {
        const error = check.found.length ? t('domains.error.foundOther', { found: check.found.join(' | ') }) : t('domains.error.noTxt');
        return rowAnswer(c, d, { error }, 409);
      }
      try {
        const verified = await markVerified(db, scope, at, d.id);
        if (!verified) return notFound(c);
        if (!isPartial(c)) return redirectWithFlash(c, base, 'domains.verifiedNow');
        return fragment(c, <DomainItem d={verified} base={base} state={{ notice: t('domains.verifiedNow') }} />);
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
        return rowAnswer(c, d, { error: t('domains.error.taken') }, 409);
      }
    })
    .post(`${one}/default`, opts.guard, async (c) => {
      const { db, scope, base, at } = ctx(c);
      const outcome = await setDefault(db, scope, at, c.req.param('domainId')!);
      if (outcome === 'noAccess' || outcome === 'notFound') return notFound(c);
      return redirectWithFlash(c, base, outcome === 'done' ? 'domains.defaultSet' : 'domains.error.notVerified');
    })
    .post(`${one}/remove`, opts.guard, async (c) => {
      const { db, scope, base, at, t } = ctx(c);
      const result = await removeDomain(db, scope, at, c.req.param('domainId')!);
      if (!result?.domain) return notFound(c);
      if (result.removed) return isPartial(c) ? c.body(null, 200) : redirectWithFlash(c, base, 'domains.removed');
      const why = whyNotRemovable(result.domain, result.usersUsing) ?? 'default';
      return rowAnswer(c, result.domain, { error: t(problemKey(why), { users: result.usersUsing.join(', ') }) }, 409);
    });
}

/** The organization's own admins holding "Domains" (every global admin does). */
export const domainsRoutes = domainRoutes({
  base: '/domains',
  guard: requireRole('domains'),
  scope: ownScope,
  link: () => '/domains',
});

/** A delegated-admin partner whose relationship holds "Domains". */
export const partnerDomainsRoutes = domainRoutes({
  base: `/portal/customers/:id{${UUID}}/domains`,
  guard: requireRole(...partnerStaff),
  scope: onBehalfScope,
  link: (c) => `/portal/customers/${c.req.param('id')}/domains`,
});
