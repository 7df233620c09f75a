import { useRequestContext } from '#jsx/jsx-runtime';
import type { AppEnv } from '../context.ts';
import { devMailboxOpen } from '../mail/mailbox.routes.tsx';
import { CsrfField, ErrorSummary } from '../ui/form.tsx';

/** Without SMTP_URL, where the mail really is: the development mailbox (signed in, the person's own mail). */
function DevMailboxHint() {
  const c = useRequestContext<AppEnv>();
  if (!devMailboxOpen(c.get('deps').env)) return null;
  const { t } = c.get('i18n');
  return (
    <p class="pane">
      {t('auth.devMailbox.hint')} <a href="/dev/mailbox">{t('auth.devMailbox.open')}</a>
    </p>
  );
}

export function SignUpSentPage() {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <section class="narrow">
      <h1>{t('auth.signup.sent.title')}</h1>
      <p>{t('auth.signup.sent.body')}</p>
      <DevMailboxHint />
      <p>
        <a class="button primary" href="/signin">
          {t('auth.signin.title')}
        </a>
      </p>
    </section>
  );
}

export function VerifyPendingPage({ email, error }: { email: string; error?: string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <section class="narrow">
      <h1>{t('auth.verify.title')}</h1>
      <ErrorSummary errors={error} />
      <p>{t('auth.verify.pending', { email })}</p>
      <DevMailboxHint />
      <p>{t('auth.verify.resendIntro')}</p>
      <form method="post" action="/verify-email/resend">
        <CsrfField />
        <button>{t('auth.verify.resend')}</button>
      </form>
    </section>
  );
}

export function VerifyConfirmPage({ token }: { token: string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  return (
    <section class="narrow">
      <h1>{t('auth.verify.title')}</h1>
      <p>{t('auth.verify.confirmIntro')}</p>
      <form method="post" action="/verify-email/confirm">
        <CsrfField />
        <input type="hidden" name="token" value={token} />
        <button class="primary">{t('auth.verify.confirm')}</button>
      </form>
    </section>
  );
}
