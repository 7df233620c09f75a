import { useRequestContext } from '#jsx/jsx-runtime';
import { Token } from '../ui/token.tsx';
import type { AppEnv } from '../context.ts';
import type { MessageKey } from '../i18n/index.ts';
import { CsrfField, ErrorSummary, Field } from '../ui/form.tsx';
import type { DomainRow } from './domains.queries.ts';
import { mixedScripts, shownName, txtValue } from './domains.rules.ts';
import { Notice } from '../ui/notice.tsx';

export interface RowState {
  notice?: string;
  error?: string;
}

/** One domain: its state, the TXT record to create while unverified, and what can be done with it. The htmx fragment of verify and remove. */
export function DomainItem({ d, base, state = {} }: { d: DomainRow; base: string; state?: RowState }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  const unicode = shownName(d.name);
  const mixed = mixedScripts(unicode);
  // A name mixing scripts is named with its punycode everywhere, buttons included: a look-alike cannot pass.
  const name = mixed ? `${unicode} (${d.name})` : unicode;
  const target = `#domain-${d.id}`;
  const status = [d.verified ? t('domains.verified') : t('domains.unverified'), d.isDefault && t('domains.default'), d.isInitial && t('domains.initial')]
    .filter(Boolean)
    .join(' · ');
  return (
    <tr id={`domain-${d.id}`}>
      <td data-label={t('domains.col.name')}>
        <strong>{unicode}</strong>
        {unicode !== d.name && <span class="muted"> ({d.name})</span>}
        {mixed && (
          <p>
            <strong class="badge error">{t('domains.mixedScripts', { scripts: mixed.map((x) => t(`domains.script.${x}` as MessageKey)).join(', ') })}</strong>
          </p>
        )}
      </td>
      <td data-label={t('domains.col.status')}>
        {status}
        <Notice message={state.notice} />
        <ErrorSummary errors={state.error} />
        {!d.verified && (
          <p>
            {t('domains.txt', { name: d.name })} <Token value={txtValue(d.txtToken)} />
          </p>
        )}
      </td>
      <td data-label={t('domains.col.actions')}>
        {!d.verified && (
          <form
            method="post"
            action={`${base}/${d.id}/verify`}
            data-hx-post={`${base}/${d.id}/verify`}
            data-hx-target={target}
            data-hx-swap="outerHTML"
            class="inline"
          >
            <CsrfField />
            <button class="primary" aria-label={`${t('domains.verify')}: ${name}`}>
              {t('domains.verify')}
            </button>
          </form>
        )}
        {d.verified && !d.isDefault && (
          <form method="post" action={`${base}/${d.id}/default`} class="inline">
            <CsrfField />
            <button aria-label={`${t('domains.makeDefault')}: ${name}`}>{t('domains.makeDefault')}</button>
          </form>
        )}
        {!d.isDefault && !d.isInitial && (
          <form
            method="post"
            action={`${base}/${d.id}/remove`}
            data-hx-post={`${base}/${d.id}/remove`}
            data-hx-target={target}
            data-hx-swap="outerHTML"
            class="inline"
          >
            <CsrfField />
            <button class="danger" aria-label={`${t('domains.remove')}: ${name}`}>
              {t('domains.remove')}
            </button>
          </form>
        )}
      </td>
    </tr>
  );
}

export function DomainsPage(props: {
  orgName: string;
  partner: string | null;
  domains: DomainRow[];
  base: string;
  value?: string;
  error?: string;
  rows?: Record<string, RowState>;
}) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  const { base } = props;
  return (
    <>
      <h1>{props.partner ? `${props.orgName} · ${t('domains.title')}` : t('domains.title')}</h1>
      {props.partner && <p class="pane">{t('domains.onBehalf', { customer: props.orgName, partner: props.partner })}</p>}
      <p>{t('domains.intro')}</p>
      <div class="table-wrap">
        <table class="stack">
          <thead>
            <tr>
              <th>{t('domains.col.name')}</th>
              <th>{t('domains.col.status')}</th>
              <th>{t('domains.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {props.domains.map((d) => (
              <DomainItem d={d} base={base} state={props.rows?.[d.id]} />
            ))}
          </tbody>
        </table>
      </div>
      <form method="post" action={base} class="pane">
        <h2>{t('domains.add')}</h2>
        <CsrfField />
        <Field name="name" label={t('domains.name')} hint={t('domains.nameHint')} value={props.value} error={props.error} required maxlength={253} />
        <button class="primary">{t('domains.add.submit')}</button>
      </form>
    </>
  );
}

/** "Users: Uma User, Alex Admin" for a refusal. */
export const problemKey = (p: string) => `domains.error.${p}` as MessageKey;
