/**
 * A relationship's page (Settings → Partner relationships → Show ended → Details) and the actions on what
 * its delegated-admin partner left behind: disable one account, remove one role, or do all (issue 23).
 * Each action is one statement with its audit rows; JavaScript off, a redirect with a notice; htmx, the
 * section swapped in place.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../context.ts';
import { UUID } from '../http/cursor.ts';
import { errorPage, notFound } from '../http/middleware.tsx';
import { customerAdmin, requireRole } from '../authorization/require-role.ts';
import { isPartial, now, redirectWithFlash } from '../http/respond.ts';
import { fragment } from '../ui/fragment.tsx';
import { cleanUp, leftBehind, type CleanUp } from './left-behind.queries.ts';
import { LeftBehindSection, RelationshipPageView, relationshipHref, RELATIONSHIP_PAGE } from './left-behind.views.tsx';

const REL = `${RELATIONSHIP_PAGE}/:id{${UUID}}`;

async function act(c: Context<AppEnv>, what: CleanUp) {
  const auth = c.get('auth')!;
  const db = c.get('deps').db;
  const at = now(c);
  const id = c.req.param('id')!;
  const result = await cleanUp(db, { orgId: auth.org.id, id, what, actor: { id: auth.user.id, name: auth.user.name }, now: at });
  if (!result.known) return notFound(c);
  if (!result.found) return errorPage(c, 409, 'rel.error.notAllowed.title', 'rel.left.stillActive');
  const flash = result.changed > 0 ? 'rel.left.done' : 'rel.left.nothing';
  if (!isPartial(c)) return redirectWithFlash(c, relationshipHref(id), flash);
  const lb = await leftBehind(db, auth.org.id, id, at);
  if (!lb) return notFound(c);
  return fragment(c, <LeftBehindSection lb={lb} role={auth.user.role} notice={c.get('i18n').t(flash)} />);
}

const globalAdmin = requireRole('global_admin');

export const leftBehindRoutes = new Hono<AppEnv>()
  .get(REL, requireRole(...customerAdmin), async (c) => {
    const auth = c.get('auth')!;
    const lb = await leftBehind(c.get('deps').db, auth.org.id, c.req.param('id'), now(c));
    if (!lb) return notFound(c);
    const { t } = c.get('i18n');
    return c.render(<RelationshipPageView lb={lb} role={auth.user.role} />, { title: t('rel.left.title', { partner: lb.partnerName }) });
  })
  .post(`${REL}/left-behind/accounts/:userId{${UUID}}/disable`, globalAdmin, (c) => act(c, { kind: 'account', userId: c.req.param('userId') }))
  .post(`${REL}/left-behind/grants/:grantId{${UUID}}/remove`, globalAdmin, (c) => act(c, { kind: 'grant', grantId: c.req.param('grantId') }))
  .post(`${REL}/left-behind/all`, globalAdmin, (c) => act(c, { kind: 'all' }));
