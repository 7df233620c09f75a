import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { csvResponse } from '../activity/csv.ts';
import type { AppEnv } from '../context.ts';
import { customerAdmin, errorPage, requireRole } from '../http/middleware.tsx';
import { decodeCursor } from '../http/cursor.ts';
import { isPartial, now, redirectWithFlash } from '../http/respond.ts';
import { query } from '../http/validate.ts';
import type { MessageKey } from '../i18n/index.ts';
import { fragment } from '../ui/fragment.tsx';
import { endedRelationships, endRelationship, findRelationship, listPartnersOfCustomer, relationshipsBatch, type RelationshipCsvRow } from './relationships.queries.ts';
import { typesEndableBy, whyNotEndable } from './relationships.rules.ts';
import { ConfirmPage, EndedPageView, endMail, RelationshipsPage, RelationshipsSection, RemoveConfirm, typeLabel } from './relationships.views.tsx';

const PAGE = '/settings/partner-relationships';
const ID = ':id{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}';

async function renderList(c: Context<AppEnv>, extra: { notice?: string; error?: string } = {}, status: 200 | 403 | 409 = 200) {
  const auth = c.get('auth')!;
  const at = now(c);
  const page = await listPartnersOfCustomer(c.get('deps').db, auth.org.id, at);
  return fragment(c, <RelationshipsSection {...page} role={auth.user.role} now={at} {...extra} />, status);
}

const notFound = (c: Context<AppEnv>) => errorPage(c, 404, 'error.notFound.title', 'error.notFound.body');
const pageQuery = query(z.object({ after: z.string().max(400).optional() }));

export const relationshipRoutes = new Hono<AppEnv>()
  .get(PAGE, requireRole(...customerAdmin), pageQuery, async (c) => {
    const auth = c.get('auth')!;
    const at = now(c);
    const after = decodeCursor(c.req.valid('query').after);
    if (after === undefined) return c.redirect(PAGE, 303);
    const page = await listPartnersOfCustomer(c.get('deps').db, auth.org.id, at, after);
    return c.render(<RelationshipsPage {...page} first={after === null} role={auth.user.role} now={at} />, { title: c.get('i18n').t('rel.title') });
  })
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
    const header = ['rel.col.partner', 'rel.col.partnerId', 'rel.col.type', 'rel.col.roles', 'rel.col.status', 'rel.col.started', 'rel.col.ends', 'rel.col.ended'].map((k) => t(k as MessageKey));
    return csvResponse<RelationshipCsvRow>(
      'partner-relationships.csv',
      header,
      (after) => relationshipsBatch(db, auth.org.id, at, after, 500),
      (r) => [r.partnerName, r.partnerId, typeLabel(t, r.type), r.roles.map((x) => t(`rel.role.${x}` as MessageKey)).join('; '), t(`rel.status.${r.status}` as MessageKey), r.startedAt, r.endsAt, r.endedAt],
      500,
    );
  })
  .get(`${PAGE}/${ID}/remove`, requireRole(...customerAdmin), async (c) => {
    const auth = c.get('auth')!;
    const r = await findRelationship(c.get('deps').db, { orgId: auth.org.id }, c.req.param('id'), now(c));
    if (!r) return errorPage(c, 404, 'error.notFound.title', 'error.notFound.body');
    if (r.status !== 'active' || whyNotEndable(auth.user.role, r.type, r.heldByReseller)) return c.redirect(PAGE, 303);
    const props = { r, action: `${PAGE}/${r.id}/remove`, cancel: PAGE, section: 'partner-relationships' };
    if (isPartial(c)) return fragment(c, <RemoveConfirm {...props} />);
    return c.render(<ConfirmPage {...props} />, { title: c.get('i18n').t('rel.title') });
  })
  .post(`${PAGE}/${ID}/remove`, requireRole(...customerAdmin), async (c) => {
    const auth = c.get('auth')!;
    const { t } = c.get('i18n');
    const result = await endRelationship(c.get('deps').db, {
      side: { orgId: auth.org.id },
      id: c.req.param('id'),
      allowedTypes: typesEndableBy(auth.user.role),
      actor: { id: auth.user.id, name: auth.user.name },
      by: 'customer',
      now: now(c),
      mail: endMail(),
    });
    if (result.outcome === 'notFound') return errorPage(c, 404, 'error.notFound.title', 'error.notFound.body');
    if (result.outcome === 'notAllowed') {
      const why = whyNotEndable(auth.user.role, result.relationship.type, result.relationship.heldByReseller)!;
      const message = t(`rel.why.${why}`, { partner: result.relationship.partnerName });
      if (isPartial(c)) return renderList(c, { error: message }, 403);
      return errorPage(c, 403, 'rel.error.notAllowed.title', why === 'resellerOnly' ? 'rel.error.resellerOnly.body' : 'error.forbidden.body');
    }
    if (result.outcome === 'notActive') {
      if (isPartial(c)) return renderList(c, { error: t('rel.error.notActive') }, 409);
      return redirectWithFlash(c, PAGE, 'rel.error.notActive');
    }
    if (isPartial(c)) return renderList(c, { notice: t('rel.ended') });
    return redirectWithFlash(c, PAGE, 'rel.ended');
  });
