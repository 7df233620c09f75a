/**
 * The Partner information pane: one markup for every place that shows a partner of record (subscription
 * details, checkout). Each place gives it the URL its forms post to; the fields are the same everywhere:
 * `action=add` with `partnerId` (and `confirm=1` once the name was shown), or `action=remove`.
 */
import { useRequestContext } from '#jsx/jsx-runtime';
import { countryName } from '../catalog/countries.ts';
import { productName } from '../catalog/text.ts';
import type { AppEnv } from '../context.ts';
import type { I18n } from '../i18n/index.ts';
import { CsrfField, ErrorSummary, Field } from '../ui/form.tsx';
import { Notice } from '../ui/notice.tsx';
import { mayChangePartnerOfRecord, type ChangeRefusal, type Ineligibility } from './partner-of-record.rules.ts';

/** A refusal as the message needs it: which rule, and for eligibility which part was missing. */
export type Refusal = { error: Exclude<ChangeRefusal['error'], 'ineligible'> | 'partnerIdFormat' } | { error: 'ineligible'; reason: Ineligibility };

const useI18n = () => useRequestContext<AppEnv>().get('i18n');

/** What the pane shows about the thing (subscription or order) whose partner of record it is. */
export interface PaneSubject {
  /** Where the pane's forms post. */
  action: string;
  partner: { name: string; partnerId: string } | null;
  /** The subscription's version, carried by the forms so a stale form is refused. */
  version?: number;
  /** The partner of record is the reseller: only the reseller may change or remove it. */
  heldByReseller?: boolean;
  /** The sentence shown when there is no partner of record yet. */
  emptyText: string;
  /** With confirmation: where Cancel goes. */
  cancelHref?: string;
}

export interface PaneState {
  /** What was typed in the Partner ID field. */
  partnerId?: string;
  /** A partner found by that ID, shown by name for confirmation before it is added. */
  confirm?: { name: string; partnerId: string } | null;
  error?: string;
  message?: string;
}

export function PartnerIdShort({ partnerId }: { partnerId: string }) {
  const { t } = useI18n();
  return <span class="muted">({t('subs.partnerIdShort', { id: partnerId })})</span>;
}

/** The side pane "Partner information": the section htmx swaps after add and remove. */
export function PartnerPane({ subject, state }: { subject: PaneSubject; state: PaneState }) {
  const { t } = useI18n();
  const { action, partner } = subject;
  // The reseller rule: what only the reseller may do is not offered; the reason is said instead.
  const held = !mayChangePartnerOfRecord({ heldByReseller: !!subject.heldByReseller }, 'customer');
  const hx = { 'data-hx-post': action, 'data-hx-target': '#partner-info', 'data-hx-swap': 'outerHTML' };
  const Hidden = () => (
    <>
      <CsrfField />
      {subject.version !== undefined && <input type="hidden" name="version" value={subject.version} />}
    </>
  );
  return (
    <section id="partner-info" class="pane" aria-labelledby="partner-info-title">
      <h2 id="partner-info-title">{t('subs.partnerInfo')}</h2>
      <ErrorSummary errors={state.error} />
      <Notice message={state.message} />
      {partner ? (
        <form method="post" action={action} {...hx} class="actions">
          <Hidden />
          <p>
            {t('subs.partnerOfRecord')}: <strong>{partner.name}</strong> <PartnerIdShort partnerId={partner.partnerId} />
          </p>
          <button
            name="action"
            value="remove"
            class="danger"
            disabled={held}
            aria-label={t('subs.removeOf', { partner: partner.name })}
            aria-describedby={held ? 'reseller-reason' : undefined}
          >
            {t('subs.remove')}
          </button>
          {held && (
            <small id="reseller-reason" class="muted">
              {t('subs.resellerReason', { partner: partner.name })}
            </small>
          )}
        </form>
      ) : (
        <p>{subject.emptyText}</p>
      )}
      {held ? null : state.confirm ? (
        <form method="post" action={action} {...hx}>
          <Hidden />
          <input type="hidden" name="partnerId" value={state.confirm.partnerId} />
          <input type="hidden" name="confirm" value="1" />
          <p>
            {t('purchase.confirmPartner')} <strong>{state.confirm.name}</strong> <PartnerIdShort partnerId={state.confirm.partnerId} />
          </p>
          <div class="actions">
            <button name="action" value="add" class="primary">
              {t('purchase.confirm')}
            </button>
            {subject.cancelHref && <a href={subject.cancelHref}>{t('common.cancel')}</a>}
          </div>
        </form>
      ) : (
        <form method="post" action={action} {...hx}>
          <Hidden />
          <Field
            name="partnerId"
            label={partner ? t('subs.changePartnerId') : t('subs.partnerId')}
            value={state.partnerId}
            error={state.partnerId === undefined ? undefined : state.error}
            hint={partner ? t('subs.changeHint', { partner: partner.name }) : t('subs.partnerIdHint')}
            inputmode="numeric"
            maxlength={12}
            autocomplete="off"
            required
          />
          <button name="action" value="add" class="primary">
            {t('subs.add')}
          </button>
        </form>
      )}
    </section>
  );
}

/** The sentence a refused change shows, naming what was wrong. */
export function refusalMessage(i: I18n, refusal: Refusal, ctx: { partner?: string; product?: string; productId?: string; country: string }): string {
  const { t } = i;
  const product = ctx.productId ? productName(i, ctx.productId, ctx.product ?? ctx.productId) : (ctx.product ?? '');
  const params = { partner: ctx.partner ?? '', product, country: countryName(i.locale, ctx.country) };
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
