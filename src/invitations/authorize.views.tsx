import { useRequestContext } from '#jsx/jsx-runtime';
import { When } from '../ui/date.tsx';
import { countryCodes, countryName } from '../catalog/countries.ts';
import { productName } from '../catalog/text.ts';
import type { AppEnv } from '../context.ts';
import { CsrfField, ErrorSummary, Field } from '../ui/form.tsx';
import type { Redeemable } from './invitations.queries.ts';
import { offerAvailable, roleChanges } from './invitations.rules.ts';
import { roleNames } from '../ui/offer-summary.tsx';

/** What the partner asks for, its offer and its terms: the part every state of the page shows. */
function LinkFacts({ link, country }: { link: Redeemable; country: string | null }) {
  const i18n = useRequestContext<AppEnv>().get('i18n');
  const { t, money } = i18n;
  return (
    <>
      <dl class="facts">
        <dt>{t('authorize.partner')}</dt>
        <dd>
          {link.partnerName} <span class="muted">({t('authorize.partnerId', { id: link.partnerId })})</span>
        </dd>
        <dt>{t('authorize.sentTo')}</dt>
        <dd>{link.email}</dd>
        <dt>{t('authorize.validUntil')}</dt>
        <dd>
          <When at={link.expiresAt} />
        </dd>
      </dl>
      <h2>{t('authorize.asks')}</h2>
      <ul>
        {link.offersDelegatedAdmin && (
          <li>
            {t('authorize.asks.delegatedAdmin', { days: link.durationDays ?? 0 })}
            <br />
            <small class="muted">{t('authorize.asks.roles', { roles: roleNames(t, link.roles, link.eligible) })}</small>
            <RoleDiff link={link} />
          </li>
        )}
        {link.offersReseller && <li>{t('authorize.asks.reseller')}</li>}
      </ul>
      {link.offerKind && link.product && (
        <>
          <h2>{t('authorize.offer')}</h2>
          <p>
            {t(link.offerKind === 'trial' ? 'authorize.offer.trial' : 'authorize.offer.purchase', {
              product: productName(i18n, link.product.id, link.product.name),
              quantity: link.offerQuantity ?? 1,
              days: link.product.trialDays ?? 0,
              price: link.product.priceCents !== null && link.product.currency ? money(link.product.priceCents, link.product.currency) : '—',
            })}
          </p>
          {country && !offerAvailable(link, country) && <p class="error">{t('authorize.offer.unavailable')}</p>}
        </>
      )}
      <h2>{t('authorize.terms')}</h2>
      <blockquote>{link.terms}</blockquote>
    </>
  );
}

function SignedOutActions({ link, next }: { link: Redeemable; next: string }) {
  const { t, locale } = useRequestContext<AppEnv>().get('i18n');
  return (
    <>
      <p>{t('authorize.signInFirst')}</p>
      <p>
        <a class="button primary" href={`/signin?next=${encodeURIComponent(next)}`}>
          {t('authorize.signIn')}
        </a>
      </p>
      <details>
        <summary>{t('authorize.signUp')}</summary>
        <p>{t('authorize.signUpIntro')}</p>
        <form method="post" action="/signup">
          <CsrfField />
          <input type="hidden" name="next" value={next} />
          <Field name="orgName" label={t('auth.orgName')} required maxlength={120} autocomplete="organization" />
          <Field name="country" label={t('auth.country')} hint={t('auth.countryHint')}>
            <select id="f-country" name="country" required>
              <option value="">—</option>
              {countryCodes.map((code) => (
                <option value={code}>{countryName(locale, code)}</option>
              ))}
            </select>
          </Field>
          <Field name="name" label={t('auth.name')} required maxlength={120} autocomplete="name" />
          <Field name="email" type="email" label={t('auth.email')} value={link.email} required maxlength={254} autocomplete="email" />
          <Field
            name="password"
            type="password"
            label={t('auth.password')}
            hint={t('auth.passwordHint')}
            required
            autocomplete="new-password"
            maxlength={200}
          />
          <button class="primary">{t('auth.signup.submit')}</button>
        </form>
      </details>
    </>
  );
}

export interface StepProps {
  link: Redeemable;
  action: string;
  step: 1 | 2;
  delegatedAdmin?: string;
  error?: string;
  country: string;
}

/**
 * Step 1: under Partner relationships, Yes (chosen already) or No → Next, as the seed's own steps.
 * Step 2 (when there is an offer): take it → Accept. Plain posts: the page loads no htmx, and each
 * step is a whole page with its own title.
 */
function StepForm(p: StepProps) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  const available = offerAvailable(p.link, p.country);
  return (
    <form method="post" action={p.action} class="pane">
      <CsrfField />
      <input type="hidden" name="step" value={String(p.step)} />
      <ErrorSummary errors={p.error} />
      {p.step === 1 ? (
        <>
          <h2>{t('authorize.relationships')}</h2>
          {p.link.offersDelegatedAdmin && (
            <fieldset class="field">
              <legend>{t('authorize.question', { partner: p.link.partnerName })}</legend>
              <label>
                <input type="radio" name="delegatedAdmin" value="yes" checked={p.delegatedAdmin !== 'no'} /> {t('authorize.yes')}
              </label>
              <label>
                <input type="radio" name="delegatedAdmin" value="no" checked={p.delegatedAdmin === 'no'} /> {t('authorize.no')}
              </label>
            </fieldset>
          )}
          {p.link.offersReseller && <p>{t('authorize.resellerNote', { partner: p.link.partnerName })}</p>}
          <button class="primary">{t('common.next')}</button>
        </>
      ) : (
        <>
          <input type="hidden" name="delegatedAdmin" value={p.delegatedAdmin ?? ''} />
          <h2>{t('authorize.offer')}</h2>
          {available ? (
            <label>
              <input type="checkbox" name="takeOffer" value="yes" checked />{' '}
              {t(p.link.offerKind === 'trial' ? 'authorize.takeTrial' : 'authorize.takePurchase', { product: p.link.product!.name })}
            </label>
          ) : (
            <p class="error">{t('authorize.offer.unavailable')}</p>
          )}
          <p class="muted">{t(p.delegatedAdmin === 'yes' ? 'authorize.willGrant' : 'authorize.willNotGrant', { partner: p.link.partnerName })}</p>
          <button class="primary">{t('authorize.accept')}</button>
        </>
      )}
    </form>
  );
}

export type AuthorizeState = { kind: 'signedOut'; next: string } | ({ kind: 'step' } & StepProps);

/** The authorization page; each step answers htmx with this same section. */
export function AuthorizeSection({ link, state }: { link: Redeemable; state: AuthorizeState }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <section id="authorize" class="narrow">
      <h1>{t('authorize.title', { partner: link.partnerName })}</h1>
      <LinkFacts link={link} country={state.kind === 'step' ? state.country : null} />
      {state.kind === 'signedOut' ? <SignedOutActions link={link} next={state.next} /> : <StepForm {...state} />}
    </section>
  );
}

/** After accepting (and for the same organization opening the used link again). */
export function AuthorizedSection({ link }: { link: Redeemable }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <section id="authorize" class="narrow">
      <h1>{t('authorize.done.title', { partner: link.partnerName })}</h1>
      <p>{t('authorize.done.body')}</p>
      <p class="actions">
        <a class="button primary" href="/settings/partner-relationships">
          {t('nav.partnerRelationships')}
        </a>
        <a class="button" href="/subscriptions">
          {t('nav.subscriptions')}
        </a>
      </p>
    </section>
  );
}

/** A link to a customer whose delegated admin with this partner is active changes it: the changes, role by role (issue 24). */
function RoleDiff({ link }: { link: Redeemable }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  if (!link.current) return null;
  const changes = roleChanges(link.current, { roles: link.roles, eligible: link.eligible });
  const name = (r: string) => roleNames(t, [r]);
  return (
    <>
      <br />
      <strong>{t('elev.diff.title', { partner: link.partnerName })}</strong>
      {changes.length === 0 ? (
        <p>{t('elev.diff.none')}</p>
      ) : (
        <ul id="role-diff">
          {changes.map((c) => (
            <li>{t(`elev.diff.${c.kind}`, { role: name(c.role), hours: c.hours ?? 0, from: c.from ?? 0 })}</li>
          ))}
        </ul>
      )}
    </>
  );
}
