import { useRequestContext } from '#jsx/jsx-runtime';
import { countryName } from '../catalog/countries.ts';
import { planDescription, planName, productDescription, productName } from '../catalog/text.ts';
import type { AppEnv } from '../context.ts';
import { PartnerPane, type PaneState, type PaneSubject } from '../partner-of-record/partner-of-record.views.tsx';
import { CsrfField, Field } from '../ui/form.tsx';
import type { CheckoutView, PlanWithProducts } from './purchase.queries.ts';

const useI18n = () => useRequestContext<AppEnv>().get('i18n');

export function PlansPage({ plans, country }: { plans: PlanWithProducts[]; country: string }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  return (
    <>
      <h1>{t('purchase.title')}</h1>
      <p>{t('purchase.intro', { country: countryName(locale, country) })}</p>
      <ul class="cols plan-list">
        {plans.map((p) => (
          <li class="pane">
            <h2>{planName(i18n, p)}</h2>
            <p>{planDescription(i18n, p)}</p>
            <p class="muted">{t('purchase.productCount', { count: p.products.length })}</p>
            <a href={`/purchase/${p.id}`} class="button" aria-label={t('purchase.detailsOf', { plan: planName(i18n, p) })}>
              {t('purchase.details')}
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}

export function PlanPage({ plan, country }: { plan: PlanWithProducts; country: string }) {
  const i18n = useI18n();
  const { t, locale, money } = i18n;
  return (
    <>
      <p>
        <a href="/purchase">{t('purchase.allPlans')}</a>
      </p>
      <h1>{planName(i18n, plan)}</h1>
      <p>{planDescription(i18n, plan)}</p>
      {plan.products.length === 0 ? (
        <p>{t('purchase.noneInCountry', { country: countryName(locale, country) })}</p>
      ) : (
        <ul class="cols">
          {plan.products.map((p) => (
            <li class="pane">
              <h2>{productName(i18n, p.id, p.name)}</h2>
              <p>{productDescription(i18n, p.id, p.description)}</p>
              <p>{t('purchase.pricePerLicense', { price: money(p.priceCents, p.currency) })}</p>
              {p.trialDays && <p class="muted">{t('purchase.trial', { days: p.trialDays })}</p>}
              <form method="post" action="/checkout">
                <CsrfField />
                <input type="hidden" name="productId" value={p.id} />
                <button class="primary" aria-label={t('purchase.buyOne', { product: productName(i18n, p.id, p.name) })}>
                  {t('purchase.buy')}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function Steps({ step }: { step: number }) {
  const { t } = useI18n();
  const names = [t('purchase.step1'), t('purchase.step2'), t('purchase.step3')];
  return (
    <ol class="steps" aria-label={t('purchase.steps')}>
      {names.map((name, i) => (
        <li aria-current={i + 1 === step ? 'step' : undefined}>{name}</li>
      ))}
    </ol>
  );
}

export interface LicensesForm {
  quantity?: string;
  billingFrequency?: string;
  error?: string;
}

function LicensesStep({ checkout, form }: { checkout: CheckoutView; form: LicensesForm }) {
  const { t, money } = useI18n();
  const frequency = form.billingFrequency ?? checkout.billingFrequency;
  return (
    <form method="post" action={`/checkout/${checkout.id}/licenses`}>
      <CsrfField />
      <p>{t('purchase.pricePerLicense', { price: money(checkout.priceCents, checkout.currency) })}</p>
      <Field
        name="quantity"
        label={t('purchase.licenses')}
        value={form.quantity ?? String(checkout.quantity)}
        error={form.error}
        hint={t('purchase.licensesHint')}
        inputmode="numeric"
        maxlength={7}
        required
      />
      <fieldset>
        <legend>{t('purchase.frequency')}</legend>
        {(['monthly', 'yearly'] as const).map((f) => (
          <label>
            <input type="radio" name="billingFrequency" value={f} checked={frequency === f} /> {t(`subs.frequency.${f}`)}
          </label>
        ))}
      </fieldset>
      <button class="primary">{t('common.next')}</button>
    </form>
  );
}

/** The order as the Partner information pane shows it. */
function paneSubject(checkout: CheckoutView, emptyText: string): PaneSubject {
  return { action: `/checkout/${checkout.id}/partner`, partner: checkout.partner, emptyText, cancelHref: `/checkout/${checkout.id}` };
}

/**
 * The review step's Partner information: the part htmx swaps. With `swapped`, the answer also carries
 * Place order out of band, so it is disabled while a partner waits to be confirmed and enabled after.
 */
export function CheckoutPartnerPane({ checkout, state, swapped }: { checkout: CheckoutView; state: PaneState; swapped?: boolean }) {
  const { t } = useI18n();
  return (
    <>
      <PartnerPane subject={paneSubject(checkout, t('purchase.noPartner'))} state={state} />
      {swapped && <PlaceOrder checkout={checkout} pending={!!state.confirm} oob />}
    </>
  );
}

/** Place order: disabled while a Partner ID waits for confirmation, so an order never leaves with a partner half-chosen. */
function PlaceOrder({ checkout, pending, oob }: { checkout: CheckoutView; pending: boolean; oob?: boolean }) {
  const { t } = useI18n();
  return (
    <form id="place-order" method="post" action={`/checkout/${checkout.id}/place`} data-hx-swap-oob={oob ? 'outerHTML' : undefined}>
      <CsrfField />
      <button class="primary" disabled={pending} aria-describedby={pending ? 'place-pending' : undefined}>
        {t('purchase.place')}
      </button>
      {pending && (
        <small id="place-pending" class="hint">
          {t('purchase.placePending')}
        </small>
      )}
    </form>
  );
}

function ReviewStep({ checkout, pane }: { checkout: CheckoutView; pane: PaneState }) {
  const i18n = useI18n();
  const { t, money, number } = i18n;
  const months = checkout.billingFrequency === 'yearly' ? 12 : 1;
  return (
    <div class="review">
      <div>
        <dl class="facts">
          <dt>{t('subs.col.product')}</dt>
          <dd>{productName(i18n, checkout.productId, checkout.productName)}</dd>
          <dt>{t('purchase.licenses')}</dt>
          <dd>{number(checkout.quantity)}</dd>
          <dt>{t('purchase.frequency')}</dt>
          <dd>{t(`subs.frequency.${checkout.billingFrequency}`)}</dd>
          <dt>{t(checkout.billingFrequency === 'yearly' ? 'purchase.totalYearly' : 'purchase.totalMonthly')}</dt>
          <dd>{money(checkout.priceCents * checkout.quantity * months, checkout.currency)}</dd>
        </dl>
        <p>
          <a href={`/checkout/${checkout.id}?step=1`}>{t('purchase.changeLicenses')}</a>
        </p>
      </div>
      {/* Before Place order in the page; the stylesheet's grid puts it on the right on a desktop. The pane's own heading names it. */}
      <aside>
        <CheckoutPartnerPane checkout={checkout} state={pane} />
        <details>
          <summary>{t('purchase.needHelp')}</summary>
          <p>{t('purchase.needHelpBody')}</p>
          <a href={`/partners?checkout=${checkout.id}`}>{t('purchase.getHelp')}</a>
        </details>
      </aside>
      <PlaceOrder checkout={checkout} pending={!!pane.confirm} />
    </div>
  );
}

function ConfirmationStep({ checkout }: { checkout: CheckoutView }) {
  const i18n = useI18n();
  const { t, number, money } = i18n;
  return (
    <>
      <p role="status">{t('purchase.thanks')}</p>
      <dl class="facts">
        <dt>{t('subs.col.product')}</dt>
        <dd>{productName(i18n, checkout.productId, checkout.productName)}</dd>
        <dt>{t('purchase.licenses')}</dt>
        <dd>{number(checkout.quantity)}</dd>
        <dt>{t('purchase.priceCharged')}</dt>
        <dd>{t('purchase.pricePerLicense', { price: money(checkout.priceCents, checkout.currency) })}</dd>
        <dt>{t('subs.partnerOfRecord')}</dt>
        <dd>{checkout.partner ? `${checkout.partner.name} (${t('subs.partnerIdShort', { id: checkout.partner.partnerId })})` : t('common.none')}</dd>
      </dl>
      <p>
        <a href={`/subscriptions/${checkout.subscriptionId}`}>{t('purchase.viewSubscription')}</a>
      </p>
    </>
  );
}

export function CheckoutPage({ checkout, step, licenses, pane }: { checkout: CheckoutView; step: number; licenses?: LicensesForm; pane?: PaneState }) {
  const i18n = useI18n();
  return (
    <>
      <h1>{i18n.t('purchase.checkoutTitle', { product: productName(i18n, checkout.productId, checkout.productName) })}</h1>
      <Steps step={step} />
      {step === 1 && <LicensesStep checkout={checkout} form={licenses ?? {}} />}
      {step === 2 && <ReviewStep checkout={checkout} pane={pane ?? {}} />}
      {step === 3 && <ConfirmationStep checkout={checkout} />}
    </>
  );
}
