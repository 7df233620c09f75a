import { useRequestContext } from '#jsx/jsx-runtime';
import type { AppEnv } from '../context.ts';
import { localeNames, locales, type Locale } from '../i18n/locales.ts';
import { CsrfField, ErrorSummary, Field } from '../ui/form.tsx';

let zones: string[] | null = null;
/** Every IANA zone this runtime knows, UTC first. */
export function timeZones(): string[] {
  return (zones ??= ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')]);
}

export interface PreferencesValues {
  locale: Locale;
  timeZone: string;
}

export function PreferencesPage({ values, error, now }: { values: PreferencesValues; error?: string; now: Date }) {
  const { t, dateTime } = useRequestContext<AppEnv>().get('i18n');
  return (
    <>
      <h1>{t('prefs.title')}</h1>
      <p>{t('prefs.intro')}</p>
      <ErrorSummary errors={error} />
      <form method="post" action="/settings/preferences">
        <CsrfField />
        <Field name="locale" label={t('prefs.language')} hint={t('prefs.languageHint')}>
          <select id="f-locale" name="locale" aria-describedby="f-locale-hint">
            {locales.map((l) => (
              <option value={l} lang={l} selected={l === values.locale}>
                {localeNames[l]}
              </option>
            ))}
          </select>
        </Field>
        <Field name="timeZone" label={t('prefs.timeZone')} hint={t('prefs.timeZoneHint', { now: dateTime(now, values.timeZone) })} error={error}>
          <select id="f-timeZone" name="timeZone" aria-describedby={error ? 'f-timeZone-hint f-timeZone-error' : 'f-timeZone-hint'}>
            {timeZones().map((z) => (
              <option selected={z === values.timeZone}>{z}</option>
            ))}
          </select>
        </Field>
        <button class="primary">{t('prefs.save')}</button>
      </form>
    </>
  );
}
