import { useRequestContext } from '#jsx/jsx-runtime';
import type { AppEnv } from '../context.ts';
import { localeNames, locales, type Locale } from '../i18n/locales.ts';
import { CsrfField, ErrorSummary, Field } from '../ui/form.tsx';
import type { SessionListItem } from './sessions.ts';
import { describeUserAgent } from './user-agent.ts';
import { zoneList } from './zones.ts';

/** The zone select: the reader's current zone first, then every zone by region, named in the reader's language. */
function ZoneOptions({ locale, current }: { locale: Locale; current: string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  const { groups, byId } = zoneList(locale);
  return (
    <>
      <optgroup label={t('prefs.zone.current')}>
        <option value={current} selected>
          {byId.get(current)?.label ?? current}
        </option>
      </optgroup>
      {groups.map((g) => (
        <optgroup label={g.label}>
          {g.zones.map((z) => (
            <option value={z.id}>{z.label}</option>
          ))}
        </optgroup>
      ))}
    </>
  );
}

export interface PreferencesValues {
  locale: Locale;
  timeZone: string;
}

export function PreferencesPage({
  values,
  error,
  now,
  sessions,
  passwordErrors,
}: {
  values: PreferencesValues;
  error?: string;
  now: Date;
  sessions: SessionListItem[];
  passwordErrors?: { currentPassword?: string; newPassword?: string };
}) {
  const { t, dateTime, locale } = useRequestContext<AppEnv>().get('i18n');
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
            <ZoneOptions locale={locale} current={values.timeZone} />
          </select>
        </Field>
        <button class="primary">{t('prefs.save')}</button>
      </form>
      <section aria-labelledby="password-h">
        <h2 id="password-h">{t('twostep.password.heading')}</h2>
        <ErrorSummary errors={passwordErrors} />
        <form method="post" action="/settings/password">
          <CsrfField />
          <Field
            name="currentPassword"
            type="password"
            label={t('twostep.password.current')}
            error={passwordErrors?.currentPassword}
            required
            autocomplete="current-password"
            maxlength={200}
          />
          <Field
            name="newPassword"
            type="password"
            label={t('twostep.password.new')}
            hint={t('twostep.password.hint')}
            error={passwordErrors?.newPassword}
            required
            autocomplete="new-password"
            maxlength={200}
          />
          <button>{t('twostep.password.submit')}</button>
        </form>
      </section>
      <h2>{t('twostep.link')}</h2>
      <p>
        <a href="/settings/two-step">{t('twostep.link')}</a>
      </p>
      <Sessions sessions={sessions} />
    </>
  );
}

function Sessions({ sessions }: { sessions: SessionListItem[] }) {
  const c = useRequestContext<AppEnv>();
  const { t, dateTime } = c.get('i18n');
  const auth = c.get('auth')!;
  const zone = auth.user.timeZone;
  const words = (ua: string) => {
    const { browser, os } = describeUserAgent(ua);
    return browser ? t('twostep.ua.on', { browser, os: os ?? t('twostep.ua.unknownOs') }) : t('twostep.ua.unknown');
  };
  return (
    <section aria-labelledby="sessions-h">
      <h2 id="sessions-h">{t('twostep.sessions.heading')}</h2>
      <p>{t('twostep.sessions.intro')}</p>
      <ul class="sessions">
        {sessions.map((s) => (
          <li>
            <strong>{words(s.userAgent)}</strong>
            {s.publicId === auth.twoStep.sessionPublicId && <> · {t('twostep.sessions.this')}</>}
            <br />
            {t('twostep.sessions.started')}: {dateTime(new Date(s.createdAt), zone)} · {t('twostep.sessions.lastSeen')}:{' '}
            {dateTime(new Date(s.lastSeenAt), zone)}
            {s.publicId !== auth.twoStep.sessionPublicId && (
              <form method="post" action={`/settings/sessions/${s.publicId}/signout`} class="inline">
                <CsrfField />
                <button aria-label={t('twostep.sessions.signOutOf', { browser: words(s.userAgent), date: dateTime(new Date(s.createdAt), zone) })}>
                  {t('twostep.sessions.signOut')}
                </button>
              </form>
            )}
          </li>
        ))}
      </ul>
      {sessions.length > 1 && (
        <form method="post" action="/settings/sessions/signout-others">
          <CsrfField />
          <button>{t('twostep.sessions.signOutOthers')}</button>
        </form>
      )}
    </section>
  );
}
