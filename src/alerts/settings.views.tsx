/** Settings → Alerts (global admins): when a partner's password resets are one alert. */
import { useRequestContext } from '#jsx/jsx-runtime';
import type { AppEnv } from '../context.ts';
import { CsrfField, ErrorSummary, Field } from '../ui/form.tsx';
import { Notice } from '../ui/notice.tsx';

export const ALERTS_PAGE = '/settings/alerts';

export function AlertSettingsPage({ value, error, notice }: { value: string; error?: string; notice?: string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <section class="narrow">
      <h1>{t('alerts.settings.title')}</h1>
      <p>{t('alerts.settings.intro')}</p>
      <Notice message={notice} />
      <ErrorSummary errors={error} />
      <form method="post" action={ALERTS_PAGE} class="pane">
        <CsrfField />
        <Field
          name="resetLimit"
          label={t('alerts.settings.resetLimit')}
          hint={t('alerts.settings.resetLimitHint')}
          value={value}
          error={error}
          inputmode="numeric"
          required
          maxlength={3}
        />
        <button class="primary">{t('alerts.settings.save')}</button>
      </form>
    </section>
  );
}
