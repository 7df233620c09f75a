import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { planName, productName } from '../catalog/text.ts';
import type { AppEnv } from '../context.ts';
import { errorPage, notFound } from '../http/middleware.tsx';
import { customerAdmin, requireRole } from '../authorization/require-role.ts';
import { isPartial, now, redirectWithFlash } from '../http/respond.ts';
import { form, query } from '../http/validate.ts';
import { parsePartnerId } from '../partner-of-record/partner-of-record.rules.ts';
import { refusalMessage, type PaneState } from '../partner-of-record/partner-of-record.views.tsx';
import { parseLicenseCount } from './purchase.rules.ts';
import { respond } from '../ui/fragment.tsx';
import { choosePartner, findCheckout, placeOrder, plansFor, saveLicenses, startCheckout, type CheckoutView } from './purchase.queries.ts';
import { CheckoutPage, CheckoutPartnerPane, PlanPage, PlansPage } from './purchase.views.tsx';

const licensesForm = z.object({ quantity: z.string().default(''), billingFrequency: z.enum(['monthly', 'yearly']).default('monthly') });
const partnerForm = z.object({ partnerId: z.string().default(''), confirm: z.literal('1').optional(), action: z.enum(['add', 'remove']).default('add') });
const checkoutQuery = z.object({ step: z.string().optional(), partnerId: z.string().optional() });

/** The product's name in the reader's language. */
const shownName = (c: Context<AppEnv>, checkout: CheckoutView) => productName(c.get('i18n'), checkout.productId, checkout.productName);

function title(c: Context<AppEnv>, checkout: CheckoutView) {
  return c.get('i18n').t('purchase.checkoutTitle', { product: shownName(c, checkout) });
}

/** The step shown: the server's, except that step 1 may be reopened from the review until the order is placed. */
const stepOf = (checkout: CheckoutView, asked?: string) => (checkout.completedAt ? 3 : asked === '1' ? 1 : checkout.step);

export const purchaseRoutes = new Hono<AppEnv>()
  .use('/purchase', requireRole(...customerAdmin))
  .use('/purchase/*', requireRole(...customerAdmin))
  .use('/checkout', requireRole(...customerAdmin))
  .use('/checkout/*', requireRole(...customerAdmin))
  .get('/purchase', async (c) => {
    const { org } = c.get('auth')!;
    const plans = await plansFor(c.get('deps').db, org.country);
    return c.render(<PlansPage plans={plans} country={org.country} />, { title: c.get('i18n').t('purchase.title') });
  })
  .get('/purchase/:plan', async (c) => {
    const { org } = c.get('auth')!;
    const [plan] = await plansFor(c.get('deps').db, org.country, c.req.param('plan'));
    if (!plan) return notFound(c);
    return c.render(<PlanPage plan={plan} country={org.country} />, { title: planName(c.get('i18n'), plan) });
  })
  .post('/checkout', form(z.object({ productId: z.string().max(40) })), async (c) => {
    const result = await startCheckout(c.get('deps').db, c.get('auth')!, c.req.valid('form').productId);
    if (result.ok) return c.redirect(`/checkout/${result.id}`, 303);
    if (result.error === 'unknown') return notFound(c);
    return errorPage(c, 422, 'purchase.notSold.title', 'purchase.notSold.body');
  })
  .get('/checkout/:id', query(checkoutQuery), async (c) => {
    const { step, partnerId } = c.req.valid('query');
    const { t } = c.get('i18n');
    const parsed = partnerId !== undefined ? parsePartnerId(partnerId) : null;
    const found = await findCheckout(c.get('deps').db, c.get('auth')!.org.id, c.req.param('id'), parsed?.ok ? parsed.partnerId : null);
    if (!found) return notFound(c);
    const { checkout, lookup } = found;
    const shown = stepOf(checkout, step);
    let pane: PaneState = {};
    // ?partnerId= is the no-JS path of Add: the page reloads with the partner's name to confirm.
    if (parsed && shown === 2) {
      if (!parsed.ok) pane = { partnerId, error: t('partners.error.partnerIdFormat') };
      else if (!lookup) pane = { partnerId, error: t('partners.error.unknown') };
      else pane = { partnerId, confirm: lookup };
    }
    return c.render(<CheckoutPage checkout={checkout} step={shown} pane={pane} />, { title: title(c, checkout) });
  })
  .post('/checkout/:id/licenses', form(licensesForm), async (c) => {
    const input = c.req.valid('form');
    const { org } = c.get('auth')!;
    const db = c.get('deps').db;
    const id = c.req.param('id');
    const quantity = parseLicenseCount(input.quantity);
    if (quantity === null) {
      const found = await findCheckout(db, org.id, id);
      if (!found) return notFound(c);
      if (found.checkout.completedAt) return c.redirect(`/checkout/${id}`, 303);
      c.status(422);
      const licenses = { quantity: input.quantity, billingFrequency: input.billingFrequency, error: c.get('i18n').t('purchase.error.licenses') };
      return c.render(<CheckoutPage checkout={found.checkout} step={1} licenses={licenses} />, { title: title(c, found.checkout) });
    }
    if (!(await saveLicenses(db, org.id, id, quantity, input.billingFrequency))) {
      return (await findCheckout(db, org.id, id)) ? redirectWithFlash(c, `/checkout/${id}`, 'purchase.alreadyPlaced') : notFound(c);
    }
    return c.redirect(`/checkout/${id}`, 303);
  })
  .post('/checkout/:id/partner', form(partnerForm), async (c) => {
    const input = c.req.valid('form');
    const { org } = c.get('auth')!;
    const db = c.get('deps').db;
    const i18n = c.get('i18n');
    const id = c.req.param('id');
    const back = `/checkout/${id}`;
    const answer = async (status: 200 | 422, pane: PaneState, checkout?: CheckoutView) => {
      const current = checkout ?? (await findCheckout(db, org.id, id))?.checkout;
      if (!current) return notFound(c);
      return respond(c, {
        part: <CheckoutPartnerPane checkout={current} state={pane} swapped />,
        page: <CheckoutPage checkout={current} step={2} pane={pane} />,
        title: title(c, current),
        status,
      });
    };
    if (input.action === 'remove') {
      const result = await choosePartner(db, org.id, id, null);
      if (!result.ok) return result.error === 'completed' ? redirectWithFlash(c, back, 'purchase.alreadyPlaced') : notFound(c);
      return isPartial(c)
        ? answer(200, { message: i18n.t('purchase.partnerRemoved') }, result.checkout)
        : redirectWithFlash(c, back, 'purchase.partnerRemoved');
    }
    const parsed = parsePartnerId(input.partnerId);
    if (!parsed.ok) return answer(422, { partnerId: input.partnerId, error: i18n.t('partners.error.partnerIdFormat') });
    if (!input.confirm) {
      // Add: show the partner's name to confirm. Without JS, the page reloads with it (a GET, so reload is harmless).
      if (!isPartial(c)) return c.redirect(`${back}?partnerId=${parsed.partnerId}`, 303);
      const found = await findCheckout(db, org.id, id, parsed.partnerId);
      if (!found) return notFound(c);
      if (!found.lookup) return answer(422, { partnerId: input.partnerId, error: i18n.t('partners.error.unknown') }, found.checkout);
      return answer(200, { partnerId: input.partnerId, confirm: found.lookup }, found.checkout);
    }
    const result = await choosePartner(db, org.id, id, parsed.partnerId);
    if (result.ok) {
      return isPartial(c) ? answer(200, { message: i18n.t('purchase.partnerAdded') }, result.checkout) : redirectWithFlash(c, back, 'purchase.partnerAdded');
    }
    if (result.error === 'notFound') return notFound(c);
    if (result.error === 'completed') return redirectWithFlash(c, back, 'purchase.alreadyPlaced');
    if (result.error === 'unknownPartner') return answer(422, { partnerId: input.partnerId, error: i18n.t('partners.error.unknown') });
    const message = refusalMessage(
      i18n,
      { error: 'ineligible', reason: result.reason },
      {
        partner: result.partner.name,
        product: shownName(c, result.checkout),
        country: result.checkout.country,
      },
    );
    return answer(422, { partnerId: input.partnerId, error: message }, result.checkout);
  })
  .post('/checkout/:id/place', async (c) => {
    const auth = c.get('auth')!;
    const id = c.req.param('id');
    const result = await placeOrder(c.get('deps').db, auth, id, now(c));
    if (result.ok) return c.redirect(`/checkout/${id}`, 303);
    if (result.error === 'notFound') return notFound(c);
    if (result.error === 'notSold') return errorPage(c, 422, 'purchase.notSold.title', 'purchase.notSold.body');
    const { checkout } = result;
    const message = refusalMessage(
      c.get('i18n'),
      { error: 'ineligible', reason: result.reason },
      {
        partner: checkout.partner?.name,
        product: shownName(c, checkout),
        country: checkout.country,
      },
    );
    c.status(422);
    return c.render(<CheckoutPage checkout={checkout} step={2} pane={{ error: message }} />, { title: title(c, checkout) });
  });
