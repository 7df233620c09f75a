import { Html, useRequestContext } from '#jsx/jsx-runtime';
import type { AppEnv } from '../context.ts';
import { CsrfField, ErrorSummary, Field } from '../ui/form.tsx';
import { PASSKEY_SCRIPT_VERSION } from './passkeys.ts';
import type { TwoStepState } from './two-step.queries.ts';

export interface SetUp {
  keyHex: string;
  keyText: string;
  qr: string;
}

/** The code field of every form here: spaces are fine, so no pattern; digits keypad on phones. */
function CodeField({ error, hint, value }: { error?: string; hint?: string; value?: string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return <Field name="code" label={t('twostep.code')} error={error} hint={hint} value={value} required autocomplete="one-time-code" maxlength={40} />;
}

function SetUpForm({ setUp, error, replacing }: { setUp: SetUp; error?: string; replacing: boolean }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <section aria-labelledby="setup-h">
      <h2 id="setup-h">{replacing ? t('twostep.setup.change') : t('twostep.setup.heading')}</h2>
      <p>{t('twostep.setup.scan')}</p>
      {new Html(setUp.qr)}
      <p>
        {t('twostep.setup.key')}: <code class="secret">{setUp.keyText}</code>
      </p>
      <form method="post" action="/settings/two-step/setup">
        <CsrfField />
        <input type="hidden" name="key" value={setUp.keyHex} />
        <CodeField error={error} hint={t('twostep.setup.enter')} />
        <button class="primary">{replacing ? t('twostep.setup.submitChange') : t('twostep.setup.submit')}</button>
      </form>
    </section>
  );
}

export function TwoStepPage(p: {
  state: TwoStepState;
  setUp: SetUp;
  errors?: { setup?: string; off?: string; name?: string };
  mayTurnOff: boolean;
  notice?: string;
}) {
  const c = useRequestContext<AppEnv>();
  const { t, dateIn, dateTime } = c.get('i18n');
  const zone = c.get('auth')!.user.timeZone;
  const { state, errors } = p;
  const on = state.enabledAt !== null;
  return (
    <>
      <h1>{t('twostep.title')}</h1>
      {p.notice && (
        <p class="notice" role="status">
          {p.notice}
        </p>
      )}
      <p>{t('twostep.intro')}</p>
      <ErrorSummary errors={errors} />
      <p>
        <strong>{on ? t('twostep.status.on', { date: dateIn(new Date(state.enabledAt!), zone) }) : t('twostep.status.off')}</strong>
      </p>
      {on && (
        <section aria-labelledby="codes-h">
          <h2 id="codes-h">{t('twostep.codes.heading')}</h2>
          <p>{t('twostep.codes.left', { count: state.recoveryLeft })}</p>
          <form method="post" action="/settings/two-step/recovery-codes">
            <CsrfField />
            <p class="hint">{t('twostep.codes.newHint')}</p>
            <button>{t('twostep.codes.new')}</button>
          </form>
        </section>
      )}
      {on && (
        <section aria-labelledby="passkeys-h">
          <h2 id="passkeys-h">{t('twostep.passkeys.heading')}</h2>
          <p>{t('twostep.passkeys.intro')}</p>
          {state.passkeys.length === 0 ? (
            <p>{t('twostep.passkeys.none')}</p>
          ) : (
            <ul class="passkeys">
              {state.passkeys.map((k) => (
                <li>
                  <strong>{k.name}</strong> · {t('twostep.passkeys.addedOn', { date: dateTime(new Date(k.createdAt), zone) })}
                  {k.lastUsedAt ? ` · ${t('twostep.passkeys.lastUsed', { date: dateTime(new Date(k.lastUsedAt), zone) })}` : ''}
                  <form method="post" action={`/settings/two-step/passkeys/${k.id}/remove`} class="inline">
                    <CsrfField />
                    <button aria-label={t('twostep.passkeys.removeOf', { name: k.name })}>{t('twostep.passkeys.remove')}</button>
                  </form>
                </li>
              ))}
            </ul>
          )}
          <form method="post" action="/settings/two-step/passkeys" id="passkey-add" data-options="/settings/two-step/passkeys/options" hidden>
            <CsrfField />
            <Field name="name" label={t('twostep.passkeys.name')} hint={t('twostep.passkeys.nameHint')} error={errors?.name} required maxlength={60} />
            <input type="hidden" name="attestation" value="" />
            <input type="hidden" name="clientData" value="" />
            <p class="passkey-failed" role="alert" hidden>
              {t('twostep.passkeys.failed')}
            </p>
            <button>{t('twostep.passkeys.add')}</button>
          </form>
          <noscript>
            <p>{t('twostep.passkeys.needsJs')}</p>
          </noscript>
        </section>
      )}
      <SetUpForm setUp={p.setUp} error={errors?.setup} replacing={on} />
      {on && (
        <section aria-labelledby="off-h">
          <h2 id="off-h">{t('twostep.off.heading')}</h2>
          {p.mayTurnOff ? (
            <form method="post" action="/settings/two-step/disable">
              <CsrfField />
              <Field
                name="offCode"
                label={t('twostep.code')}
                hint={t('twostep.off.hint')}
                error={errors?.off}
                required
                autocomplete="one-time-code"
                maxlength={40}
              />
              <button>{t('twostep.off.submit')}</button>
            </form>
          ) : (
            <p>{t('twostep.off.required')}</p>
          )}
        </section>
      )}
      {on && <script src={`/two-step/passkey.js?v=${PASSKEY_SCRIPT_VERSION}`} defer></script>}
    </>
  );
}

/** Shown once, as the answer to the request that made them: only their hashes are kept. */
export function RecoveryCodesPage({ codes, notice }: { codes: string[]; notice?: string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <>
      <h1>{t('twostep.codes.shownTitle')}</h1>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <p>{t('twostep.codes.shownIntro')}</p>
      <ol class="recovery-codes">
        {codes.map((code) => (
          <li>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <p>
        <a class="button primary" href="/settings/two-step">
          {t('twostep.codes.done')}
        </a>
      </p>
    </>
  );
}

export function SecondStepPage({ next, error, passkeys }: { next: string; error?: string; passkeys: boolean }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <section class="narrow">
      <h1>{t('twostep.signin.title')}</h1>
      <p>{t('twostep.signin.intro')}</p>
      <ErrorSummary errors={error} />
      <form method="post" action="/signin/two-step">
        <CsrfField />
        <input type="hidden" name="next" value={next} />
        <CodeField error={error} />
        <button class="primary">{t('twostep.signin.submit')}</button>
      </form>
      {passkeys && (
        <form method="post" action="/signin/two-step/passkey" id="passkey-signin" data-options="/signin/two-step/passkey/options" hidden>
          <CsrfField />
          <input type="hidden" name="next" value={next} />
          <input type="hidden" name="credentialId" value="" />
          <input type="hidden" name="authenticatorData" value="" />
          <input type="hidden" name="clientData" value="" />
          <input type="hidden" name="signature" value="" />
          <p class="passkey-failed" role="alert" hidden>
            {t('twostep.signin.passkeyFailed')}
          </p>
          <button>{t('twostep.signin.passkey')}</button>
        </form>
      )}
      <form method="post" action="/signout">
        <CsrfField />
        <button>{t('twostep.signin.other')}</button>
      </form>
      {passkeys && <script src={`/two-step/passkey.js?v=${PASSKEY_SCRIPT_VERSION}`} defer></script>}
    </section>
  );
}

export function PartnerNeedsTwoStepPage() {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <section class="error-page">
      <h1>{t('twostep.partner.title')}</h1>
      <p>{t('twostep.partner.body')}</p>
      <p>
        <a class="button primary" href="/settings/two-step">
          {t('twostep.partner.link')}
        </a>
      </p>
    </section>
  );
}

export function PolicyPage({ required }: { required: boolean }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <>
      <h1>{t('twostep.policy.title')}</h1>
      <form method="post" action="/settings/security">
        <CsrfField />
        <fieldset>
          <legend>{t('twostep.policy.heading')}</legend>
          <div class="field">
            <label>
              <input type="checkbox" id="f-requireTwoStep" name="requireTwoStep" value="on" checked={required} aria-describedby="f-requireTwoStep-hint" />{' '}
              {t('twostep.policy.require')}
            </label>
            <small id="f-requireTwoStep-hint" class="hint">
              {t('twostep.policy.hint')}
            </small>
          </div>
        </fieldset>
        <button class="primary">{t('twostep.policy.save')}</button>
      </form>
    </>
  );
}
