/**
 * Suspend and resume (issue 24 §4): the row's control, the confirm page the row and the alert mails link to
 * (a plain POST form: JavaScript off works), the partner's refusal page and the mails to both sides.
 */
import { useRequestContext } from '#jsx/jsx-runtime';
import type { AppEnv } from '../context.ts';
import type { Role } from '../db/schema.ts';
import { i18n, type I18n, type MessageKey } from '../i18n/index.ts';
import { CsrfField, ErrorSummary } from '../ui/form.tsx';
import { ErrorPage } from '../ui/error-page.tsx';
import { effectiveStatus } from './relationships.rules.ts';
import type { RelationshipRow } from './relationships.queries.ts';
import type { SuspendMail } from './suspend.queries.ts';
import { maySuspend } from './suspend.rules.ts';

export const SUSPEND_BASE = '/settings/partner-relationships/partners';
export const suspendHref = (partnerOrgId: string) => `${SUSPEND_BASE}/${partnerOrgId}/suspend`;
export const resumeHref = (partnerOrgId: string) => `${SUSPEND_BASE}/${partnerOrgId}/resume`;

/** An active delegated admin the customer has suspended (an expired or ended one is not "suspended"). */
export const isSuspended = (r: RelationshipRow, now: Date) => r.type === 'delegated_admin' && !!r.suspendedAt && effectiveStatus(r, now) === 'active';

/** The mails of a suspension or a resumption in every language; the database picks each recipient's. */
export function suspendMail(suspend: boolean): SuspendMail {
  const one = ({ t }: I18n) =>
    suspend
      ? { subject: t('rel.suspend.mail.suspended.subject'), body: t('rel.suspend.mail.suspended.body') }
      : { subject: t('rel.suspend.mail.resumed.subject'), body: t('rel.suspend.mail.resumed.body') };
  return { en: one(i18n('en')), pl: one(i18n('pl')), zh: one(i18n('zh')) };
}

/**
 * In a delegated-admin row of Partner relationships: Suspend (a link to the confirm page, swapped in place
 * with htmx) or, when suspended, Resume (a POST button: resuming restores what the customer already
 * granted). For anyone but a global admin, the button disabled with the reason.
 */
export function SuspendControl({ r, partner, role, now }: { r: RelationshipRow; partner: { orgId: string; name: string }; role: Role; now: Date }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  if (r.type !== 'delegated_admin' || effectiveStatus(r, now) !== 'active') return null;
  const suspended = isSuspended(r, now);
  const label = t(suspended ? 'rel.suspend.resume' : 'rel.suspend.button');
  const name = t(suspended ? 'rel.suspend.resumeOf' : 'rel.suspend.buttonOf', { partner: partner.name });
  if (!maySuspend(role)) {
    return (
      <>
        {' '}
        <button type="button" disabled aria-label={name} aria-describedby={`why-suspend-${r.id}`}>
          {label}
        </button>{' '}
        <small id={`why-suspend-${r.id}`} class="hint">
          {t('rel.suspend.why.globalAdminOnly')}
        </small>
      </>
    );
  }
  if (suspended) {
    const action = resumeHref(partner.orgId);
    return (
      <form method="post" action={action} data-hx-post={action} data-hx-target="#partner-relationships" data-hx-swap="outerHTML" class="inline">
        <CsrfField />
        <button class="primary" aria-label={name}>
          {label}
        </button>
      </form>
    );
  }
  const href = suspendHref(partner.orgId);
  return (
    <form method="get" action={href} data-hx-get={href} data-hx-target="closest td" data-hx-swap="innerHTML" class="inline">
      <button aria-label={name}>{label}</button>
    </form>
  );
}

export interface SuspendTarget {
  partnerOrgId: string;
  partnerName: string;
  customerName: string;
  /** The active delegated admin's roles; null: there is none (ended, expired or never). */
  roles: string[] | null;
  suspended: boolean;
}

/** The confirm step (or, when there is nothing to suspend, why): a fragment in the row, or the body of the page. */
export function SuspendConfirm({ s, error }: { s: SuspendTarget; error?: string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  const names = { partner: s.partnerName, customer: s.customerName };
  if (s.roles === null) return <ErrorSummary errors={error ?? t('rel.suspend.notActive', names)} />;
  if (s.suspended) {
    const action = resumeHref(s.partnerOrgId);
    return (
      <form method="post" action={action} class="pane confirm">
        <CsrfField />
        <ErrorSummary errors={error ?? t('rel.suspend.already', names)} />
        <div class="actions">
          <button class="primary" aria-label={t('rel.suspend.resumeOf', names)}>
            {t('rel.suspend.resume')}
          </button>
          <a href="/settings/partner-relationships">{t('common.cancel')}</a>
        </div>
      </form>
    );
  }
  const action = suspendHref(s.partnerOrgId);
  const roles = s.roles.map((x) => t(`rel.role.${x}` as MessageKey)).join(t('common.listSeparator'));
  return (
    <form method="post" action={action} data-hx-post={action} data-hx-target="#partner-relationships" data-hx-swap="outerHTML" class="pane confirm">
      <CsrfField />
      <ErrorSummary errors={error} />
      <p>
        <strong>{t('rel.suspend.title', names)}</strong>
      </p>
      <p>{t('rel.suspend.intro', { ...names, roles })}</p>
      <div class="actions">
        <button class="danger">{t('rel.suspend.submit')}</button>
        <a href="/settings/partner-relationships">{t('common.cancel')}</a>
      </div>
    </form>
  );
}

/** The page the row's link (JavaScript off) and the alert mails open. */
export function SuspendPage({ s, error }: { s: SuspendTarget; error?: string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <section id="partner-relationships" class="narrow">
      <p>
        <a href="/settings/partner-relationships">{t('rel.backToList')}</a>
      </p>
      <h1>{t('rel.suspend.title', { partner: s.partnerName })}</h1>
      <SuspendConfirm s={s} error={error} />
    </section>
  );
}

/** What a partner person gets for any request on behalf of a customer that suspended it: 403, with both names. */
export function SuspendedRefusal({ customer, partner }: { customer: string; partner: string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return <ErrorPage title={t('rel.suspend.refused.title')} body={t('rel.suspend.refused.body', { customer, partner })} />;
}

/** In the partner portal, under a customer whose delegated admin is suspended (instead of "Open admin center"). */
export function SuspendedNote({ customer }: { customer: string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return <p class="notice notice-error">{t('rel.suspend.portal', { customer })}</p>;
}
