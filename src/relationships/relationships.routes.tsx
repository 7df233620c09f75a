import { Hono, type Context } from 'hono';
import { csvResponse } from '../activity/csv.ts';
import type { AppEnv } from '../context.ts';
import { customerAdmin, errorPage, requireRole } from '../http/middleware.tsx';
import { isPartial, now, redirectWithFlash } from '../http/respond.ts';
import type { MessageKey } from '../i18n/index.ts';
import { fragment } from '../ui/fragment.tsx';
import { endRelationship, findRelationship, listPartnersOfCustomer, relationshipsBatch, type RelationshipCsvRow } from './relationships.queries.ts';
import { typesEndableBy, whyNotEndable } from './relationships.rules.ts';
import { ConfirmPage, endMail, RelationshipsPage, RelationshipsSection, RemoveConfirm, typeLabel } from './relationships.views.tsx';

const PAGE = '/settings/partner-relationships';
const ID = ':id{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}';

async function renderList(c: Context<AppEnv>, extra: { notice?: string; error?: string } = {}, status: 200 | 403 | 409 = 200) {
  const auth = c.get('auth')!;
  const at = now(c);
  const partners = await listPartnersOfCustomer(c.get('deps').db, auth.org.id, at);
  return fragment(c, <RelationshipsSection partners={partners} role={auth.user.role} now={at} {...extra} />, status);
}

export const relationshipRoutes = new Hono<AppEnv>()
  .get(PAGE, requireRole(...customerAdmin), async (c) => {
    const auth = c.get('auth')!;
    const at = now(c);
    const partners = await listPartnersOfCustomer(c.get('deps').db, auth.org.id, at);
    return c.render(<RelationshipsPage partners={partners} role={auth.user.role} now={at} />, { title: c.get('i18n').t('rel.title') });
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
