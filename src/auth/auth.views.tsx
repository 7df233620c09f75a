import { useRequestContext } from '#jsx/jsx-runtime';
import { countryCodes, countryName } from '../catalog/countries.ts';
import type { AppEnv } from '../context.ts';
import { CsrfField, ErrorSummary, Field, type FieldErrors } from '../ui/form.tsx';

export interface SignInValues {
  email?: string;
  next?: string;
}

export function SignInPage({ values, error }: { values: SignInValues; error?: string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <section class="narrow">
      <h1>{t('auth.signin.title')}</h1>
      <ErrorSummary errors={error} />
      <form method="post" action="/signin">
        <CsrfField />
        <input type="hidden" name="next" value={values.next ?? '/'} />
        <Field name="email" type="email" label={t('auth.email')} value={values.email} required autocomplete="username" maxlength={254} />
        <Field name="password" type="password" label={t('auth.password')} required autocomplete="current-password" maxlength={200} />
        <button class="primary">{t('auth.signin.submit')}</button>
      </form>
      <p>
        {t('auth.signin.noAccount')}{' '}
        <a href={values.next && values.next !== '/' ? `/signup?next=${encodeURIComponent(values.next)}` : '/signup'}>{t('auth.signup.title')}</a>
      </p>
    </section>
  );
}

export interface SignUpValues {
  orgName?: string;
  country?: string;
  name?: string;
  email?: string;
  next?: string;
}

export function SignUpPage({ values, errors }: { values: SignUpValues; errors?: FieldErrors }) {
  const { t, locale } = useRequestContext<AppEnv>().get('i18n');
  return (
    <section class="narrow">
      <h1>{t('auth.signup.title')}</h1>
      <p>{t('auth.signup.intro')}</p>
      <ErrorSummary errors={errors} />
      <form method="post" action="/signup">
        <CsrfField />
        <input type="hidden" name="next" value={values.next ?? '/'} />
        <Field name="orgName" label={t('auth.orgName')} value={values.orgName} error={errors?.orgName} required maxlength={120} autocomplete="organization" />
        <Field name="country" label={t('auth.country')} error={errors?.country} hint={t('auth.countryHint')}>
          <select id="f-country" name="country" required>
            <option value="">—</option>
            {countryCodes.map((code) => (
              <option value={code} selected={values.country === code}>
                {countryName(locale, code)}
              </option>
            ))}
          </select>
        </Field>
        <Field name="name" label={t('auth.name')} value={values.name} error={errors?.name} required maxlength={120} autocomplete="name" />
        <Field name="email" type="email" label={t('auth.email')} value={values.email} error={errors?.email} required maxlength={254} autocomplete="email" />
        <Field
          name="password"
          type="password"
          label={t('auth.password')}
          error={errors?.password}
          hint={t('auth.passwordHint')}
          required
          autocomplete="new-password"
          maxlength={200}
        />
        <button class="primary">{t('auth.signup.submit')}</button>
      </form>
      <p>
        {t('auth.signup.haveAccount')} <a href="/signin">{t('auth.signin.title')}</a>
      </p>
    </section>
  );
}
