/** Ending a relationship: the confirmation (a fragment or a page) and the e-mail, for both sides (remove.routes.tsx). */
import { useRequestContext } from '#jsx/jsx-runtime';
import type { AppEnv } from '../context.ts';
import { i18n, type I18n, type MessageKey } from '../i18n/index.ts';
import { CsrfField } from '../ui/form.tsx';
import type { EndMail, RelationshipWithNames } from './relationships.queries.ts';
import { leftBehindMailTexts } from './left-behind.queries.ts';
import { typeLabel } from './row.views.tsx';

/** The e-mail about an ended relationship in every language; the database picks each recipient's. */
export function endMail(): EndMail {
  const one = (i: I18n) => ({
    ...oneTexts(i),
    leftBehind: leftBehindMailTexts(i),
  });
  const oneTexts = ({ t }: I18n) => ({
    subject: t('rel.mail.ended.subject'),
    body: t('rel.mail.ended.body'),
    typeLabels: { reseller: t('rel.type.reseller'), delegated_admin: t('rel.type.delegated_admin'), advisor: t('rel.type.advisor') },
  });
  return { en: one(i18n('en')), pl: one(i18n('pl')), zh: one(i18n('zh')) };
}

/** The confirmation step: a plain form (works without JS), swapped in place of the Remove link with htmx. */
export function RemoveConfirm({ r, action, cancel, section }: { r: RelationshipWithNames; action: string; cancel: string; section: string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  // The warning names what was granted, not a fixed list.
  const roles = r.roles.map((x) => t(`rel.role.${x}` as MessageKey)).join(t('common.listSeparator'));
  const names = { partner: r.partnerName, customer: r.customerName, type: typeLabel(t, r.type), roles };
  return (
    <form method="post" action={action} data-hx-post={action} data-hx-target={`#${section}`} data-hx-swap="outerHTML" class="pane confirm">
      <CsrfField />
      <p>
        <strong>{t('rel.confirm.title', names)}</strong>
      </p>
      <p>{t(`rel.confirm.${r.type}`, names)}</p>
      <div class="actions">
        <button class="danger">{t('rel.confirm.submit')}</button>
        <a href={cancel}>{t('common.cancel')}</a>
      </div>
    </form>
  );
}

export function ConfirmPage({ r, action, cancel, section }: { r: RelationshipWithNames; action: string; cancel: string; section: string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <section id={section} class="narrow">
      <h1>{t('rel.title')}</h1>
      <RemoveConfirm r={r} action={action} cancel={cancel} section={section} />
    </section>
  );
}
