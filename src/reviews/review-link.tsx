/** The Access review link in a delegated-admin row of Settings → Partner relationships (global admins). */
import { useRequestContext } from '#jsx/jsx-runtime';
import type { AppEnv } from '../context.ts';
import type { Role } from '../db/schema.ts';
import { reviewHref } from './reviews.rules.ts';

export function ReviewLink({ r, role, partnerName }: { r: { id: string; type: string; status: string }; role: Role; partnerName: string }) {
  const { t } = useRequestContext<AppEnv>().get('i18n');
  if (role !== 'global_admin' || r.type !== 'delegated_admin' || r.status !== 'active') return null;
  return (
    <>
      <a href={reviewHref(r.id)} aria-label={t('reviews.linkOf', { partner: partnerName })} class="button">
        {t('reviews.link')}
      </a>{' '}
    </>
  );
}
