import { Hono } from 'hono';
import { useRequestContext } from '#jsx/jsx-runtime';
import { productName } from '../catalog/text.ts';
import type { AppEnv } from '../context.ts';
import { requireRole } from '../authorization/require-role.ts';
import { licensesOfUser, progressOf, type OwnLicense, type Progress } from './home.queries.ts';

/** A new organization's next steps, those not done yet: buy, find a partner, add users, verify a domain. */
function NextSteps({ progress }: { progress: Progress }) {
  const c = useRequestContext<AppEnv>();
  const { t } = c.get('i18n');
  const global = c.get('auth')!.user.role === 'global_admin';
  const steps = [
    !progress.bought && { href: '/purchase', label: t('home.step.buy'), hint: t('home.step.buyHint') },
    !progress.hasPartner && { href: '/partners', label: t('home.step.partner'), hint: t('home.step.partnerHint') },
    global && !progress.hasUsers && { href: '/users/new', label: t('home.step.users'), hint: t('home.step.usersHint') },
    global && !progress.hasDomain && { href: '/domains', label: t('home.step.domain'), hint: t('home.step.domainHint') },
  ].filter((s) => !!s);
  if (steps.length === 0) return null;
  return (
    <>
      <h2>{t('home.nextSteps')}</h2>
      <ul class="cols steps-next">
        {steps.map((s) => (
          <li class="pane">
            <a href={s.href}>{s.label}</a>
            <p class="hint">{s.hint}</p>
          </li>
        ))}
      </ul>
    </>
  );
}

function HomePage({ licenses, progress }: { licenses: OwnLicense[]; progress: Progress | null }) {
  const c = useRequestContext<AppEnv>();
  const i18n = c.get('i18n');
  const { t, date } = i18n;
  const auth = c.get('auth')!;
  return (
    <section>
      <h1>{t('home.welcome', { name: auth.user.name })}</h1>
      {auth.user.role !== 'user' && <p>{t('home.adminIntro')}</p>}
      {progress && <NextSteps progress={progress} />}
      <h2>{t('home.licenses')}</h2>
      {licenses.length === 0 ? (
        <p>{t('home.noLicenses')}</p>
      ) : (
        <ul>
          {licenses.map((l) => (
            <li>
              {productName(i18n, l.productId, l.product)} <span class="muted">· {date(l.renewsAt)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export const homeRoutes = new Hono<AppEnv>().get('/', requireRole(), async (c) => {
  const auth = c.get('auth')!;
  if (auth.org.kind === 'partner') return c.redirect('/portal', 303);
  const db = c.get('deps').db;
  const admin = auth.user.role === 'global_admin' || auth.user.role === 'billing_admin';
  const [licenses, progress] = await Promise.all([licensesOfUser(db, auth.org.id, auth.user.id), admin ? progressOf(db, auth.org.id) : null]);
  return c.render(<HomePage licenses={licenses} progress={progress} />, { title: c.get('i18n').t('home.title') });
});
