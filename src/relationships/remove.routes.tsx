/**
 * Ending a relationship, one handler for both sides: the customer's Settings → Partner relationships
 * and the partner portal mount it with their own paths, guard, list and refusal wording. Confirm page
 * (or the inline confirm for htmx), then one statement that ends it with its audit rows and mails.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.ts';
import { UUID } from '../http/cursor.ts';
import { errorPage, notFound } from '../http/middleware.tsx';
import { isPartial, now, redirectWithFlash } from '../http/respond.ts';
import type { I18n, MessageKey } from '../i18n/index.ts';
import { respond } from '../ui/fragment.tsx';
import { endRelationship, findRelationship, type RelationshipWithNames } from './relationships.queries.ts';
import { typesEndableBy, whyNotEndable } from './relationships.rules.ts';
import { ConfirmPage, endMail, RemoveConfirm } from './remove.views.tsx';

type Auth = NonNullable<AppEnv['Variables']['auth']>;

export interface RemoveSide {
  by: 'customer' | 'partner';
  /** `${base}/:id/remove` is the confirm page (GET) and the action (POST). */
  base: string;
  /** The list the side comes from and returns to. */
  back: string;
  section: string;
  title: MessageKey;
  guard: MiddlewareHandler<AppEnv>;
  /** The list section with a notice or error, for htmx. */
  list: (c: Context<AppEnv>, extra: { notice?: string; error?: string }, status?: 200 | 403 | 409) => Promise<Response>;
  /** Why this person may not end it: the message for the list, the body of the 403 page. */
  refused: (i: I18n, r: RelationshipWithNames, auth: Auth) => { message: string; body: MessageKey };
}

export function removeRelationshipRoutes(side: RemoveSide) {
  const path = `${side.base}/:id{${UUID}}/remove`;
  const scope = (auth: Auth) => (side.by === 'customer' ? { orgId: auth.org.id } : { partnerOrgId: auth.org.id });
  // The reseller rule binds the customer only.
  const why = (auth: Auth, r: RelationshipWithNames) => whyNotEndable(auth.user.role, r.type, side.by === 'customer' && r.heldByReseller);
  return new Hono<AppEnv>()
    .get(path, side.guard, async (c) => {
      const auth = c.get('auth')!;
      const r = await findRelationship(c.get('deps').db, scope(auth), c.req.param('id')!, now(c));
      if (!r) return notFound(c);
      if (r.status !== 'active' || why(auth, r)) return c.redirect(side.back, 303);
      const props = { r, action: `${side.base}/${r.id}/remove`, cancel: side.back, section: side.section };
      return respond(c, { part: <RemoveConfirm {...props} />, page: <ConfirmPage {...props} />, title: c.get('i18n').t(side.title) });
    })
    .post(path, side.guard, async (c) => {
      const auth = c.get('auth')!;
      const i = c.get('i18n');
      const result = await endRelationship(c.get('deps').db, {
        side: scope(auth),
        id: c.req.param('id')!,
        allowedTypes: typesEndableBy(auth.user.role),
        // The person only: the activity log names the partner (partner_org_id) in the reader's language.
        actor: { id: auth.user.id, name: auth.user.name },
        by: side.by,
        now: now(c),
        mail: endMail(),
      });
      if (result.outcome === 'notFound') return notFound(c);
      if (result.outcome === 'notAllowed') {
        const { message, body } = side.refused(i, result.relationship, auth);
        if (isPartial(c)) return side.list(c, { error: message }, 403);
        return errorPage(c, 403, 'rel.error.notAllowed.title', body);
      }
      if (result.outcome === 'notActive') {
        if (isPartial(c)) return side.list(c, { error: i.t('rel.error.notActive') }, 409);
        return redirectWithFlash(c, side.back, 'rel.error.notActive');
      }
      if (isPartial(c)) return side.list(c, { notice: i.t('rel.ended') });
      return redirectWithFlash(c, side.back, 'rel.ended');
    });
}
