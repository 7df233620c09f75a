import { Hono, type Context } from 'hono';
import { decodeCursor } from '../http/cursor.ts';
import { z } from 'zod';
import { productName } from '../catalog/text.ts';
import type { AppEnv } from '../context.ts';
import { notFound } from '../http/middleware.tsx';
import { customerAdmin, requireRole } from '../authorization/require-role.ts';
import { isPartial, now, redirectWithFlash } from '../http/respond.ts';
import { badRequest, form, parsedQuery, query } from '../http/validate.ts';
import { parsePartnerId, type ChangeRefusal } from '../partner-of-record/partner-of-record.rules.ts';
import { changePartnerOfRecord, type ChangeResult, type LockedSubscription } from '../partner-of-record/partner-of-record.queries.ts';
import { PartnerPane, refusalMessage, type PaneState, type Refusal } from '../partner-of-record/partner-of-record.views.tsx';
import { changeAllPartnersOfRecord } from '../partner-of-record/change-all.queries.ts';
import { respond } from '../ui/fragment.tsx';
import { pageRead } from '../auth/session-read.ts';
import {
  detailsOf,
  findSubscription,
  findSubscriptionAndPartner,
  keyKinds,
  listPage,
  listRead,
  listSubscriptions,
  sortKeys,
  type SortDir,
  type SortKey,
  type SubscriptionDetails,
} from './subscriptions.queries.ts';
import { listUrl, paneSubject, SubscriptionList, SubscriptionPage, SubscriptionsPage, type BulkForm, type ListState } from './subscriptions.views.tsx';

const listQuery = z.object({ sort: z.string().optional(), dir: z.string().optional(), after: z.string().optional() });

function listState(q: { sort?: string; dir?: string; after?: string }): ListState {
  const sort = (sortKeys as readonly string[]).includes(q.sort ?? '') ? (q.sort as SortKey) : 'created';
  const dir: SortDir = q.dir === 'asc' || q.dir === 'desc' ? q.dir : sort === 'created' ? 'desc' : 'asc';
  // A cursor we did not make (or made for another sort) starts the list again.
  return { sort, dir, after: decodeCursor(q.after, keyKinds[sort]) ? q.after! : null };
}

const bulkForm = z.object({
  ids: z.union([z.string(), z.array(z.string())]).optional(),
  /** "Select all N subscriptions": the whole list, with the version of the list the admin saw. */
  all: z.literal('1').optional(),
  listVersion: z.string().max(40).optional(),
  /** `id:version` of each subscription the page showed: a selected one changed meanwhile is refused. */
  v: z.union([z.string(), z.array(z.string())]).optional(),
  partnerId: z.string().default(''),
  action: z.enum(['add', 'remove']),
  sort: z.string().optional(),
  dir: z.string().optional(),
  after: z.string().optional(),
});

function shownVersions(v: string | string[] | undefined, ids: string[]): Map<string, number> {
  const selected = new Set(ids);
  const pairs = [v ?? []].flat().map((x) => x.split(':'));
  return new Map(pairs.filter(([id, n]) => selected.has(id) && /^[0-9]{1,9}$/.test(n ?? '')).map(([id, n]) => [id, Number(n)]));
}

const partnerForm = z.object({
  partnerId: z.string().default(''),
  action: z.enum(['add', 'remove']),
  confirm: z.literal('1').optional(),
  version: z
    .string()
    .regex(/^[0-9]{1,9}$/)
    .optional(),
});

function describeRefusal(c: Context<AppEnv>, result: Extract<ChangeResult, { refusal: ChangeRefusal }>): string {
  const sub =
    'subscriptionId' in result.refusal ? result.subscriptions.find((s) => s.id === (result.refusal as { subscriptionId: string }).subscriptionId) : undefined;
  const partner = result.refusal.error === 'resellerHeld' ? sub?.partner?.name : result.partner?.name;
  return refusalMessage(c.get('i18n'), result.refusal, { partner, product: sub?.productName, productId: sub?.productId, country: result.country });
}

export const subscriptionRoutes = new Hono<AppEnv>()
  .use('/subscriptions', requireRole(...customerAdmin))
  .use('/subscriptions/*', requireRole(...customerAdmin))
  .get(
    '/subscriptions',
    pageRead(
      (c) => {
        const input = parsedQuery(c, listQuery);
        if (!input) return null;
        const state = listState(input);
        return { ...listRead({ ...state, cursor: decodeCursor(state.after ?? undefined, keyKinds[state.sort]) ?? null }), state };
      },
      (c, found, { state }) => {
        const { rows, next, summary } = listPage(found);
        return c.render(<SubscriptionsPage list={rows} next={next} summary={summary} state={state} form={{}} />, { title: c.get('i18n').t('subs.title') });
      },
      badRequest,
    ),
  )
  .post('/subscriptions/partner', form(bulkForm), async (c) => {
    const input = c.req.valid('form');
    const auth = c.get('auth')!;
    const { t } = c.get('i18n');
    const state = listState(input);
    const all = input.all === '1';
    const ids = all ? [] : [input.ids ?? []].flat();
    const typed: BulkForm = { partnerId: input.partnerId, ids, all };
    const show = async (status: 200 | 409 | 422, f: BulkForm) => {
      const { rows, next, summary } = await listSubscriptions(c.get('deps').db, auth.org.id, {
        ...state,
        cursor: decodeCursor(state.after ?? undefined, keyKinds[state.sort]) ?? null,
      });
      const list = { list: rows, next, summary };
      return respond(c, {
        part: <SubscriptionList {...list} state={state} form={f} />,
        page: <SubscriptionsPage {...list} state={state} form={f} />,
        title: t('subs.title'),
        status,
      });
    };
    if (!all && ids.length === 0) return show(422, { ...typed, error: t('subs.error.noneSelected') });
    const parsed = input.action === 'add' ? parsePartnerId(input.partnerId) : null;
    if (parsed && !parsed.ok) return show(422, { ...typed, error: t('partners.error.partnerIdFormat') });
    const change = parsed?.ok ? ({ kind: 'add', partnerId: parsed.partnerId } as const) : ({ kind: 'remove' } as const);
    const common = { change, actor: auth.user, orgName: auth.org.name, now: now(c) };
    let changed: number;
    if (all) {
      const result = await changeAllPartnersOfRecord(c.get('deps').db, auth.org.id, { ...common, listVersion: input.listVersion ?? '' });
      if (!result.ok && result.refusal.error === 'listChanged') return show(409, { ...typed, error: t('subs.error.listChanged') });
      if (!result.ok) return show(422, { ...typed, error: refusalMessage(c.get('i18n'), result.refusal as Refusal, result) });
      changed = result.changed;
    } else {
      const result = await changePartnerOfRecord(c.get('deps').db, auth.org.id, { ...common, ids, versions: shownVersions(input.v, ids) });
      if (!result.ok && result.notFound) return notFound(c);
      if (!result.ok && result.refusal.error === 'stale') return show(409, { ...typed, error: t('subs.error.listChanged') });
      if (!result.ok) return show(422, { ...typed, error: describeRefusal(c, result) });
      changed = result.changes.length;
    }
    const message = changed === 0 ? 'subs.nothingChanged' : 'subs.bulkChanged';
    if (isPartial(c)) return show(200, { message: t(message) });
    return redirectWithFlash(c, listUrl(state), message);
  })
  .get('/subscriptions/:id', query(z.object({ partnerId: z.string().optional() })), async (c) => {
    // ?partnerId= is the no-JS path of Add, as at checkout: the page shows the partner's name to confirm.
    const { partnerId } = c.req.valid('query');
    const { t } = c.get('i18n');
    const parsed = partnerId !== undefined ? parsePartnerId(partnerId) : null;
    const found = await findSubscriptionAndPartner(c.get('deps').db, c.get('auth')!.org.id, c.req.param('id'), parsed?.ok ? parsed.partnerId : null);
    if (!found) return notFound(c);
    const form: PaneState = !parsed
      ? {}
      : !parsed.ok
        ? { partnerId, error: t('partners.error.partnerIdFormat') }
        : !found.lookup
          ? { partnerId, error: t('partners.error.unknown') }
          : { partnerId, confirm: found.lookup };
    return c.render(<SubscriptionPage sub={found.sub} form={form} />, { title: productName(c.get('i18n'), found.sub.productId, found.sub.productName) });
  })
  .post('/subscriptions/:id/partner', form(partnerForm), async (c) => {
    const input = c.req.valid('form');
    const auth = c.get('auth')!;
    const db = c.get('deps').db;
    const { t } = c.get('i18n');
    const id = c.req.param('id');
    const show = (status: 200 | 409 | 422, sub: SubscriptionDetails, f: PaneState) => {
      return respond(c, {
        part: <PartnerPane subject={paneSubject(sub, t('subs.noPartner'))} state={f} />,
        page: <SubscriptionPage sub={sub} form={f} />,
        title: productName(c.get('i18n'), sub.productId, sub.productName),
        status,
      });
    };
    const parsed = input.action === 'add' ? parsePartnerId(input.partnerId) : null;
    if (parsed && !parsed.ok) {
      const sub = await findSubscription(db, auth.org.id, id);
      if (!sub) return notFound(c);
      return show(422, sub, { partnerId: input.partnerId, error: t('partners.error.partnerIdFormat') });
    }
    if (parsed?.ok && !input.confirm) {
      // Add: the partner's name first, for confirmation (as at checkout). Without JS, the page reloads with it.
      const found = await findSubscriptionAndPartner(db, auth.org.id, id, parsed.partnerId);
      if (!found) return notFound(c);
      if (!isPartial(c)) return c.redirect(`/subscriptions/${id}?partnerId=${parsed.partnerId}`, 303);
      if (!found.lookup) return show(422, found.sub, { partnerId: input.partnerId, error: t('partners.error.unknown') });
      return show(200, found.sub, { partnerId: input.partnerId, confirm: found.lookup });
    }
    const versions = input.version ? new Map([[id, Number(input.version)]]) : undefined;
    const result = await changePartnerOfRecord(db, auth.org.id, {
      ids: [id],
      change: parsed?.ok ? { kind: 'add', partnerId: parsed.partnerId } : { kind: 'remove' },
      versions,
      actor: auth.user,
      orgName: auth.org.name,
      now: now(c),
    });
    if (!result.ok && result.notFound) return notFound(c);
    // The action returns the subscription as it left it: the answer is drawn from that, not read again.
    const sub = detailsOf(result.subscriptions[0] as LockedSubscription);
    if (!result.ok) return show(result.refusal.error === 'stale' ? 409 : 422, sub, { partnerId: input.partnerId, error: describeRefusal(c, result) });
    const message = result.changes.length === 0 ? 'subs.nothingChanged' : input.action === 'add' ? 'subs.partnerAdded' : 'subs.partnerRemoved';
    if (isPartial(c)) return show(200, sub, { message: t(message) });
    return redirectWithFlash(c, `/subscriptions/${id}`, message);
  });
