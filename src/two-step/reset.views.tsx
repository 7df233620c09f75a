import { useRequestContext } from '#jsx/jsx-runtime';
import type { AppEnv } from '../context.ts';
import { CsrfField } from '../ui/form.tsx';

/**
 * On an admin's page, for the organization's own global admin (never a partner, never for oneself: one's
 * own is reset with a recovery code): reset that admin's two-step sign-in.
 */
export function TwoStepResetSection({
  user,
  actor,
}: {
  user: { id: string; role: string; adminRoles: string[] };
  actor: { id: string; role?: string; partner: boolean };
}) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  const admin = user.role === 'global_admin' || user.role === 'billing_admin' || user.adminRoles.length > 0;
  if (actor.partner || actor.role !== 'global_admin' || actor.id === user.id || !admin) return null;
  return (
    <section id="user-two-step" aria-labelledby="user-two-step-h">
      <h2 id="user-two-step-h">{t('twostep.admin.heading')}</h2>
      <form method="post" action={`/users/${user.id}/two-step/reset`}>
        <CsrfField />
        <p class="hint">{t('twostep.admin.resetHint')}</p>
        <button>{t('twostep.admin.reset')}</button>
      </form>
    </section>
  );
}
