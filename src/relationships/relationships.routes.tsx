import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { csvResponse, isoUtc, utcHeader } from '../activity/csv.ts';
import type { AppEnv } from '../context.ts';
import { notFound } from '../http/middleware.tsx';
import { customerAdmin, requireRole } from '../authorization/require-role.ts';
import { decodeCursor } from '../http/cursor.ts';
import { now } from '../http/respond.ts';
import { badRequest, parsedQuery, query } from '../http/validate.ts';
import type { MessageKey } from '../i18n/index.ts';
import { fragment } from '../ui/fragment.tsx';
import {
  endedRelationships,
  listPartnersOfCustomer,
  partnersOfCustomerRead,
  partnersPageOf,
  relationshipsBatch,
  type RelationshipCsvRow,
} from './relationships.queries.ts';
import { pageRead } from '../auth/session-read.ts';
import { whyNotEndable } from './relationships.rules.ts';
import { removeRelationshipRoutes } from './remove.routes.tsx';
import { leftBehindRoutes } from './left-behind.routes.tsx';
import { EndedPageView, RelationshipsPage, RelationshipsSection } from './relationships.views.tsx';
import { typeLabel } from './row.views.tsx';
import { UUID } from '../http/cursor.ts';

const PAGE = '/settings/partner-relationships';
const ID = `:id{${UUID}}`;

async function renderList(c: Context<AppEnv>, extra: { notice?: string; error?: string } = {}, status: 200 | 403 | 409 = 200) {
  const auth = c.get('auth')!;
  const at = now(c);
  const page = await listPartnersOfCustomer(c.get('deps').db, auth.org.id, at);
  return fragment(c, <RelationshipsSection {...page} role={auth.user.role} now={at} {...extra} />, status);
}

const afterQuery = z.object({ after: z.string().max(400).optional() });
const pageQuery = query(afterQuery);

export const relationshipRoutes = new Hono<AppEnv>()
  .get(
    PAGE,
    requireRole(...customerAdmin),
    pageRead(
      (c) => {
        // A query no link sends (400) reads nothing.
        const input = parsedQuery(c, afterQuery);
        if (!input) return null;
        const after = decodeCursor(input.after);
        const at = now(c);
        // A cursor we did not make: no read, the list starts again.
        return after === undefined ? null : { ...partnersOfCustomerRead(at, after), after, at };
      },
      (c, read, { after, at }) => {
        const page = partnersPageOf(read);
        return c.render(<RelationshipsPage {...page} first={after === null} role={c.get('auth')!.user.role} now={at} />, {
          title: c.get('i18n').t('rel.title'),
        });
      },
      // The query is parsed once, by the plan; only a refused request parses it again, to say why.
      (c) => (parsedQuery(c, afterQuery) ? c.redirect(PAGE, 303) : badRequest(c)),
    ),
  )
  .get(`${PAGE}/partners/${ID}/ended`, requireRole(...customerAdmin), pageQuery, async (c) => {
    const auth = c.get('auth')!;
    const after = decodeCursor(c.req.valid('query').after);
    if (after === undefined) return c.redirect(c.req.path, 303);
    const page = await endedRelationships(c.get('deps').db, auth.org.id, c.req.param('id'), now(c), after);
    if (!page) return notFound(c);
    return c.render(<EndedPageView page={page} first={after === null} />, { title: c.get('i18n').t('rel.ended.title', { partner: page.partner.name }) });
  })
  .get(`${PAGE}.csv`, requireRole(...customerAdmin), (c) => {
    const auth = c.get('auth')!;
    const { t } = c.get('i18n');
    const db = c.get('deps').db;
    const at = now(c);
    const header = ['rel.col.partner', 'rel.col.partnerId', 'rel.col.type', 'rel.col.roles', 'rel.col.status']
      .map((k) => t(k as MessageKey))
      .concat((['rel.col.started', 'rel.col.ends', 'rel.col.ended'] as const).map((k) => utcHeader(t(k))));
    return csvResponse<RelationshipCsvRow>(
      'partner-relationships.csv',
      header,
      (after) => relationshipsBatch(db, auth.org.id, at, after, 500),
      (r) => [
        r.partnerName,
        r.partnerId,
        typeLabel(t, r.type),
        [
          ...r.roles.map((x) => t(`rel.role.${x}` as MessageKey)),
          // Eligible roles (issue 24): "Passwords (eligible, up to 2 h)".
          ...Object.entries(r.eligible ?? {}).map(([x, hours]) => t('elev.eligibleUpTo', { role: t(`rel.role.${x}` as MessageKey), hours })),
        ].join('; '),
        t(`rel.status.${r.status}` as MessageKey),
        isoUtc(r.startedAt),
        isoUtc(r.endsAt),
        isoUtc(r.endedAt),
      ],
      500,
    );
  })
  .route('/', leftBehindRoutes)
  .route(
    '/',
    removeRelationshipRoutes({
      by: 'customer',
      base: PAGE,
      back: PAGE,
      section: 'partner-relationships',
      title: 'rel.title',
      guard: requireRole(...customerAdmin),
      list: renderList,
      refused: ({ t }, r, auth) => {
        const why = whyNotEndable(auth.user.role, r.type, r.heldByReseller)!;
        return {
          message: t(`rel.why.${why}`, { partner: r.partnerName }),
          body: why === 'resellerOnly' ? 'rel.error.resellerOnly.body' : 'error.forbidden.body',
        };
      },
    }),
  );
