import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context.ts';
import { errorPage, partnerStaff, requireRole } from '../http/middleware.tsx';
import { isPartial, now, redirectWithFlash } from '../http/respond.ts';
import { query } from '../http/validate.ts';
import { endRelationship, findRelationship } from '../relationships/relationships.queries.ts';
import { typesEndableBy, whyNotEndable } from '../relationships/relationships.rules.ts';
import { ConfirmPage, endMail, RemoveConfirm } from '../relationships/relationships.views.tsx';
import { fragment } from '../ui/fragment.tsx';
import { decodeCursor, UUID } from '../http/cursor.ts';
import { userAdminRoutes } from '../users/users.routes.tsx';
import { customersPage } from './portal.queries.ts';
import { CustomersPage, CustomersSection } from './portal.views.tsx';

const staff = requireRole(...partnerStaff);
const listQuery = z.object({ q: z.string().trim().max(120).default(''), after: z.string().max(400).optional() });


async function listSection(c: Context<AppEnv>, extra: { notice?: string; error?: string }, status: 200 | 403 | 409 = 200) {
  const auth = c.get('auth')!;
  const at = now(c);
  const page = await customersPage(c.get('deps').db, auth.org.id, at, { q: '', after: null });
  return fragment(c, <CustomersSection {...page} q="" paged={false} role={auth.user.role} now={at} {...extra} />, status);
}

const REMOVE = `/portal/relationships/:id{${UUID}}/remove`;

export const portalRoutes = new Hono<AppEnv>()
  .get('/portal', staff, query(listQuery), async (c) => {
    const auth = c.get('auth')!;
    const { q, after: raw } = c.req.valid('query');
    const cursor = decodeCursor(raw);
    // A cursor we did not make starts the list again.
    const after = cursor && cursor.key !== null ? { name: cursor.key, id: cursor.id } : null;
    const at = now(c);
    const page = await customersPage(c.get('deps').db, auth.org.id, at, { q, after });
    const props = { ...page, q, paged: !!after, role: auth.user.role, now: at };
    if (isPartial(c)) return fragment(c, <CustomersSection {...props} />);
    return c.render(<CustomersPage {...props} />, { title: c.get('i18n').t('portal.title') });
  })
  .get(REMOVE, staff, async (c) => {
    const auth = c.get('auth')!;
    const r = await findRelationship(c.get('deps').db, { partnerOrgId: auth.org.id }, c.req.param('id'), now(c));
    if (!r) return errorPage(c, 404, 'error.notFound.title', 'error.notFound.body');
    if (r.status !== 'active' || whyNotEndable(auth.user.role, r.type)) return c.redirect('/portal', 303);
    const props = { r, action: `/portal/relationships/${r.id}/remove`, cancel: '/portal', section: 'customers' };
    if (isPartial(c)) return fragment(c, <RemoveConfirm {...props} />);
    return c.render(<ConfirmPage {...props} />, { title: c.get('i18n').t('portal.title') });
  })
  .post(REMOVE, staff, async (c) => {
    const auth = c.get('auth')!;
    const { t } = c.get('i18n');
    const result = await endRelationship(c.get('deps').db, {
      side: { partnerOrgId: auth.org.id },
      id: c.req.param('id'),
      allowedTypes: typesEndableBy(auth.user.role),
      // The person only: the activity log names the partner (partner_org_id) in the reader's language.
      actor: { id: auth.user.id, name: auth.user.name },
      by: 'partner',
      now: now(c),
      mail: endMail(),
    });
    if (result.outcome === 'notFound') return errorPage(c, 404, 'error.notFound.title', 'error.notFound.body');
    if (result.outcome === 'notAllowed') {
      if (isPartial(c)) return listSection(c, { error: t('rel.why.customerOnly') }, 403);
      return errorPage(c, 403, 'rel.error.notAllowed.title', 'rel.why.customerOnly');
    }
    if (result.outcome === 'notActive') {
      if (isPartial(c)) return listSection(c, { error: t('rel.error.notActive') }, 409);
      return redirectWithFlash(c, '/portal', 'rel.error.notActive');
    }
    if (isPartial(c)) return listSection(c, { notice: t('rel.ended') });
    return redirectWithFlash(c, '/portal', 'rel.ended');
  })
  .route(
    '/',
    userAdminRoutes({
      list: `/portal/customers/:id{${UUID}}`,
      users: `/portal/customers/:id{${UUID}}/users`,
      guard: staff,
      scope: (c) => {
        const auth = c.get('auth')!;
        return { orgId: c.req.param('id')!, partner: { orgId: auth.org.id, name: auth.org.name }, actor: { id: auth.user.id, name: auth.user.name }, ownPermissions: [] };
      },
      links: (c) => ({ list: `/portal/customers/${c.req.param('id')}`, users: `/portal/customers/${c.req.param('id')}/users` }),
    }),
  );
