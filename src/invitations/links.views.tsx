import { useRequestContext } from '#jsx/jsx-runtime';
import { Token } from '../ui/token.tsx';
import { When } from '../ui/date.tsx';
import { productName } from '../catalog/text.ts';
import type { AppEnv } from '../context.ts';
import type { MessageKey } from '../i18n/index.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors } from '../ui/form.tsx';
import { isLocale, localeNames, locales, type Locale } from '../i18n/locales.ts';
import type { Context } from 'hono';
import type { LinkRow, ProductOption } from './invitations.queries.ts';
import {
  adminRoles,
  DEFAULT_DURATION_DAYS,
  DEFAULT_LINK_DAYS,
  linkState,
  MAX_DURATION_DAYS,
  MAX_LINK_DAYS,
  MAX_QUANTITY,
  type CreateLinkInput,
} from './invitations.rules.ts';
import { OfferSummary, roleLabel } from '../ui/offer-summary.tsx';
import { Pager } from '../ui/pager.tsx';
import { COPY_SCRIPT_URL } from '../ui/copy.ts';

const stateLabel: Record<string, MessageKey> = {
  sent: 'links.state.sent',
  accepted: 'links.state.accepted',
  expired: 'links.state.expired',
  revoked: 'links.state.revoked',
};

/** One link in the list; revoking answers htmx with this very row. */
export function LinkItem({ link, now }: { link: LinkRow; now: Date }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  const state = linkState(link, now);
  const action = `/portal/links/${link.id}/revoke`;
  return (
    <tr id={`link-${link.id}`}>
      <td data-label={t('links.list.email')}>{link.email}</td>
      <td data-label={t('links.list.offer')}>
        <OfferSummary offer={link} />
      </td>
      <td data-label={t('links.list.state')}>
        <span class="badge">{t(stateLabel[state])}</span>
        {state === 'accepted' && link.acceptedOrgName && <small class="muted"> {link.acceptedOrgName}</small>}
      </td>
      <td data-label={t('links.list.created')}>
        <When at={link.createdAt} />
      </td>
      <td data-label={t('links.list.expires')}>
        <When at={link.expiresAt} />
      </td>
      <td>
        {state === 'sent' && (
          <form method="post" action={action} data-hx-post={action} data-hx-target={`#link-${link.id}`} data-hx-swap="outerHTML" class="inline">
            <CsrfField />
            <button class="danger" aria-label={t('links.revokeFor', { email: link.email })}>
              {t('links.revoke')}
            </button>
          </form>
        )}
      </td>
    </tr>
  );
}

function Checkbox({ name, value, checked, label }: { name: string; value: string; checked: boolean; label: string }) {
  return (
    <label>
      <input type="checkbox" name={name} value={value} checked={checked} /> {label}
    </label>
  );
}

/** Standing (held for the whole relationship) or eligible, activated for at most 1–8 hours (issue 24). */
function EligibleChoice({ role, label, value }: { role: string; label: string; value: unknown }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <select name={`hours_${role}`} aria-label={t('elev.kind', { role: label })}>
      <option value="" selected={!value}>
        {t('elev.standing')}
      </option>
      {Array.from({ length: 8 }, (_, n) => String(n + 1)).map((h) => (
        <option value={h} selected={value === h}>
          {t('elev.eligible')} {t('elev.hours', { hours: h })}
        </option>
      ))}
    </select>
  );
}

export const emptyLinkForm: CreateLinkInput = {
  offerDelegatedAdmin: 'yes',
  // Domains and granting roles to the customer's people are asked for deliberately, never by default.
  roles: adminRoles.filter((r) => r !== 'domains' && r !== 'admin_roles'),
  durationDays: String(DEFAULT_DURATION_DAYS),
  offerReseller: undefined,
  offerKind: '',
  productId: '',
  quantity: '1',
  terms: '',
  email: '',
  mailLocale: '',
  validDays: String(DEFAULT_LINK_DAYS),
};

/** The language an invitation is written in unless the partner person chooses another: their own (stored, else the page's). */
export function defaultMailLocale(c: Context<AppEnv>): Locale {
  return c.get('auth')?.user.locale ?? c.get('i18n').locale;
}

/** "Language of the e-mail": for an address with no account; defaults to the partner person's own language. */
function MailLocaleField({ value }: { value: string | undefined }) {
  const c = useRequestContext<AppEnv>();
  const { t } = c.get('i18n');
  const chosen = isLocale(value) ? value : defaultMailLocale(c);
  return (
    <Field name="mailLocale" label={t('links.new.mailLocale')} hint={t('links.new.mailLocaleHint')}>
      <select id="f-mailLocale" name="mailLocale" aria-describedby="f-mailLocale-hint">
        {locales.map((l) => (
          <option value={l} lang={l} selected={l === chosen}>
            {localeNames[l]}
          </option>
        ))}
      </select>
    </Field>
  );
}

function NewLinkForm({ values, errors, products }: { values: CreateLinkInput; errors?: FieldErrors; products: ProductOption[] }) {
  const i18n = useRequestContext<AppEnv>().get('i18n');
  const { t } = i18n;
  const roles = [values.roles ?? []].flat();
  return (
    <form method="post" action="/portal/links" data-hx-post="/portal/links" data-hx-target="#links" data-hx-swap="outerHTML" class="pane">
      <h2>{t('links.new.title')}</h2>
      <CsrfField />
      <ErrorSummary errors={errors} />
      <fieldset class={errors?.offer || errors?.roles ? 'field invalid' : 'field'}>
        <legend>{t('links.new.asks')}</legend>
        <Checkbox name="offerDelegatedAdmin" value="yes" checked={values.offerDelegatedAdmin === 'yes'} label={t('links.offer.delegatedAdmin')} />
        <fieldset>
          <legend>{t('links.new.roles')}</legend>
          {adminRoles.map((r) => (
            <div class="role-choice">
              <Checkbox name="roles" value={r} checked={roles.includes(r)} label={t(roleLabel[r])} />{' '}
              <EligibleChoice role={r} label={t(roleLabel[r])} value={(values as Record<string, unknown>)[`hours_${r}`]} />
            </div>
          ))}
        </fieldset>
        <Field
          name="durationDays"
          type="number"
          label={t('links.new.duration')}
          hint={t('links.new.durationHint', { max: MAX_DURATION_DAYS })}
          value={values.durationDays}
          error={errors?.durationDays}
          min={1}
          max={MAX_DURATION_DAYS}
          inputmode="numeric"
        />
        <Checkbox name="offerReseller" value="yes" checked={values.offerReseller === 'yes'} label={t('links.offer.reseller')} />
      </fieldset>
      <fieldset class="field">
        <legend>{t('links.new.offer')}</legend>
        {(['', 'trial', 'purchase'] as const).map((kind) => (
          <label>
            <input type="radio" name="offerKind" value={kind} checked={(values.offerKind ?? '') === kind} />{' '}
            {t(kind === '' ? 'links.new.noOffer' : kind === 'trial' ? 'links.new.trial' : 'links.new.purchase')}
          </label>
        ))}
        {/* Hidden by CSS (form:has) while "No offer" is chosen; without CSS they show, and the server ignores them. */}
        <div class="offer-fields">
          <Field name="productId" label={t('links.new.product')} error={errors?.productId}>
            <select id="f-productId" name="productId">
              <option value="">—</option>
              {products.map((p) => (
                <option value={p.id} selected={values.productId === p.id}>
                  {p.trialDays ? `${productName(i18n, p.id, p.name)} (${t('links.new.trialDays', { days: p.trialDays })})` : productName(i18n, p.id, p.name)}
                </option>
              ))}
            </select>
          </Field>
          <Field
            name="quantity"
            type="number"
            label={t('links.new.quantity')}
            value={values.quantity}
            error={errors?.quantity}
            min={1}
            max={MAX_QUANTITY}
            inputmode="numeric"
          />
        </div>
      </fieldset>
      <Field name="terms" label={t('links.new.terms')} hint={t('links.new.termsHint')} error={errors?.terms}>
        <textarea id="f-terms" name="terms" rows={4} maxlength={4000} required>
          {values.terms}
        </textarea>
      </Field>
      <Field name="email" type="email" label={t('links.new.email')} value={values.email} error={errors?.email} required maxlength={254} autocomplete="off" />
      <MailLocaleField value={values.mailLocale} />
      <Field
        name="validDays"
        type="number"
        label={t('links.new.validDays')}
        value={values.validDays}
        error={errors?.validDays}
        min={1}
        max={MAX_LINK_DAYS}
        inputmode="numeric"
      />
      <button class="primary">{t('links.new.submit')}</button>
    </form>
  );
}

export interface LinksView {
  products: ProductOption[];
  links: LinkRow[];
  older: string | null;
  values: CreateLinkInput;
  errors?: FieldErrors;
  /** The link just created, shown once: only its hash is kept. */
  createdUrl?: string | null;
  now: Date;
}

/** The whole page's content; creating a link answers htmx with this section. */
export function LinksSection(v: LinksView) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <section id="links">
      <h1>{t('links.title')}</h1>
      {v.createdUrl && (
        <div class="pane" role="status">
          <h2>{t('links.created.title')}</h2>
          <p>{t('links.created.body')}</p>
          <p id="new-link-label">
            <strong>{t('links.created.label')}</strong>
          </p>
          <Token value={v.createdUrl} id="new-link" />
          {/* Shown by the stylesheet only once the script has found the Clipboard API (html.can-copy). */}
          <button type="button" class="copy" data-copy="new-link" data-copied={t('links.created.copied')} data-failed={t('links.created.copyFailed')}>
            {t('links.created.copy')}
          </button>
        </div>
      )}
      <script src={COPY_SCRIPT_URL} defer></script>
      <NewLinkForm values={v.values} errors={v.errors} products={v.products} />
      <h2>{t('links.list.title')}</h2>
      {v.links.length === 0 ? (
        <p>{t('links.list.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table class="stack">
            <thead>
              <tr>
                <th>{t('links.list.email')}</th>
                <th>{t('links.list.offer')}</th>
                <th>{t('links.list.state')}</th>
                <th>{t('links.list.created')}</th>
                <th>{t('links.list.expires')}</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {v.links.map((link) => (
                <LinkItem link={link} now={v.now} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {v.older && <Pager first="/portal/links" firstLabel={t('links.list.newest')} next={`/portal/links?after=${v.older}`} nextLabel={t('links.list.older')} />}
    </section>
  );
}
