import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../context.ts';
import { partnerStaff, requireRole } from '../authorization/require-role.ts';
import { now } from '../http/respond.ts';
import { badRequest, parsedQuery } from '../http/validate.ts';
import { removeRelationshipRoutes } from '../relationships/remove.routes.tsx';
import { fragment, respond } from '../ui/fragment.tsx';
import { decodeCursor, UUID } from '../http/cursor.ts';
import { onBehalfScope } from '../authorization/admin-side.ts';
import { userAdminRoutes } from '../users/users.routes.tsx';
import { customersOf, customersPage, customersRead } from './portal.queries.ts';
import { pageRead } from '../auth/session-read.ts';
import { CustomersPage, CustomersSection } from './portal.views.tsx';

const staff = requireRole(...partnerStaff);
const listQuery = z.object({ q: z.string().trim().max(120).default(''), after: z.string().max(400).optional() });

async function listSection(c: Context<AppEnv>, extra: { notice?: string; error?: string } = {}, status: 200 | 403 | 409 = 200) {
  const auth = c.get('auth')!;
  const at = now(c);
  const page = await customersPage(c.get('deps').db, auth.org.id, at, { q: '', after: null });
  return fragment(c, <CustomersSection {...page} q="" paged={false} role={auth.user.role} now={at} {...extra} />, status);
}

export const portalRoutes = new Hono<AppEnv>()
  .get(
    '/portal',
    staff,
    pageRead(
      (c) => {
        const input = parsedQuery(c, listQuery);
        if (!input) return null;
        const { q, after: raw } = input;
        const cursor = decodeCursor(raw);
        // A cursor we did not make starts the list again.
        const after = cursor && cursor.key !== null ? { name: cursor.key, id: cursor.id } : null;
        const at = now(c);
        return { ...customersRead(at, { q, after }), q, after, at };
      },
      (c, read, { q, after, at }) => {
        const props = { ...customersOf(read), q, paged: !!after, role: c.get('auth')!.user.role, now: at };
        return respond(c, { part: <CustomersSection {...props} />, page: <CustomersPage {...props} />, title: c.get('i18n').t('portal.title') });
      },
      badRequest,
    ),
  )
  .route(
    '/',
    removeRelationshipRoutes({
      by: 'partner',
      base: '/portal/relationships',
      back: '/portal',
      section: 'customers',
      title: 'portal.title',
      guard: staff,
      list: listSection,
      refused: ({ t }) => ({ message: t('rel.why.customerOnly'), body: 'rel.why.customerOnly' }),
    }),
  )
  .route(
    '/',
    userAdminRoutes({
      list: `/portal/customers/:id{${UUID}}`,
      users: `/portal/customers/:id{${UUID}}/users`,
      guard: staff,
      scope: onBehalfScope,
      links: (c) => ({ list: `/portal/customers/${c.req.param('id')}`, users: `/portal/customers/${c.req.param('id')}/users` }),
    }),
  );
