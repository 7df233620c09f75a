import { Hono, type Context } from 'hono';
import { decodeCursor } from '../http/cursor.ts';
import { z } from 'zod';
import { countryName } from '../catalog/countries.ts';
import { productName } from '../catalog/text.ts';
import type { AppEnv } from '../context.ts';
import { customerAdmin, errorPage, requireRole } from '../http/middleware.tsx';
import { isPartial, now, redirectWithFlash } from '../http/respond.ts';
import { form, query } from '../http/validate.ts';
import type { I18n } from '../i18n/index.ts';
import { parsePartnerId, type ChangeRefusal } from '../partners/partner.rules.ts';
import { fragment } from '../ui/fragment.tsx';
import { changePartnerOfRecord, type ChangeResult } from './partner-of-record.ts';
import { findSubscription, listSubscriptions, sortKeys, type SortDir, type SortKey } from './subscriptions.queries.ts';
import { listUrl, PartnerInfo, SubscriptionList, SubscriptionPage, SubscriptionsPage, type BulkForm, type ListState } from './subscriptions.views.tsx';

const listQuery = z.object({ sort: z.string().optional(), dir: z.string().optional(), after: z.string().optional() });

function listState(q: { sort?: string; dir?: string; after?: string }): ListState {
  const sort = (sortKeys as readonly string[]).includes(q.sort ?? '') ? (q.sort as SortKey) : 'created';
  const dir: SortDir = q.dir === 'asc' || q.dir === 'desc' ? q.dir : sort === 'created' ? 'desc' : 'asc';
  return { sort, dir, after: decodeCursor(q.after) ? q.after! : null };
}

const bulkForm = z.object({
  ids: z.union([z.string(), z.array(z.string())]).optional(),
  partnerId: z.string().default(''),
  action: z.enum(['add', 'remove']),
  sort: z.string().optional(),
  dir: z.string().optional(),
  after: z.string().optional(),
});

const partnerForm = z.object({
  partnerId: z.string().default(''),
  action: z.enum(['add', 'remove']),
  version: z.string().regex(/^[0-9]{1,9}$/).optional(),
});

/** The sentence a refused change shows, naming what was wrong. */
export function refusalMessage(i: I18n, refusal: ChangeRefusal | { error: 'partnerIdFormat' }, ctx: { partner?: string; product?: string; country: string }): string {
  const { t } = i;
  const params = { partner: ctx.partner ?? '', product: ctx.product ?? '', country: countryName(i.locale, ctx.country) };
  switch (refusal.error) {
    case 'partnerIdFormat':
      return t('partners.error.partnerIdFormat');
    case 'unknownPartner':
      return t('partners.error.unknown');
    case 'stale':
      return t('subs.error.stale', params);
    case 'resellerHeld':
      return t('subs.error.resellerHeld', params);
    case 'noPartner':
      return t('subs.error.noPartner');
    case 'ineligible':
      return t(`partners.error.${refusal.reason}`, params);
  }
}

function describeRefusal(c: Context<AppEnv>, result: Extract<ChangeResult, { refusal: ChangeRefusal }>): string {
  const sub = 'subscriptionId' in result.refusal ? result.subscriptions.find((s) => s.id === (result.refusal as { subscriptionId: string }).subscriptionId) : undefined;
  const partner = result.refusal.error === 'resellerHeld' ? sub?.partner?.name : result.partner?.name;
  return refusalMessage(c.get('i18n'), result.refusal, { partner, product: sub?.productName, country: result.country });
}

export const subscriptionRoutes = new Hono<AppEnv>()
  .use('/subscriptions', requireRole(...customerAdmin))
  .use('/subscriptions/*', requireRole(...customerAdmin))
  .get('/subscriptions', query(listQuery), async (c) => {
    const state = listState(c.req.valid('query'));
    const { rows, next } = await listSubscriptions(c.get('deps').db, c.get('auth')!.org.id, { ...state, cursor: decodeCursor(state.after ?? undefined) ?? null });
    return c.render(<SubscriptionsPage list={rows} next={next} state={state} form={{}} />, { title: c.get('i18n').t('subs.title') });
  })
  .post('/subscriptions/partner', form(bulkForm), async (c) => {
    const input = c.req.valid('form');
    const auth = c.get('auth')!;
    const { t } = c.get('i18n');
    const state = listState(input);
    const ids = [input.ids ?? []].flat();
    const typed: BulkForm = { partnerId: input.partnerId, ids };
    const answer = async (status: 200 | 409 | 422, f: BulkForm) => {
      const { rows, next } = await listSubscriptions(c.get('deps').db, auth.org.id, { ...state, cursor: decodeCursor(state.after ?? undefined) ?? null });
      if (isPartial(c)) return fragment(c, <SubscriptionList list={rows} next={next} state={state} form={f} />, status);
      c.status(status);
      return c.render(<SubscriptionsPage list={rows} next={next} state={state} form={f} />, { title: t('subs.title') });
    };
    if (ids.length === 0) return answer(422, { ...typed, error: t('subs.error.noneSelected') });
    const parsed = input.action === 'add' ? parsePartnerId(input.partnerId) : null;
    if (parsed && !parsed.ok) return answer(422, { ...typed, error: t('partners.error.partnerIdFormat') });
    const result = await changePartnerOfRecord(c.get('deps').db, auth.org.id, {
      ids,
      change: parsed?.ok ? { kind: 'add', partnerId: parsed.partnerId } : { kind: 'remove' },
      actor: auth.user,
      orgName: auth.org.name,
      now: now(c),
    });
    if (!result.ok && result.notFound) return errorPage(c, 404, 'error.notFound.title', 'error.notFound.body');
    if (!result.ok) return answer(422, { ...typed, error: describeRefusal(c, result) });
    const message = result.changes.length === 0 ? 'subs.nothingChanged' : 'subs.bulkChanged';
    if (isPartial(c)) return answer(200, { message: t(message) });
    return redirectWithFlash(c, listUrl(state), message);
  })
  .get('/subscriptions/:id', async (c) => {
    const sub = await findSubscription(c.get('deps').db, c.get('auth')!.org.id, c.req.param('id'));
    if (!sub) return errorPage(c, 404, 'error.notFound.title', 'error.notFound.body');
    return c.render(<SubscriptionPage sub={sub} form={{}} />, { title: productName(c.get('i18n'), sub.productId, sub.productName) });
  })
  .post('/subscriptions/:id/partner', form(partnerForm), async (c) => {
    const input = c.req.valid('form');
    const auth = c.get('auth')!;
    const db = c.get('deps').db;
    const { t } = c.get('i18n');
    const id = c.req.param('id');
    const back = `/subscriptions/${id}`;
    const answer = async (status: 200 | 409 | 422, f: { partnerId?: string; error?: string; message?: string }) => {
      const sub = await findSubscription(db, auth.org.id, id);
      if (!sub) return errorPage(c, 404, 'error.notFound.title', 'error.notFound.body');
      if (isPartial(c)) return fragment(c, <PartnerInfo sub={sub} form={f} />, status);
      c.status(status);
      return c.render(<SubscriptionPage sub={sub} form={f} />, { title: productName(c.get('i18n'), sub.productId, sub.productName) });
    };
    const parsed = input.action === 'add' ? parsePartnerId(input.partnerId) : null;
    if (parsed && !parsed.ok) return answer(422, { partnerId: input.partnerId, error: t('partners.error.partnerIdFormat') });
    const versions = input.version ? new Map([[id, Number(input.version)]]) : undefined;
    const result = await changePartnerOfRecord(db, auth.org.id, {
      ids: [id],
      change: parsed?.ok ? { kind: 'add', partnerId: parsed.partnerId } : { kind: 'remove' },
      versions,
      actor: auth.user,
      orgName: auth.org.name,
      now: now(c),
    });
    if (!result.ok && result.notFound) return errorPage(c, 404, 'error.notFound.title', 'error.notFound.body');
    if (!result.ok) {
      return answer(result.refusal.error === 'stale' ? 409 : 422, { partnerId: input.partnerId, error: describeRefusal(c, result) });
    }
    const message = result.changes.length === 0 ? 'subs.nothingChanged' : input.action === 'add' ? 'subs.partnerAdded' : 'subs.partnerRemoved';
    if (isPartial(c)) return answer(200, { message: t(message) });
    return redirectWithFlash(c, back, message);
  });
