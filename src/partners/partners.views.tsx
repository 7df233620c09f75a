import { useRequestContext } from '#jsx/jsx-runtime';
import { countryCodes, countryName } from '../catalog/countries.ts';
import { productName } from '../catalog/text.ts';
import type { AppEnv } from '../context.ts';
import { CsrfField } from '../ui/form.tsx';
import type { FinderEntry, FinderResult } from './partners.queries.ts';
import { Pager } from '../ui/pager.tsx';

export interface FinderView {
  q: string;
  product: string | null;
  country: string | null;
  result: FinderResult;
  /** The query string of the next page, when there is one. */
  nextHref: string | null;
  firstHref: string | null;
}

function Entry({ p, products, checkoutId }: { p: FinderEntry; products: Map<string, string>; checkoutId: string | null }) {
  const { t, locale } = useRequestContext<AppEnv>().get('i18n');
  return (
    <li class="pane">
      <h2>{p.name}</h2>
      <dl class="facts">
        <dt>{t('partners.partnerId')}</dt>
        <dd>{p.partnerId}</dd>
        <dt>{t('partners.countries')}</dt>
        <dd>{p.countries.map((c) => countryName(locale, c)).join(t('common.listSeparator'))}</dd>
        <dt>{t('partners.products')}</dt>
        <dd>{p.productIds.map((id) => products.get(id) ?? id).join(t('common.listSeparator'))}</dd>
        <dt>{t('partners.capabilities')}</dt>
        <dd>{p.capabilities.map((c) => t(`partners.capability.${c as 'advisor'}`)).join(t('common.listSeparator'))}</dd>
      </dl>
      {checkoutId && (
        <form method="post" action={`/checkout/${checkoutId}/partner`}>
          <CsrfField />
          <input type="hidden" name="partnerId" value={p.partnerId} />
          <input type="hidden" name="confirm" value="1" />
          <button class="primary" aria-label={t('partners.chooseOne', { partner: p.name })}>
            {t('partners.choose')}
          </button>
        </form>
      )}
    </li>
  );
}

export function FinderPage(v: FinderView) {
  const i18n = useRequestContext<AppEnv>().get('i18n');
  const { t, locale } = i18n;
  const { result } = v;
  // Names in the reader's language; the stored English name is the fallback for an untranslated product.
  const products = new Map(result.products.map((p) => [p.id, productName(i18n, p.id, p.name)]));
  const checkout = result.checkout;
  return (
    <>
      <h1>{t('partners.title')}</h1>
      {checkout ? (
        <p>
          {t('partners.forCheckout', { product: products.get(checkout.productId) ?? checkout.productId, country: countryName(locale, checkout.country) })}{' '}
          <a href={`/checkout/${checkout.id}`}>{t('partners.backToOrder')}</a>
        </p>
      ) : (
        <p>{t('partners.intro')}</p>
      )}
      <form method="get" action="/partners" role="search" class="pane">
        {checkout && <input type="hidden" name="checkout" value={checkout.id} />}
        <div class="field">
          <label for="f-q">{t('partners.search')}</label>
          <input id="f-q" name="q" type="search" value={v.q} maxlength={100} />
        </div>
        {!checkout && (
          <div class="cols">
            <div class="field">
              <label for="f-product">{t('partners.product')}</label>
              <select id="f-product" name="product">
                <option value="">{t('partners.any')}</option>
                {result.products.map((p) => (
                  <option value={p.id} selected={v.product === p.id}>
                    {products.get(p.id)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="f-country">{t('partners.country')}</label>
              <select id="f-country" name="country">
                <option value="">{t('partners.any')}</option>
                {countryCodes.map((code) => (
                  <option value={code} selected={v.country === code}>
                    {countryName(locale, code)}
                  </option>
                ))}
              </select>
            </div>
          </div>
        )}
        <button class="primary">{t('partners.searchButton')}</button>
      </form>
      {result.entries.length === 0 ? (
        <p>{t('partners.none')}</p>
      ) : (
        <ul class="partner-list" aria-label={t('partners.results')}>
          {result.entries.map((p) => (
            <Entry p={p} products={products} checkoutId={checkout?.id ?? null} />
          ))}
        </ul>
      )}
      <Pager first={v.firstHref} firstLabel={t('subs.firstPage')} next={v.nextHref} nextLabel={t('subs.nextPage')} />
    </>
  );
}
